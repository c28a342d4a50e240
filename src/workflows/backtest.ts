/**
 * BacktestWorkflow: the trading days of a date range, one TradingDayWorkflow each, in order, on
 * the simulator's driven clock: the same workflow, activities, risk and orders as a live day,
 * only the clock is driven. The simulator's account carries over from one day to the next; a day
 * that fails is recorded and the backtest goes on (its close-out flattened it first).
 */
import {
  continueAsNew,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/types';
import { tradingDayWorkflowId } from '../shared';
import { isIsoDate } from '../domain/calendar';
import { activityRetry } from './activityRetry';
import { errorMessage } from './dayContext';
import {
  backtestProgressQuery,
  NO_BACKTEST_FIGURES,
  type BacktestDay,
  type BacktestInput,
  type BacktestProgress,
  type BacktestResult,
} from './messages';
import { TradingDayWorkflow } from './tradingDay';
import { dateProblem, rejectInput, runProblem, speedProblem } from './validateDayInput';

/** Days per run before continue-as-new: each day costs a few dozen events here, so this keeps far below the history warning line. */
const DAYS_PER_RUN = 60;

export async function BacktestWorkflow(input: BacktestInput): Promise<BacktestResult> {
  validateBacktestInput(input);
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    retry: activityRetry(input.speed, 10),
  });
  const days: BacktestDay[] = [...(input.carried ?? [])];
  const progress: BacktestProgress = {
    from: input.from,
    to: input.to,
    seed: input.seed,
    daysTotal: 0,
    daysDone: days.length,
    currentDate: null,
    figures: NO_BACKTEST_FIGURES,
  };
  setHandler(backtestProgressQuery, () => progress);
  const show = (): void =>
    setCurrentDetails(
      `**Backtest ${input.from} → ${input.to}** (seed ${input.seed}): day ${progress.daysDone}/${progress.daysTotal}` +
        `${progress.currentDate ? `, trading ${progress.currentDate}` : ''} · ${progress.figures.trades} trades · P&L ${progress.figures.realizedPnl}`,
    );

  const dates = await acts.listTradingDays({ from: input.from, to: input.to });
  progress.daysTotal = dates.length;
  if (days.length) progress.figures = await acts.summarizeBacktest({ from: input.from });
  show();

  let ranThisRun = 0;
  for (const tradingDate of dates.slice(days.length)) {
    if (ranThisRun === DAYS_PER_RUN)
      await continueAsNew<typeof BacktestWorkflow>({ ...input, carried: days });
    progress.currentDate = tradingDate;
    show();
    days.push(await runDay(input, tradingDate));
    ranThisRun += 1;
    // The figures first: a day counts as done only with its trades in them.
    progress.figures = await acts.summarizeBacktest({ from: input.from });
    progress.daysDone = days.length;
    progress.currentDate = null;
    show();
  }
  return { ...progress, run: input.run, days };
}

async function runDay(input: BacktestInput, tradingDate: string): Promise<BacktestDay> {
  try {
    const r = await executeChild(TradingDayWorkflow, {
      workflowId: tradingDayWorkflowId(tradingDate, { venue: 'simulator', run: input.run }),
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      staticSummary: `Backtest ${input.run}: ${tradingDate}`,
      args: [
        {
          tradingDate,
          speed: input.speed,
          // Nobody approves a backtest's candidates: it trades as the autonomous mode would.
          mode: 'autonomous',
          venue: 'simulator',
          run: input.run,
          marketClock: 'driven',
        },
      ],
    });
    return {
      tradingDate,
      status: r.status,
      cycles: r.cycles,
      ordersSubmitted: r.ordersSubmitted,
      fills: r.fills,
      realizedPnl: r.realizedPnl,
      halted: r.halted,
    };
  } catch (err) {
    return {
      tradingDate,
      status: 'failed',
      cycles: 0,
      ordersSubmitted: 0,
      fills: 0,
      realizedPnl: '0.00',
      halted: false,
      error: errorMessage(err),
    };
  }
}

function validateBacktestInput(input: BacktestInput): void {
  if (!input || typeof input !== 'object') return rejectInput(input, [], 'BacktestWorkflow input');
  const problems = [
    dateProblem('from', input.from),
    dateProblem('to', input.to),
    isIsoDate(input.from) && isIsoDate(input.to) && input.to < input.from
      ? `to (${input.to}) is before from (${input.from})`
      : null,
    Number.isSafeInteger(input.seed) ? null : `seed must be an integer (got ${JSON.stringify(input.seed)})`,
    runProblem(input.run),
    speedProblem(input.speed),
  ];
  rejectInput(input, problems, `BacktestWorkflow input (${workflowInfo().workflowId})`);
}

/**
 * TradingDayWorkflow: one trading date on one venue, read top to bottom as the guide's flow —
 * wait for the open, start the position monitor, run scan cycles until the no-new-entries
 * cut-off, then flatten Catalyst's book, verify it is flat, and report. All market time comes
 * from the broker clock (activities); timers are market durations at the venue's speed.
 *
 * The day cannot fail open: whatever ends the trading part — the flatten time, a failure, a
 * cancellation (`catalyst day stop`) — the close-out runs in a non-cancellable scope and keeps
 * flattening until the broker shows Catalyst's book flat. The emergency stop runs beside all of
 * it (emergencyStop.ts) and touches nothing but Catalyst's own orders and shares.
 */
import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  ParentClosePolicy,
  patched,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  setCurrentDetails,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { accountAttribute, ErrorType, positionMonitorWorkflowId, SearchAttr } from '../shared';
import type { FinishDayInput } from '../activities/types';
import { BackgroundTasks } from './backgroundTasks';
import { alerter, errorMessage, type DayContext } from './dayContext';
import { dayActivities } from './dayActivities';
import { dayDetails } from './dayDetails';
import { DaySearchAttributes } from './daySearchAttributes';
import { TradingDayState } from './dayState';
import { runCycle } from './cycle';
import { responderOf, startEmergencyResponder } from './emergencyStop';
import { flattenUntilFlat } from './flattenLoop';
import { MINUTE_MS, nextCycleMs, planDay, type DayPlan } from './marketTime';
import { marketWaits } from './marketWait';
import {
  dayHaltedSignal,
  stopMonitoringSignal,
  type DayPhase,
  type TradingDayInput,
  type TradingDayResult,
} from './messages';
import { PositionMonitorWorkflow } from './positionMonitor';
import { validateDayInput } from './validateDayInput';

/** patched() id: days started before it sent no report email after the close. */
const DAILY_REPORT_EMAIL = 'daily-report-email';
/** patched() id: days started before it set CatalystOrders and CatalystRealizedPnl only at the end. */
const LIVE_SEARCH_ATTRIBUTES = 'live-search-attributes';

export async function TradingDayWorkflow(input: TradingDayInput): Promise<TradingDayResult> {
  validateDayInput(input);
  const { tradingDate, speed } = input;
  const { workflowId, runId } = workflowInfo();
  const root = CancellationScope.current();
  const day = new TradingDayState(input);
  day.registerHandlers();
  const acts = dayActivities(speed);
  const tasks = new BackgroundTasks();
  const clock = marketWaits({ speed, clock: input.marketClock, participant: workflowId });
  const monitorId = positionMonitorWorkflowId(workflowId);
  const search = new DaySearchAttributes(patched(LIVE_SEARCH_ATTRIBUTES));
  const ctx: DayContext = {
    input,
    workflowId,
    runId,
    day,
    acts,
    tasks,
    clock,
    show: () => {
      setCurrentDetails(dayDetails(day.status));
      search.update(day.status);
    },
    searchKeptCurrent: search.enabled,
    alertOnce: alerter(acts, tasks, { workflowId, runId }),
  };
  const phase = (p: DayPhase): void => {
    day.status.phase = p;
    ctx.show();
  };
  upsertSearchAttributes([
    { key: SearchAttr.tradingDate, value: tradingDate },
    { key: SearchAttr.mode, value: input.mode },
    { key: SearchAttr.venue, value: input.venue },
    { key: SearchAttr.account, value: accountAttribute(input) },
    { key: SearchAttr.halted, value: false },
    { key: SearchAttr.realizedPnl, value: 0 },
  ]);
  ctx.show();
  // Driven clock: the main line works from here; the emergency responder waits for a request.
  await clock.join([workflowId], 'busy');
  await clock.join([responderOf(workflowId)], 'parked');

  let cfg = await acts.session.loadDayConfig();
  const session = await acts.session.getMarketDay(tradingDate);
  tasks.run('record day start', () =>
    acts.records.recordDayStart({ tradingDate, mode: input.mode, venue: input.venue, speed }),
  );
  if (!session.isTradingDay) {
    phase('market_closed');
    return finishDay(ctx, 'market_closed', []);
  }
  let plan: DayPlan = planDay(session, cfg);
  let closingOut = false;
  const responder = startEmergencyResponder(ctx, {
    closeOutStarted: () => closingOut,
    closeMs: () => plan.closeMs,
  });
  const now = async (): Promise<number> =>
    (day.status.marketTimeMs = (await acts.clock.readMarketClock()).nowMs);

  let monitor: ChildWorkflowHandle<typeof PositionMonitorWorkflow> | null = null;
  let failure: unknown = null;
  try {
    phase('waiting_for_open');
    for (let t = await now(); t < plan.openMs; t = await now())
      await clock.sleepUntil(plan.openMs, t, 'wait for the open');

    // Not cancelled with the day: it keeps guarding while the close-out runs.
    await clock.join([monitorId], 'busy');
    monitor = await CancellationScope.nonCancellable(() =>
      startChild(PositionMonitorWorkflow, {
        workflowId: monitorId,
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        staticSummary: `Position monitor for ${tradingDate} (${input.venue})`,
        typedSearchAttributes: [
          { key: SearchAttr.tradingDate, value: tradingDate },
          { key: SearchAttr.venue, value: input.venue },
          { key: SearchAttr.account, value: accountAttribute(input) },
        ],
        args: [
          {
            tradingDate,
            speed,
            ...(input.marketClock ? { marketClock: input.marketClock } : {}),
            parentWorkflowId: workflowId,
            startMs: plan.openMs,
            untilMs: plan.closeMs,
            alertAfterFailedTicks: cfg.alertAfterFailedTicks,
            emergencyAfterFailedTicks: cfg.emergencyAfterFailedTicks,
            halted: day.status.halted,
          },
        ],
      }),
    );
    const child = monitor;
    day.onHalt = () => tasks.run('tell the monitor the day is halted', () => child.signal(dayHaltedSignal));

    phase('trading');
    let nextCycleAt = plan.firstCycleMs;
    for (let t = await now(); t < plan.flattenMs; t = await now()) {
      if (t >= plan.noNewEntriesMs && day.status.phase === 'trading') phase('no_new_entries');
      const entriesOpen = day.entriesOpen() && t < plan.noNewEntriesMs;
      if (entriesOpen && t >= nextCycleAt) {
        day.status.cycle += 1;
        cfg = await acts.session.loadDayConfig(); // hot reload: each cycle runs on the config in force when it starts
        plan = planDay(session, cfg);
        const deadlineMs = Math.min(plan.noNewEntriesMs, t + cfg.scanFrequencyMinutes * MINUTE_MS);
        await runCycle(
          {
            ...ctx,
            cfg,
            deadlineMs,
            cutoffMs: plan.noNewEntriesMs,
            endMs: plan.flattenMs,
            dayCancelled: () => root.consideredCancelled,
          },
          day.status.cycle,
          t,
        );
        nextCycleAt = nextCycleMs(plan, t, cfg.scanFrequencyMinutes);
        continue;
      }
      // Paused: look again every scan period (or at once on resume); otherwise sleep to the next deadline.
      const paused = day.status.entriesPaused;
      const wakeAt = Math.min(
        paused ? t + cfg.scanFrequencyMinutes * MINUTE_MS : entriesOpen ? nextCycleAt : plan.flattenMs,
        plan.flattenMs,
      );
      const why =
        wakeAt === plan.flattenMs
          ? 'wait for the flatten time'
          : paused
            ? 'entries paused'
            : `wait for cycle ${day.status.cycle + 1}`;
      await clock.sleepUntil(wakeAt, t, why, () => paused && !day.status.entriesPaused);
    }
  } catch (err) {
    failure = err;
    if (!isCancellation(err)) {
      day.status.lastProblem = `trading day failed: ${errorMessage(err)}`;
      ctx.alertOnce('day-failed', {
        severity: 'CRITICAL',
        subject: `Trading day ${tradingDate} failed; flattening Catalyst's book`,
        body: errorMessage(err),
      });
    }
  } finally {
    await CancellationScope.nonCancellable(async () => {
      closingOut = true;
      phase('flattening');
      await closeOut(ctx, plan);
      if (monitor) {
        await monitor.signal(stopMonitoringSignal).catch(() => undefined); // it may have ended at the close
        await monitor.result().catch(() => undefined);
      }
      // The responder may need market time to pass (its next pass): the clock must not wait for this line.
      await clock.parkedWhile(() => responder.idle());
    });
  }
  const ended = isCancellation(failure) ? 'cancelled' : failure ? 'failed' : 'completed';
  const result = await CancellationScope.nonCancellable(() =>
    finishDay(ctx, ended, monitor ? [monitorId] : []),
  );
  if (isCancellation(failure)) {
    day.status.phase = 'cancelled';
    ctx.show();
    throw failure;
  }
  if (failure)
    throw ApplicationFailure.nonRetryable(
      `trading day ${tradingDate} failed (Catalyst's book was flattened first): ${errorMessage(failure)}`,
      ErrorType.TradingDayFailed,
    );
  return result;
}

/**
 * Flatten until flat. Past the close with positions that would not close (a halted symbol), one
 * CRITICAL alert, then a new try at each next open: the day stays open until its book is flat.
 */
async function closeOut(ctx: DayContext, plan: DayPlan): Promise<void> {
  let afterCloseAlerted = false;
  for (;;) {
    const flat = await flattenUntilFlat(ctx, {
      reason: 'flatten before the close',
      until: (check) => check !== null && !check.isOpen && check.nowMs >= plan.closeMs,
    });
    if (flat) return;
    const s = ctx.day.status;
    if (!afterCloseAlerted) {
      afterCloseAlerted = true;
      ctx.alertOnce('not-flat-at-close', {
        severity: 'CRITICAL',
        subject: `Catalyst not flat at the ${s.tradingDate} close: ${s.notFlat.join(', ')}`,
        body: `${s.openPositions} positions and ${s.openOrders} orders of Catalyst's could not be closed by the close (${s.lastProblem ?? 'no answer yet'}). The day stays open and tries again at the next open.`,
      });
    }
    const reading = await ctx.acts.clock.readMarketClock();
    await ctx.clock.sleepUntil(reading.nextOpenMs, reading.nowMs, 'wait for the next open to flatten');
  }
}

/**
 * The day's report, emailed once the book is flat and the day recorded. A background task like any
 * alert: a hung mail server never holds the day's result back (its page and outbox entry are
 * written before the email is tried, so an abandoned send loses nothing).
 */
function sendDailyReport(ctx: DayContext): void {
  const { tradingDate } = ctx.day.status;
  ctx.tasks.run('send the daily report', () =>
    ctx.acts.reports.sendDailyReport({ tradingDate, venue: ctx.input.venue }),
  );
}

/** Records the day's end and builds its result; bookkeeping that fails costs the record, not the result. */
async function finishDay(
  ctx: DayContext,
  status: FinishDayInput['status'],
  children: string[],
): Promise<TradingDayResult> {
  const s = ctx.day.status;
  if (status === 'completed') s.phase = 'reporting';
  ctx.show();
  const summary = await ctx.acts.records
    .finishTradingDay({
      tradingDate: s.tradingDate,
      status,
      cycles: s.cycle,
      ordersSubmitted: s.ordersSubmitted,
      halted: s.halted,
      haltReason: s.haltReason,
    })
    .catch((err: unknown) => {
      s.lastProblem = `could not record the day's end: ${errorMessage(err)}`;
      return {
        ordersSubmitted: s.ordersSubmitted,
        fills: 0,
        realizedPnl: s.realizedPnl,
        openPositionsAtClose: s.openPositions,
        openOrdersAtClose: s.openOrders,
      };
    });
  Object.assign(s, {
    ordersSubmitted: summary.ordersSubmitted,
    realizedPnl: summary.realizedPnl,
    unrealizedPnl: '0.00',
    dailyPnl: summary.realizedPnl,
    openPositions: summary.openPositionsAtClose,
    openOrders: summary.openOrdersAtClose,
  });
  // Kept current by show() on days that have DaySearchAttributes; set once here on older ones.
  if (!ctx.searchKeptCurrent)
    upsertSearchAttributes([{ key: SearchAttr.realizedPnl, value: Number(summary.realizedPnl) }]);
  ctx.show();
  // A backtest's days report in its summary, not one email each.
  if (status !== 'market_closed' && ctx.input.marketClock !== 'driven' && patched(DAILY_REPORT_EMAIL))
    sendDailyReport(ctx);
  if (status === 'completed') s.phase = 'closed';
  ctx.show();
  await ctx.tasks.settled();
  // Driven clock: this day's lines of work are done; the next day (or nobody) drives it now.
  await ctx.clock.leave([ctx.workflowId, responderOf(ctx.workflowId), ...children]);
  return {
    tradingDate: s.tradingDate,
    // Only completed and market-closed days return; a cancelled or failed one throws after this.
    status: status === 'market_closed' ? 'market_closed' : 'completed',
    cycles: s.cycle,
    ...summary,
    halted: s.halted,
    haltReason: s.haltReason,
  };
}

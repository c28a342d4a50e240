/**
 * One scan cycle: the guide's funnel (funnel.ts: scanner → news → patterns → technicals →
 * composite score) → risk → (supervised: the operator's approval) → one bracket order per
 * approved candidate. The cycle runs
 * in a cancellation scope the emergency stop cancels; between orders it checks halt and pause, and
 * each placement carries the market-time deadline after which its decision is stale.
 */
import { CancellationScope, isCancellation, log, patched } from '@temporalio/workflow';
import type { PlacementResult, RiskDecisionSummary } from '../activities/types';
import type { BackgroundTasks } from './backgroundTasks';
import { cycleStageOptions, placementOptions, type DayActivities } from './dayActivities';
import { emptyFunnel, runFunnel } from './funnel';
import type { TradingDayState } from './dayState';
import type { MarketWaits } from './marketWait';
import type { DayConfig, TradingDayInput } from './messages';

/** patched() id: days started before it placed the operator's choice without judging it again. */
const RECHECK_AT_APPROVAL = 'risk-recheck-at-approval';

export interface CycleContext {
  input: TradingDayInput;
  runId: string;
  day: TradingDayState;
  acts: DayActivities;
  tasks: BackgroundTasks;
  clock: MarketWaits;
  cfg: DayConfig;
  /** Market time after which this cycle's decisions may no longer become orders. */
  deadlineMs: number;
  /** The no-new-entries cut-off: the risk manager checks it against the broker's clock. */
  cutoffMs: number;
  /** Market time the cycle must have ended by, wherever it is: the flatten time. */
  endMs: number;
  /** True once the whole day is being cancelled (then the close-out takes over, not the cycle). */
  dayCancelled(): boolean;
  show(): void;
}

/**
 * Runs a cycle in its own cancellation scope: an emergency stop cancels it wherever it is, and
 * so does the flatten time (a slow stage or a long approval wait never delays the close-out).
 */
export async function runCycle(ctx: CycleContext, cycleNumber: number, marketTimeMs: number): Promise<void> {
  const scope = new CancellationScope({
    cancellable: true,
    timeout: ctx.clock.timeoutFor(ctx.endMs - marketTimeMs),
  });
  ctx.day.cycleScope = scope;
  try {
    await scope.run(() => cycleStages(ctx, cycleNumber, marketTimeMs));
  } finally {
    ctx.day.cycleScope = null;
  }
}

async function cycleStages(ctx: CycleContext, n: number, marketTimeMs: number): Promise<void> {
  const { input, day, acts, tasks } = ctx;
  const cycleId = `${input.tradingDate}-c${String(n).padStart(2, '0')}-${ctx.runId.slice(0, 8)}`;
  const ref = {
    cycleId,
    tradingDate: input.tradingDate,
    cycleNumber: n,
    ...(ctx.cfg.configVersion ? { configVersion: ctx.cfg.configVersion } : {}),
  };
  const funnel = emptyFunnel();
  const stage = (label: string, timeout?: string) =>
    cycleStageOptions(input.speed, `cycle ${n}: ${label}`, timeout);
  const finish = (status: string, error?: string): void =>
    tasks.run(`finish cycle ${n}`, () =>
      acts.records.finishCycle({ cycleId, status, funnel, ...(error ? { error } : {}) }),
    );
  try {
    await acts.cycle.beginCycle.executeWithOptions(stage('begin', '1 minute'), [{ ...ref, marketTimeMs }]);
    const scored = await runFunnel(acts, input.speed, { ...ref, asOfMs: marketTimeMs }, funnel);
    const validate = (candidates: typeof scored.candidates, label: string, atApproval: boolean) =>
      acts.cycle.validateRisk.executeWithOptions(stage(label, '1 minute'), [
        {
          ...ref,
          candidates,
          halted: day.status.halted,
          entriesOpen: day.entriesOpen(),
          cutoffMs: ctx.cutoffMs,
          ...(atApproval ? { atApproval } : {}),
        },
      ]);
    const risk = await validate(scored.candidates, 'validate risk', false);
    let approved = risk.decisions.filter((d) => d.approved);
    funnel.riskApproved = approved.length;
    showDecisions(ctx, scored.candidates, risk.decisions);
    if (approved.length && day.status.mode === 'supervised') {
      const chosen = new Set((await awaitApproval(ctx, n, approved, marketTimeMs)).map((d) => d.symbol));
      showUnchosen(ctx, approved, chosen);
      // Minutes may have passed: the chosen candidates are judged again on the account as it is now.
      if (chosen.size && patched(RECHECK_AT_APPROVAL)) {
        const again = await validate(
          scored.candidates.filter((c) => chosen.has(c.symbol)),
          'validate risk at approval',
          true,
        );
        showDecisions(ctx, scored.candidates, again.decisions);
        approved = again.decisions.filter((d) => d.approved);
      } else approved = approved.filter((d) => chosen.has(d.symbol));
    }
    const placed = await placeOrders(ctx, ref, approved);
    funnel.ordersPlaced = placed.filter((p) => p.status === 'placed').length;
    day.status.ordersSubmitted += funnel.ordersPlaced;
    finish(day.entriesOpen() ? 'completed' : 'aborted');
  } catch (err) {
    if (isCancellation(err) && ctx.dayCancelled()) throw err; // the close-out takes over
    if (isCancellation(err)) {
      finish('aborted', day.status.halted ? 'emergency stop' : 'reached the flatten time');
      return;
    }
    // A failed cycle must not end the day: positions still need watching and flattening.
    const message = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    log.error('cycle failed', { cycle: n, message });
    day.status.lastProblem = `cycle ${n} failed: ${message}`;
    finish('failed', message);
    tasks.run('cycle failure alert', () =>
      acts.alerts.sendAlert({
        severity: 'WARNING',
        subject: `Cycle ${n} failed on ${input.tradingDate}`,
        body: message,
        dedupeKey: `${cycleId}-failed`,
      }),
    );
  } finally {
    day.status.lastFunnel = { cycle: n, ...funnel };
    ctx.show();
  }
}

/** The latest decision of each candidate, with its reasons, for `catalyst status` and the Web UI. */
function showDecisions(
  ctx: CycleContext,
  candidates: readonly { symbol: string; compositeScore: number }[],
  decisions: readonly RiskDecisionSummary[],
): void {
  const byNew = new Map(decisions.map((d) => [d.symbol, d]));
  const kept = ctx.day.status.candidates.filter((c) => !byNew.has(c.symbol));
  ctx.day.status.candidates = [
    ...decisions.map((d) => ({
      symbol: d.symbol,
      compositeScore: candidates.find((c) => c.symbol === d.symbol)?.compositeScore ?? 0,
      cycle: ctx.day.status.cycle,
      approved: d.approved,
      qty: d.qty,
      reasons: d.reasons,
    })),
    ...kept,
  ];
  ctx.show();
}

/** Supervised: what the risk manager approved but the operator did not (or not in time) is not traded. */
function showUnchosen(
  ctx: CycleContext,
  approved: readonly RiskDecisionSummary[],
  chosen: ReadonlySet<string>,
): void {
  const unchosen = new Set(approved.filter((d) => !chosen.has(d.symbol)).map((d) => d.symbol));
  for (const c of ctx.day.status.candidates)
    if (unchosen.has(c.symbol) && c.cycle === ctx.day.status.cycle) {
      c.approved = false;
      c.reasons = ['approved by the risk manager, not by the operator (rejected, or no answer in time)'];
    }
  ctx.show();
}

/** One order at a time, so a halt or a pause between two of them stops the rest. */
async function placeOrders(
  ctx: CycleContext,
  ref: { cycleId: string; tradingDate: string; cycleNumber: number },
  approved: RiskDecisionSummary[],
): Promise<PlacementResult[]> {
  const results: PlacementResult[] = [];
  for (const decision of approved) {
    if (!ctx.day.entriesOpen()) break;
    const result = await ctx.acts.placement.placeBracketOrder.executeWithOptions(
      placementOptions(ctx.input.speed, `cycle ${ref.cycleNumber}: place ${decision.symbol}`),
      [{ ...ref, decision, deadlineMs: ctx.deadlineMs }],
    );
    results.push(result);
    if (result.status === 'expired') break; // every later decision is as late
  }
  return results;
}

async function awaitApproval(
  ctx: CycleContext,
  n: number,
  approved: RiskDecisionSummary[],
  marketTimeMs: number,
): Promise<RiskDecisionSummary[]> {
  const { day, acts, input } = ctx;
  day.offerForApproval(n);
  ctx.show();
  ctx.tasks.run('approval alert', () =>
    acts.alerts.sendAlert({
      severity: 'INFO',
      subject: `Approval needed: cycle ${n} on ${input.tradingDate}`,
      body: approved
        .map(
          (d) =>
            `${d.symbol} qty ${d.qty} limit ${d.limitPrice} stop ${d.stopPrice} target ${d.takeProfitPrice}`,
        )
        .join('\n'),
      dedupeKey: `${input.tradingDate}-${ctx.runId}-approval-${n}`,
    }),
  );
  try {
    // Never past the decision's deadline: an answer after it could only produce expired orders.
    const waitMs = Math.min(ctx.cfg.approvalTimeoutMinutes * 60_000, ctx.deadlineMs - marketTimeMs);
    await ctx.clock.waitFor(
      () => day.approvalFor(n) !== null || day.status.halted || day.status.mode === 'autonomous',
      marketTimeMs,
      waitMs,
      `cycle ${n}: waiting for approval`,
    );
  } finally {
    day.closeApproval();
  }
  const chosen = day.approvalFor(n);
  if (chosen) return approved.filter((d) => chosen.includes(d.symbol));
  // Switched to autonomous while waiting: the cycle trades as an autonomous one would.
  if (day.status.mode === 'autonomous') return approved;
  // No answer in time means no trade: silence must never place an order.
  return [];
}

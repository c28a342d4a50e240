/**
 * Flatten until flat: cancel Catalyst's working orders and sell its shares, then check; again
 * until the broker shows Catalyst's book flat. The emergency stop and the close-out both run it.
 * Two passes in a row the broker cannot answer raise one CRITICAL alert and the loop keeps
 * going: Catalyst never gives up on positions it opened, and never touches anything else.
 */
import { patched } from '@temporalio/workflow';
import type { FlatCheck } from '../activities/types';
import { type DayContext, errorMessage } from './dayContext';
import { nextMinuteMs } from './marketTime';

/** patched() id: histories from before it alerted on the first pass the broker could not answer. */
const ALERT_AFTER_TWO_PASSES = 'flatten-alert-after-two-unreachable-passes';

/** Market time between two passes when the last one met a broker error. */
const RETRY_MS = 5_000;

export interface FlattenPass {
  pass: number;
  cancelledOrders: number;
  exits: string[];
  failures: { symbol: string; message: string }[];
  check: FlatCheck | null;
}

export interface FlattenLoopOptions {
  reason: string;
  /** Stop looping (and hand over to the caller) when this turns true before the book is flat. */
  until?: (check: FlatCheck | null) => boolean;
  /** After each pass: progress for queries and the UI. */
  onPass?: (pass: FlattenPass) => void;
}

/** Runs passes until Catalyst's book is flat (true) or `until` says stop (false). */
export async function flattenUntilFlat(ctx: DayContext, opts: FlattenLoopOptions): Promise<boolean> {
  const { acts, input, day } = ctx;
  let lastNowMs = day.status.marketTimeMs ?? 0;
  // One pass failing all its attempts happens on a merely flaky broker (one call in ten failing,
  // the faults test): the CRITICAL alert waits for a second pass in a row, seconds later.
  const alertAfter = patched(ALERT_AFTER_TWO_PASSES) ? 2 : 1;
  let unreachable = 0;
  for (let pass = 1; ; pass++) {
    const result: FlattenPass = { pass, cancelledOrders: 0, exits: [], failures: [], check: null };
    let failed: string | null = null;
    try {
      const out = await acts.safety.flattenBook({ tradingDate: input.tradingDate, reason: opts.reason });
      result.cancelledOrders = out.cancelledOrders;
      result.exits = out.exits.map((e) => e.symbol);
      result.failures = out.failures;
    } catch (err) {
      result.failures = [
        { symbol: '*', message: `cannot reach the broker to flatten: ${errorMessage(err)}` },
      ];
      failed = errorMessage(err);
    }
    try {
      result.check = await acts.safety.checkFlat({ tradingDate: input.tradingDate });
      lastNowMs = result.check.nowMs;
      applyCheck(ctx, result.check);
    } catch (err) {
      failed ??= errorMessage(err);
    }
    unreachable = failed === null ? 0 : unreachable + 1;
    if (failed !== null) brokerUnreachable(ctx, failed, unreachable >= alertAfter);
    if (result.failures.length)
      day.status.lastProblem = result.failures.map((f) => `${f.symbol}: ${f.message}`).join('; ');
    opts.onPass?.(result);
    ctx.show();
    const c = result.check;
    if (c && c.openPositions === 0 && c.openOrders === 0) return true;
    if (opts.until?.(c)) return false;
    // Market orders fill on the next minute's trades: look again just after it begins. A pass
    // that could not send everything (a broker error) goes again at once: the close does not wait.
    const now = c?.nowMs ?? lastNowMs;
    const next =
      result.failures.length > 0 ? now + RETRY_MS : Math.max(nextMinuteMs(now) + 1_000, now + RETRY_MS);
    await ctx.clock.sleepUntil(next, now, `${opts.reason}: pass ${pass + 1}`);
    lastNowMs = next;
  }
}

export function applyCheck(ctx: DayContext, c: FlatCheck): void {
  const s = ctx.day.status;
  s.openPositions = c.openPositions;
  s.openOrders = c.openOrders;
  s.foreignPositions = c.foreignPositions;
  s.foreignOrders = c.foreignOrders;
  s.marketTimeMs = c.nowMs;
  s.notFlat = c.symbols;
}

function brokerUnreachable(ctx: DayContext, message: string, alert: boolean): void {
  ctx.day.status.lastProblem = `broker unreachable: ${message}`;
  if (!alert) return;
  ctx.alertOnce('broker-unreachable-flatten', {
    severity: 'CRITICAL',
    subject: `Cannot reach the broker to flatten Catalyst's book on ${ctx.input.tradingDate}`,
    body: `${message}\n\nCatalyst keeps trying until its positions are closed; its bracket stops stay at the broker meanwhile.`,
  });
}

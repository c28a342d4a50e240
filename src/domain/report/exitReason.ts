/**
 * Why a trade ended, in an operator's words. Bracket legs say it themselves: the take-profit
 * limit is the target, the stop-loss leg the stop. Every other exit is a market sell with the
 * same kind of id (`cat-<date>-c<cycle>-<SYMBOL>-exit-a<n>`, src/domain/positions/exitPlan.ts),
 * whoever sent it, so those are told apart by what else was recorded:
 * - the monitor records each of its exits as a risk event keyed `<account>/<exit client order id>`,
 *   typed by its reason (`max_hold_exit`, `backstop_stop`, `halted`);
 * - an exit sent before the close-out on a day with an emergency stop was the emergency stop's;
 * - anything else is the close-out's flatten before the close.
 */
import type { ReportLegRole } from './reportRows';

export type ExitReason = 'stop' | 'target' | 'max hold' | 'flatten' | 'emergency';

export const EXIT_REASONS: readonly ExitReason[] = ['target', 'stop', 'max hold', 'flatten', 'emergency'];

export interface ExitEvidence {
  /** Leg role of the order whose fill closed the trade (its last exit). */
  legRole: ReportLegRole;
  /** Type of the monitor's risk event for that order, if it recorded one. */
  monitorEventType: string | null;
  /** When the exit was sent (market time, epoch ms); NaN when unknown. */
  sentMs: number;
  /** The day had an emergency stop (an `emergency_stop` risk event, or the day ended halted). */
  emergencyStopped: boolean;
  /** When the day's close-out began (market time, epoch ms); NaN when unknown. */
  closeOutStartMs: number;
}

const MONITOR_REASONS: Readonly<Record<string, ExitReason>> = {
  max_hold_exit: 'max hold',
  backstop_stop: 'stop',
  halted: 'emergency',
};

export function exitReasonOf(e: ExitEvidence): ExitReason {
  if (e.legRole === 'take_profit') return 'target';
  if (e.legRole === 'stop_loss') return 'stop';
  const byMonitor = e.monitorEventType ? MONITOR_REASONS[e.monitorEventType] : undefined;
  if (byMonitor) return byMonitor;
  // Without a known close-out time an emergency day's market exits are the emergency's: the
  // close-out is the usual reason only when nothing stopped the day early.
  if (e.emergencyStopped && !(e.sentMs >= e.closeOutStartMs)) return 'emergency';
  return 'flatten';
}

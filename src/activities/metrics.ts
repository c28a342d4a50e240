/**
 * What the activities tell the worker's metrics (src/stack/catalystMetrics.ts turns it into
 * Prometheus series). Activities depend on this interface only: a worker without a metrics
 * endpoint, and every test that builds activities without one, passes nothing and nothing is
 * recorded. Metrics come from activities and the worker, never from workflow code (it is replayed).
 */
import { Context } from '@temporalio/activity';
import type { CatalystBook } from '../domain/positions';
import { flattenOrders, legRoleOf } from '../domain/positions';
import type { LegRole } from '../domain/positions/bookTypes';
import type { Venue } from '../workflows/messages';
import type { AlertSeverity } from '../domain/alerts/routeAlert';
import type { EmailStatus } from './alertOutbox';
import { BoundedMap } from './marketCache';
import type { Activities } from './types';

export type OrderSide = 'buy' | 'sell';
/** What became of an alert: its email's state, or `duplicate` for a key already settled (a retry). */
export type AlertOutcomeLabel = EmailStatus | 'duplicate';

export interface BookFigures {
  realizedPnl: number;
  unrealizedPnl: number;
  openPositions: number;
  openOrders: number;
}

export interface ActivityMetrics {
  /** An order Catalyst sent to the broker (an entry with its bracket legs, or an exit). */
  orderSubmitted(side: OrderSide, leg: LegRole): void;
  /** The broker refused an entry (`reason`: the error type, e.g. BrokerRejected, InsufficientBuyingPower). */
  orderRejected(reason: string): void;
  /** A decision that reached the broker's clock past its deadline: never sent. */
  orderExpired(): void;
  /** One of Catalyst's orders first seen with shares filled. */
  orderFilled(side: OrderSide, leg: LegRole): void;
  /** Catalyst's book of the day as the monitor last read it. */
  book(venue: Venue, figures: BookFigures): void;
  /** A cycle's wall duration, begin to finish, as trading_cycles recorded it. */
  cycleFinished(status: string, seconds: number): void;
  /** One execution of a cycle or monitor stage's activity. */
  stageFinished(stage: string, outcome: 'ok' | 'error', seconds: number): void;
  /** A monitor tick: how far past the market minute it stands for it read the broker's clock. */
  monitorTick(lagMarketMs: number): void;
  alertDelivered(severity: AlertSeverity, outcome: AlertOutcomeLabel): void;
}

/** The stage each timed activity stands for (the guide's services, in funnel order, then the monitor). */
export const ACTIVITY_STAGES = {
  beginCycle: 'begin_cycle',
  listUniverse: 'universe',
  scanChunk: 'scan',
  recordScan: 'record_scan',
  scoreSentiment: 'news',
  detectPatterns: 'patterns',
  computeIndicators: 'technical',
  scoreCandidates: 'scoring',
  validateRisk: 'risk',
  placeBracketOrder: 'order',
  finishCycle: 'finish_cycle',
  guardPositions: 'monitor_guard',
  recordBook: 'monitor_record',
  flattenBook: 'flatten',
} as const satisfies Partial<Record<keyof Activities, string>>;

/** Wraps each activity of ACTIVITY_STAGES so its wall duration and outcome are recorded. */
export function timeStages(
  activities: Activities,
  metrics: ActivityMetrics,
  now: () => number = () => performance.now(),
): Activities {
  const timed: Record<string, unknown> = { ...activities };
  for (const [name, stage] of Object.entries(ACTIVITY_STAGES)) {
    const fn = activities[name as keyof Activities] as (...args: unknown[]) => Promise<unknown>;
    timed[name] = {
      // A named function: the worker registers activities by their keys, and stack traces keep the name.
      async [name](...args: unknown[]) {
        const started = now();
        let outcome: 'ok' | 'error' = 'error';
        try {
          const result = await fn(...args);
          outcome = 'ok';
          return result;
        } finally {
          metrics.stageFinished(stage, outcome, (now() - started) / 1000);
        }
      },
    }[name];
  }
  return timed as unknown as Activities;
}

/** An entry and the bracket legs the broker created with it. */
export function recordBracketSubmitted(
  metrics: ActivityMetrics | undefined,
  order: { side: OrderSide; type: string; legs: { side: OrderSide; type: string }[] },
): void {
  if (!metrics) return;
  metrics.orderSubmitted(order.side, legRoleOf(order));
  for (const leg of order.legs) metrics.orderSubmitted(leg.side, legRoleOf(leg, order));
}

/**
 * Counts Catalyst's fills from the books this worker reads. Per trading date, the first book read
 * is the baseline (a worker started mid-day does not count the morning again): after it, each
 * order counts once, when first seen with shares filled.
 */
export function createFillWatch(metrics: ActivityMetrics) {
  const seen = new BoundedMap<string, Set<string>>(4);
  return (book: Pick<CatalystBook, 'tradingDate' | 'orders'>): void => {
    const key = book.tradingDate ?? 'any';
    let filled = seen.get(key);
    const baseline = filled === undefined;
    if (!filled) {
      filled = new Set();
      seen.set(key, filled);
    }
    for (const parent of book.orders)
      for (const o of flattenOrders([parent])) {
        if (!(Number(o.filledQty) > 0) || filled.has(o.id)) continue;
        filled.add(o.id);
        if (!baseline) metrics.orderFilled(o.side, legRoleOf(o, o === parent ? undefined : parent));
      }
  };
}

const MINUTE_MS = 60_000;
const floorMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * A monitor tick's lag in market milliseconds: its broker clock reading minus the market time it
 * stands for. That is the tick's `intendedMarketMs` when the monitor sends it; else the minute
 * after the previous tick this worker ran (the monitor sleeps until then), exact with one worker;
 * else (its first tick here) the start of the tick's own minute. With several workers and no
 * `intendedMarketMs`, a tick whose predecessor ran on another worker counts the minutes between.
 */
export function createTickLag() {
  const previous = new BoundedMap<string, number>(64);
  return (monitorId: string, marketNowMs: number, intendedMarketMs?: number): number => {
    const prev = previous.get(monitorId);
    previous.set(monitorId, marketNowMs);
    const afterPrev = prev === undefined ? Number.NaN : floorMinute(prev) + MINUTE_MS;
    const intended = intendedMarketMs ?? (afterPrev <= marketNowMs ? afterPrev : floorMinute(marketNowMs));
    return Math.max(0, marketNowMs - intended);
  };
}

/** The workflow that scheduled the running activity, or '' outside one. */
export function currentWorkflowId(): string {
  try {
    return Context.current().info.workflowExecution?.workflowId ?? '';
  } catch {
    return '';
  }
}

/** A decimal string as a number for a gauge (NaN-safe: 0). */
export const decimalValue = (v: string): number => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

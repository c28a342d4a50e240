/**
 * Catalyst's own Prometheus metrics (prefix `catalyst_`), one registry per worker process: the
 * activities record into it through the ActivityMetrics interface (src/activities/metrics.ts),
 * the metrics server (metricsServer.ts) serves it with the process's default metrics and
 * Temporal's runtime metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ActivityMetrics } from '../activities/metrics';

/** Wall seconds: one activity execution of a stage (a broker request or a few). */
const STAGE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Wall seconds: a cycle, its scan fan-out to its last order (and an approval wait when supervised). */
const CYCLE_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];
/** Wall seconds a monitor tick came after the market minute it stands for. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
/** Label sets present from the start (at 0), so a rate over them exists before the first event. */
const ORDER_LEGS = [
  { side: 'buy', leg: 'entry' },
  { side: 'sell', leg: 'take_profit' },
  { side: 'sell', leg: 'stop_loss' },
  { side: 'sell', leg: 'exit' },
] as const;

export interface CatalystMetrics {
  registry: Registry;
  /** What the activities record into (ActivityDeps.metrics). */
  activities: ActivityMetrics;
  /** `catalyst_worker_info{venue,account,task_queue} 1`, once the broker account is known. */
  describeWorker(labels: { venue: string; account: string; taskQueue: string }): void;
}

export interface CatalystMetricsOptions {
  /**
   * The venue clock's speed (market seconds per wall second: the simulator's `--speed`, 1 on
   * Alpaca): the monitor's lag is measured in market time and reported in wall seconds.
   */
  clockSpeed: number;
  /** The process's own metrics (CPU, memory, event loop lag, GC). Default true. */
  processMetrics?: boolean;
}

export function createCatalystMetrics(opts: CatalystMetricsOptions): CatalystMetrics {
  const registry = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const ordersSubmitted = new Counter({
    name: 'catalyst_orders_submitted_total',
    help: 'Orders Catalyst sent to the broker, by side and leg (entry, take_profit and stop_loss of a bracket; exit: a market sell of the monitor, the flatten or the emergency stop).',
    labelNames: ['side', 'leg'] as const,
    registers,
  });
  const rejections = new Counter({
    name: 'catalyst_order_rejections_total',
    help: 'Entries the broker refused, by error type (BrokerRejected, InsufficientBuyingPower, …).',
    labelNames: ['reason'] as const,
    registers,
  });
  const expired = new Counter({
    name: 'catalyst_orders_expired_total',
    help: "Risk-approved entries never sent: the broker's clock had passed the decision's deadline.",
    registers,
  });
  const fills = new Counter({
    name: 'catalyst_fills_total',
    help: "Catalyst's orders first seen with shares filled by this worker's monitor ticks, flattens and day close, by side and leg.",
    labelNames: ['side', 'leg'] as const,
    registers,
  });
  for (const l of ORDER_LEGS) {
    ordersSubmitted.labels(l).inc(0);
    fills.labels(l).inc(0);
  }
  const realized = new Gauge({
    name: 'catalyst_realized_pnl_dollars',
    help: "Catalyst's realized P&L of the trading day in dollars, as the monitor last read the broker, per venue.",
    labelNames: ['venue'] as const,
    registers,
  });
  const unrealized = new Gauge({
    name: 'catalyst_unrealized_pnl_dollars',
    help: "Catalyst's unrealized P&L in dollars, as the monitor last read the broker, per venue.",
    labelNames: ['venue'] as const,
    registers,
  });
  const openPositions = new Gauge({
    name: 'catalyst_open_positions',
    help: 'Symbols in which Catalyst holds shares, as the monitor last read the broker, per venue.',
    labelNames: ['venue'] as const,
    registers,
  });
  const openOrders = new Gauge({
    name: 'catalyst_open_orders',
    help: "Catalyst's open orders (bracket legs included), as the monitor last read the broker, per venue.",
    labelNames: ['venue'] as const,
    registers,
  });
  const cycleDuration = new Histogram({
    name: 'catalyst_cycle_duration_seconds',
    help: 'Wall seconds from the start of a scan cycle to its finish (trading_cycles started_at → finished_at), by status (completed, aborted, failed).',
    labelNames: ['status'] as const,
    buckets: CYCLE_BUCKETS,
    registers,
  });
  const stageDuration = new Histogram({
    name: 'catalyst_stage_duration_seconds',
    help: "Wall seconds of one execution of a stage's activity (universe, scan, news, patterns, technical, scoring, risk, order, monitor_guard, …), by outcome (ok, error).",
    labelNames: ['stage', 'outcome'] as const,
    buckets: STAGE_BUCKETS,
    registers,
  });
  const tickLag = new Histogram({
    name: 'catalyst_monitor_tick_lag_seconds',
    help: 'Wall seconds by which a position-monitor tick read the broker after the market minute it stands for (market lag ÷ the clock speed).',
    buckets: LAG_BUCKETS,
    registers,
  });
  const lastTick = new Gauge({
    name: 'catalyst_monitor_last_tick_timestamp_seconds',
    help: "Unix time of this worker's last position-monitor tick (alert when it stops moving during the session).",
    registers,
  });
  const alerts = new Counter({
    name: 'catalyst_alerts_total',
    help: 'Alerts raised, by severity and outcome: sent, failed (the email; retried), held (storm limit), not_configured (outbox only), duplicate (a retry of a settled alert).',
    labelNames: ['severity', 'outcome'] as const,
    registers,
  });
  for (const severity of SEVERITIES) alerts.labels({ severity, outcome: 'sent' }).inc(0);
  const info = new Gauge({
    name: 'catalyst_worker_info',
    help: 'The venue, account and task queue this worker polls (value 1).',
    labelNames: ['venue', 'account', 'task_queue'] as const,
    registers,
  });

  const speed = opts.clockSpeed > 0 ? opts.clockSpeed : 1;
  const activities: ActivityMetrics = {
    orderSubmitted: (side, leg) => ordersSubmitted.labels({ side, leg }).inc(),
    orderRejected: (reason) => rejections.labels({ reason }).inc(),
    orderExpired: () => expired.inc(),
    orderFilled: (side, leg) => fills.labels({ side, leg }).inc(),
    book(venue, f) {
      realized.labels({ venue }).set(f.realizedPnl);
      unrealized.labels({ venue }).set(f.unrealizedPnl);
      openPositions.labels({ venue }).set(f.openPositions);
      openOrders.labels({ venue }).set(f.openOrders);
    },
    cycleFinished: (status, seconds) => cycleDuration.labels({ status }).observe(seconds),
    stageFinished: (stage, outcome, seconds) => stageDuration.labels({ stage, outcome }).observe(seconds),
    monitorTick(lagMarketMs) {
      tickLag.observe(lagMarketMs / speed / 1000);
      lastTick.set(Date.now() / 1000);
    },
    alertDelivered: (severity, outcome) => alerts.labels({ severity, outcome }).inc(),
  };
  return {
    registry,
    activities,
    describeWorker: ({ venue, account, taskQueue }) =>
      info.labels({ venue, account, task_queue: taskQueue }).set(1),
  };
}

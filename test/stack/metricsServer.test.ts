/**
 * The worker's metrics: what the activities record becomes catalyst_* Prometheus series, and the
 * endpoint serves them with the runtime's metrics appended from a second local exporter (a stand-in
 * for the Core SDK's here; test/e2e/metrics.test.ts scrapes the real one).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalystMetrics } from '../../src/stack/catalystMetrics';
import {
  freeLocalAddress,
  scrapeText,
  startMetricsServer,
  type MetricsServer,
} from '../../src/stack/metricsServer';
import { freePort } from '../support/freePort';

/** `name{labels} value` of a scrape, for the lines of one series. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('catalyst metrics', () => {
  it('turns what the activities record into catalyst_* series', async () => {
    const m = createCatalystMetrics({ clockSpeed: 600, processMetrics: false });
    const a = m.activities;
    a.orderSubmitted('buy', 'entry');
    a.orderSubmitted('sell', 'take_profit');
    a.orderRejected('InsufficientBuyingPower');
    a.orderExpired();
    a.orderFilled('buy', 'entry');
    a.book('paper', { realizedPnl: -12.5, unrealizedPnl: 3.25, openPositions: 2, openOrders: 4 });
    a.cycleFinished('completed', 4.2);
    a.stageFinished('scan', 'ok', 0.3);
    a.stageFinished('scan', 'error', 12);
    a.monitorTick(30_000); // 30 market seconds at ×600: 0.05 wall seconds
    a.alertDelivered('CRITICAL', 'sent');
    a.alertDelivered('INFO', 'not_configured');
    m.describeWorker({ venue: 'paper', account: 'PA123', taskQueue: 'catalyst-paper-PA123' });
    const text = await m.registry.metrics();

    expect(sample(text, 'catalyst_orders_submitted_total{side="buy",leg="entry"}')).toBe(1);
    expect(sample(text, 'catalyst_orders_submitted_total{side="sell",leg="take_profit"}')).toBe(1);
    // Present at 0 before the first of their kind: a rate over them exists from the start.
    expect(sample(text, 'catalyst_orders_submitted_total{side="sell",leg="exit"}')).toBe(0);
    expect(sample(text, 'catalyst_fills_total{side="sell",leg="stop_loss"}')).toBe(0);
    expect(sample(text, 'catalyst_alerts_total{severity="WARNING",outcome="sent"}')).toBe(0);
    expect(sample(text, 'catalyst_order_rejections_total{reason="InsufficientBuyingPower"}')).toBe(1);
    expect(sample(text, 'catalyst_orders_expired_total')).toBe(1);
    expect(sample(text, 'catalyst_fills_total{side="buy",leg="entry"}')).toBe(1);
    expect(sample(text, 'catalyst_realized_pnl_dollars{venue="paper"}')).toBe(-12.5);
    expect(sample(text, 'catalyst_unrealized_pnl_dollars{venue="paper"}')).toBe(3.25);
    expect(sample(text, 'catalyst_open_positions{venue="paper"}')).toBe(2);
    expect(sample(text, 'catalyst_open_orders{venue="paper"}')).toBe(4);
    expect(sample(text, 'catalyst_cycle_duration_seconds_count{status="completed"}')).toBe(1);
    expect(sample(text, 'catalyst_cycle_duration_seconds_sum{status="completed"}')).toBe(4.2);
    expect(sample(text, 'catalyst_stage_duration_seconds_count{stage="scan",outcome="ok"}')).toBe(1);
    expect(sample(text, 'catalyst_stage_duration_seconds_count{stage="scan",outcome="error"}')).toBe(1);
    expect(sample(text, 'catalyst_monitor_tick_lag_seconds_sum')).toBeCloseTo(0.05);
    expect(sample(text, 'catalyst_monitor_tick_lag_seconds_bucket{le="0.05"}')).toBe(1);
    expect(sample(text, 'catalyst_monitor_tick_lag_seconds_bucket{le="0.025"}')).toBe(0);
    expect(sample(text, 'catalyst_monitor_last_tick_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
    expect(sample(text, 'catalyst_alerts_total{severity="CRITICAL",outcome="sent"}')).toBe(1);
    expect(sample(text, 'catalyst_alerts_total{severity="INFO",outcome="not_configured"}')).toBe(1);
    expect(
      sample(text, 'catalyst_worker_info{venue="paper",account="PA123",task_queue="catalyst-paper-PA123"}'),
    ).toBe(1);
    expect(text).toMatch(/^# HELP catalyst_monitor_tick_lag_seconds /m);
  });

  it("includes the process's own metrics by default", async () => {
    const text = await createCatalystMetrics({ clockSpeed: 1 }).registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });
});

describe('the metrics endpoint', () => {
  let runtime: Server;
  let runtimeAddress: string;
  let server: MetricsServer;
  const metrics = createCatalystMetrics({ clockSpeed: 1, processMetrics: false });

  beforeAll(async () => {
    // The Core SDK's exporter, as the worker's Runtime binds it.
    runtimeAddress = await freeLocalAddress();
    runtime = createServer((req, res) =>
      req.url === '/metrics'
        ? res.end(
            '# HELP temporal_num_pollers pollers\n# TYPE temporal_num_pollers gauge\ntemporal_num_pollers{poller_type="activity_task"} 5\n',
          )
        : res.writeHead(404).end(),
    );
    const [host, port] = runtimeAddress.split(':');
    await new Promise<void>((r) => runtime.listen(Number(port), host, r));
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: await freePort(),
      registry: metrics.registry,
      temporalAddress: runtimeAddress,
    });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => runtime?.close(r));
  });

  it("serves Catalyst's metrics and the runtime's on /metrics", async () => {
    metrics.activities.orderSubmitted('buy', 'entry');
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'catalyst_orders_submitted_total{side="buy",leg="entry"}')).toBe(1);
    expect(sample(text, 'catalyst_temporal_metrics_up')).toBe(1);
    expect(sample(text, 'temporal_num_pollers{poller_type="activity_task"}')).toBe(5);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('still serves its own metrics when the runtime has none yet', async () => {
    const text = await scrapeText(metrics.registry, await freeLocalAddress(), 1_000);
    expect(sample(text, 'catalyst_temporal_metrics_up')).toBe(0);
    expect(text).toMatch(/^# Temporal runtime metrics unavailable: ECONNREFUSED$/m);
    expect(sample(text, 'catalyst_orders_expired_total')).toBe(0);
  });

  it('answers 404 elsewhere and 405 to anything but GET', async () => {
    expect((await fetch(server.url.replace('/metrics', '/nothing'))).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('says which setting to change when the port is taken', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startMetricsServer({ host: '127.0.0.1', port, registry: metrics.registry })).rejects.toThrow(
      `METRICS_PORT ${port}: 127.0.0.1:${port} is already in use`,
    );
  });
});

/**
 * What the activities record into the worker's metrics, against the real simulator and
 * PostgreSQL: each stage's duration, the orders sent (an entry with its bracket legs), the
 * broker's refusal, an expired decision, the monitor's tick lag and book, fills after the first
 * book, a cycle's duration from its trading_cycles row, and each alert's outcome. Activities built
 * without metrics record nothing and work as before.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import type { ActivityMetrics } from '../../src/activities/metrics';
import type { RiskDecisionSummary } from '../../src/activities/types';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { brokerFor } from '../broker/brokerKit';
import { startManual } from '../sim/simKit';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

const DATE = '2026-11-24';
const at = (hhmm: string): number => nyTimeToUtcMs(DATE, hhmm);
const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../config');

type Call = [keyof ActivityMetrics, ...unknown[]];

/** Every call the activities make, in order. */
function recorder(): {
  metrics: ActivityMetrics;
  calls: Call[];
  of(name: keyof ActivityMetrics): unknown[][];
} {
  const calls: Call[] = [];
  const record =
    (name: keyof ActivityMetrics) =>
    (...args: unknown[]): void =>
      void calls.push([name, ...args]);
  const metrics: ActivityMetrics = {
    orderSubmitted: record('orderSubmitted'),
    orderRejected: record('orderRejected'),
    orderExpired: record('orderExpired'),
    orderFilled: record('orderFilled'),
    book: record('book'),
    cycleFinished: record('cycleFinished'),
    stageFinished: record('stageFinished'),
    monitorTick: record('monitorTick'),
    alertDelivered: record('alertDelivered'),
  };
  return { metrics, calls, of: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)) };
}

describe('activity metrics', () => {
  let sim: RunningSimulator;
  let database: MigratedDatabase;
  let settings: SettingsSource;
  const env = new MockActivityEnvironment({
    workflowExecution: { workflowId: `position-monitor-${DATE}-metrics`, runId: 'run-1' },
  });
  const run = <T>(f: () => Promise<T>): Promise<T> => env.run(f);

  const activities = (metrics?: ActivityMetrics): Activities =>
    createActivities({
      broker: brokerFor(sim),
      db: database.db,
      accountId: 'acct-metrics',
      venue: 'simulator',
      settings,
      outboxDir: mkdtempSync(join(tmpdir(), 'catalyst-metrics-outbox-')),
      log: () => {},
      ...(metrics ? { metrics } : {}),
    });

  beforeAll(async () => {
    sim = await startManual({ seed: 7, date: DATE, rateLimitPerMinute: 0 });
    database = await createMigratedDatabase();
    settings = createSettingsSource({ configDir: CONFIG_DIR, env: {}, log: () => {} });
  });
  afterAll(async () => {
    settings?.close();
    await sim?.close();
    await database?.dispose();
  });

  it('records orders, refusals, ticks, fills, cycles, stages and alerts', async () => {
    sim.advanceTo(at('10:00'));
    const { metrics, of } = recorder();
    const acts = activities(metrics);
    const ref = { cycleId: `${DATE}-c01-metrics`, tradingDate: DATE, cycleNumber: 1 };

    // The first tick: its book (nothing yet) is the fills' baseline; the lag is past its own minute.
    sim.advanceTo(at('10:00') + 7_000);
    await run(() => acts.guardPositions({ tradingDate: DATE }));
    expect(of('monitorTick')).toEqual([[7_000]]);
    expect(of('book')).toEqual([
      ['simulator', { realizedPnl: 0, unrealizedPnl: 0, openPositions: 0, openOrders: 0 }],
    ]);

    await run(() => acts.beginCycle({ ...ref, marketTimeMs: at('10:00') }));
    const ask = (await brokerFor(sim).getSnapshots(['AAPL'])).get('AAPL')!.askPrice;
    const decision = (qty: number): RiskDecisionSummary => ({
      symbol: 'AAPL',
      approved: true,
      qty,
      entryPrice: ask.toFixed(2),
      limitPrice: (ask * 1.01).toFixed(2),
      stopPrice: (ask * 0.9).toFixed(2),
      takeProfitPrice: (ask * 1.2).toFixed(2),
      reasons: [],
    });
    const placed = await run(() =>
      acts.placeBracketOrder({ ...ref, deadlineMs: at('15:00'), decision: decision(5) }),
    );
    expect(placed.status).toBe('placed');
    expect(of('orderSubmitted')).toEqual([
      ['buy', 'entry'],
      ['sell', 'take_profit'],
      ['sell', 'stop_loss'],
    ]);
    // A retry finds the order placed: nothing is counted twice.
    await run(() => acts.placeBracketOrder({ ...ref, deadlineMs: at('15:00'), decision: decision(5) }));
    expect(of('orderSubmitted')).toHaveLength(3);

    const refused = await run(() =>
      acts.placeBracketOrder({
        ...ref,
        cycleNumber: 2,
        deadlineMs: at('15:00'),
        decision: decision(10_000_000),
      }),
    );
    expect(refused.status).toBe('rejected');
    expect(of('orderRejected')).toEqual([['InsufficientBuyingPower']]);
    const late = await run(() =>
      acts.placeBracketOrder({ ...ref, cycleNumber: 3, deadlineMs: at('09:45'), decision: decision(1) }),
    );
    expect(late.status).toBe('expired');
    expect(of('orderExpired')).toEqual([[]]);

    // The next tick, 12 s into the minute after the first: the entry has filled since the baseline.
    sim.advanceTo(at('10:01') + 12_000);
    const tick = await run(() => acts.guardPositions({ tradingDate: DATE }));
    expect(tick.openPositions).toBe(1);
    expect(of('monitorTick').at(-1)).toEqual([12_000]);
    expect(of('orderFilled')).toEqual([['buy', 'entry']]);
    expect(of('book').at(-1)).toEqual([
      'simulator',
      expect.objectContaining({ openPositions: 1, openOrders: 2, realizedPnl: 0 }),
    ]);
    // The monitor sends the minute it slept until: the lag is measured from it.
    sim.advanceTo(at('10:03') + 30_000);
    await run(() => acts.guardPositions({ tradingDate: DATE, intendedMarketMs: at('10:02') }));
    expect(of('monitorTick').at(-1)).toEqual([90_000]);
    expect(of('orderFilled')).toHaveLength(1);

    await run(() =>
      acts.finishCycle({
        cycleId: ref.cycleId,
        status: 'completed',
        funnel: {
          universe: 1,
          scanned: 1,
          news: 1,
          patterns: 1,
          technical: 1,
          scored: 1,
          riskApproved: 1,
          ordersPlaced: 1,
        },
      }),
    );
    expect(of('cycleFinished')).toEqual([['completed', expect.any(Number)]]);
    expect(of('cycleFinished')[0]![1] as number).toBeGreaterThanOrEqual(0);

    // The close: the exit is an order sent, its fill one more.
    const flat = await run(() => acts.flattenBook({ tradingDate: DATE, reason: 'test' }));
    expect(flat.exits).toHaveLength(1);
    expect(of('orderSubmitted').at(-1)).toEqual(['sell', 'exit']);
    sim.advanceTo(at('10:05'));
    await run(() => acts.guardPositions({ tradingDate: DATE }));
    expect(of('orderFilled')).toEqual([
      ['buy', 'entry'],
      ['sell', 'exit'],
    ]);

    const alert = { severity: 'WARNING' as const, subject: 's', body: 'b', dedupeKey: 'metrics-alert-1' };
    await run(() => acts.sendAlert(alert));
    await run(() => acts.sendAlert(alert));
    expect(of('alertDelivered')).toEqual([
      ['WARNING', 'not_configured'],
      ['WARNING', 'duplicate'],
    ]);

    // Each timed stage: its name and outcome (the refused entry is an answer, not an error).
    const stages = of('stageFinished').map(([stage, outcome]) => `${stage as string}:${outcome as string}`);
    expect(new Set(stages)).toEqual(
      new Set(['monitor_guard:ok', 'begin_cycle:ok', 'order:ok', 'finish_cycle:ok', 'flatten:ok']),
    );
    for (const [, , seconds] of of('stageFinished')) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('works as before without metrics', async () => {
    const acts = activities();
    const report = await run(() => acts.guardPositions({ tradingDate: DATE }));
    expect(report.openPositions).toBe(0);
    expect(acts.guardPositions.name).toBe('guardPositions');
  });
});

/**
 * The risk activity's gates on the real simulator and database: the day's own inputs (halted,
 * paused, the cut-off against the broker's clock), the cooldown that outlives the workflow that
 * started it, and the book's pending entries counting against the loss budget and the sectors.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import type { ScoredCandidate } from '../../src/activities/types';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import { clientOrderId } from '../../src/domain/clientOrderId';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { brokerFor } from '../broker/brokerKit';
import { startManual } from '../sim/simKit';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

const DATE = '2026-11-24';
const at = (hhmm: string): number => nyTimeToUtcMs(DATE, hhmm);
const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../config');
const ref = (n: number) => ({ cycleId: `${DATE}-c${n}-risk-gate`, tradingDate: DATE, cycleNumber: n });

describe('validateRisk activity', () => {
  let d: MigratedDatabase;
  let settings: SettingsSource;
  const sims: RunningSimulator[] = [];
  beforeAll(async () => {
    d = await createMigratedDatabase();
    settings = createSettingsSource({ configDir: CONFIG_DIR, env: {} });
  });
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    settings.close();
    await d?.dispose();
  });

  async function venue(accountId: string) {
    const sim = await startManual({ seed: 7, date: DATE, rateLimitPerMinute: 0 });
    sims.push(sim);
    const broker = brokerFor(sim);
    const acts = createActivities({
      broker,
      db: d.db,
      accountId,
      venue: 'simulator',
      settings,
      outboxDir: resolve(CONFIG_DIR, '../.catalyst/test-outbox'),
      log: () => {},
    });
    const candidate = async (symbol: string): Promise<ScoredCandidate> => {
      const snap = (await broker.getSnapshots([symbol])).get(symbol)!;
      const price = snap.latestTradePrice.toFixed(2);
      return {
        symbol,
        sector: 'Technology',
        price,
        compositeScore: 80,
        newsScore: 70,
        patternScore: 60,
        technicalScore: 70,
        momentumScore: 70,
        volumeScore: 70,
        atr: null,
      };
    };
    return { sim, broker, acts, candidate };
  }

  it('refuses every candidate while the day is halted, paused or past the cut-off by the broker’s clock', async () => {
    const v = await venue('acct-gates');
    v.sim.advanceTo(at('10:00'));
    const candidates = [await v.candidate('AAPL')];
    const judge = async (extra: object) =>
      (await v.acts.validateRisk({ ...ref(1), candidates, ...extra })).decisions[0]!;

    expect((await judge({ halted: false, entriesOpen: true, cutoffMs: at('15:00') })).approved).toBe(true);
    const halted = await judge({ halted: true, entriesOpen: true, cutoffMs: at('15:00') });
    expect(halted.approved).toBe(false);
    expect(halted.reasons.join(' ')).toMatch(/halted/);
    const paused = await judge({ halted: false, entriesOpen: false, cutoffMs: at('15:00') });
    expect(paused.approved).toBe(false);
    expect(paused.reasons.join(' ')).toMatch(/no new entries/);
    // The workflow thought it was in time; the broker's clock says 10:00 is past a 09:59 cut-off.
    const late = await judge({ halted: false, entriesOpen: true, cutoffMs: at('09:59') });
    expect(late.approved).toBe(false);
    expect(late.reasons.join(' ')).toMatch(/cut-off/);
  });

  it('a cooldown started by one worker holds for another until it runs out, and an earlier session never meets it', async () => {
    const first = await venue('acct-cooldown');
    first.sim.advanceTo(at('10:00'));
    const started = await first.acts.startCooldown({
      tradingDate: DATE,
      minutes: 60,
      reason: 'daily loss limit reached',
      eventKey: 'day-1/cooldown/req-1',
    });
    expect(started).toEqual({ startedMs: at('10:00'), untilMs: at('11:00') });
    // A retry records nothing new: the first start stands.
    first.sim.advanceTo(at('10:05'));
    expect(
      await first.acts.startCooldown({
        tradingDate: DATE,
        minutes: 60,
        reason: 'daily loss limit reached',
        eventKey: 'day-1/cooldown/req-1',
      }),
    ).toEqual(started);

    // A restart: new activities, same account and database.
    const second = await venue('acct-cooldown');
    second.sim.advanceTo(at('10:30'));
    const candidates = [await second.candidate('MSFT')];
    const during = (await second.acts.validateRisk({ ...ref(2), candidates, cutoffMs: at('15:00') }))
      .decisions[0]!;
    expect(during.approved).toBe(false);
    expect(during.reasons.join(' ')).toMatch(/cooldown/);
    second.sim.advanceTo(at('11:00'));
    const after = (await second.acts.validateRisk({ ...ref(3), candidates, cutoffMs: at('15:00') }))
      .decisions[0]!;
    expect(after.reasons.join(' ')).not.toMatch(/cooldown/);
    expect(after.approved).toBe(true);

    // A session replayed from earlier than the stop (a simulator run again) never meets it.
    const replay = await venue('acct-cooldown');
    replay.sim.advanceTo(at('09:45'));
    const before = (
      await replay.acts.validateRisk({
        ...ref(6),
        candidates: [await replay.candidate('MSFT')],
        cutoffMs: at('15:00'),
      })
    ).decisions[0]!;
    expect(before.approved).toBe(true);

    // Another account shares nothing of it.
    const other = await venue('acct-other');
    other.sim.advanceTo(at('10:30'));
    const theirs = (
      await other.acts.validateRisk({
        ...ref(4),
        candidates: [await other.candidate('MSFT')],
        cutoffMs: at('15:00'),
      })
    ).decisions[0]!;
    expect(theirs.approved).toBe(true);
  });

  it('a pending entry of Catalyst’s counts: its symbol is taken and its risk at the stop uses the loss budget', async () => {
    const v = await venue('acct-pending');
    v.sim.advanceTo(at('10:00'));
    const nvda = await v.candidate('NVDA');
    // An entry far below the market: it rests, pending, with its bracket legs held.
    const limit = (Number(nvda.price) * 0.5).toFixed(2);
    await v.broker.submitBracketOrder({
      clientOrderId: clientOrderId({ tradingDate: DATE, cycle: 1, symbol: 'NVDA', leg: 'entry' }),
      symbol: 'NVDA',
      side: 'buy',
      qty: 10,
      entryType: 'limit',
      limitPrice: limit,
      takeProfitLimitPrice: (Number(limit) * 1.06).toFixed(2),
      stopLossStopPrice: (Number(limit) * 0.98).toFixed(2),
      timeInForce: 'day',
    });
    const decisions = (
      await v.acts.validateRisk({
        ...ref(5),
        candidates: [nvda, await v.candidate('AAPL')],
        cutoffMs: at('15:00'),
      })
    ).decisions;
    const byS = new Map(decisions.map((x) => [x.symbol, x]));
    expect(byS.get('NVDA')!.approved).toBe(false);
    expect(byS.get('NVDA')!.reasons.join(' ')).toMatch(/already holding or ordering NVDA/);
    expect(byS.get('AAPL')!.approved).toBe(true);
  });
});

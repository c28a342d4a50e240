/**
 * Does the signal carry information? (issue 8 §8) The funnel's news factor against the 30-minute
 * forward return, on the simulator with headlines that carry information (signalStrength 0.8:
 * tone matches the move 90 % of the time) and with headlines that carry none (0: a coin flip).
 */
import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/broker/port';
import { sessionBoundsMs } from '../../src/domain/calendar';
import {
  FACTORS,
  evaluateSignals,
  type CycleEvaluation,
  type EvaluateSignalsResult,
} from '../../src/stack/evaluateSignals';

/*
 * Only the first cycle of each day (09:35) over RANGE's trading days: the news factor's IC is
 * largest there (a premarket story's whole post-news drift is still ahead at the open), and a
 * day's first cycle is the most evidence per second of run time. See THRESHOLDS at the end.
 */
const RANGE = { seed: 1, from: '2026-11-02', to: '2026-12-04', cyclesPerDay: 1 } as const;
const TRADING_DAYS = 24; // Thanksgiving (11-26) out, the 11-27 early close in

describe('evaluateSignals', () => {
  let informative: EvaluateSignalsResult | undefined;

  it('the news factor predicts the forward return when headlines carry information, from data before the minute only', async () => {
    let checked = { decisions: 0, horizons: 0 };
    const r = await evaluateSignals({
      ...RANGE,
      signalStrength: 0.8,
      // The clock now stands past every recorded minute, so the whole range is readable: the
      // prices recorded must still be the last closes before their minutes, never later ones.
      beforeClose: async ({ broker, cycles }) => {
        checked = await checkRecordedPrices(broker, cycles);
      },
    });
    informative = r;
    expect(r.days).toBe(TRADING_DAYS);
    expect(r.cycles).toBe(TRADING_DAYS * RANGE.cyclesPerDay);
    const observations = r.cycleDetails.reduce((s, c) => s + c.observations.length, 0);
    expect(observations).toBeGreaterThan(r.cycles * 150);
    expect(checked).toEqual({ decisions: observations, horizons: observations });
    for (const c of r.cycleDetails)
      for (const o of c.observations) expect(o.priceBarMs).toBeLessThan(c.asOfMs);

    // THRESHOLDS (below).
    expect(r.factors.news.n).toBe(r.cycles);
    expect(r.factors.news.meanIc).toBeGreaterThan(0.02);
    expect(r.factors.news.t).toBeGreaterThan(3);
  }, 600_000);

  it('the news factor is indistinguishable from zero when headlines are coin flips (no look-ahead)', async () => {
    const r = await evaluateSignals({ ...RANGE, signalStrength: 0 });
    expect(r.cycles).toBe(TRADING_DAYS * RANGE.cyclesPerDay);
    expect(r.factors.news.n).toBe(r.cycles);
    expect(Math.abs(r.factors.news.t!)).toBeLessThan(2);
    // The headlines' tone is all signalStrength changes: prices, the candidates and every factor
    // computed from prices alone are exactly what they were with informative headlines.
    if (informative)
      for (const f of FACTORS.filter((f) => f !== 'news' && f !== 'composite'))
        expect(r.factors[f]).toEqual(informative.factors[f]);
  }, 600_000);
});

/**
 * Re-reads, after the fact, each day's bars of every recorded symbol and checks each recorded
 * price against them: the price at the decision is the close of the last bar that started before
 * the decision minute (today's bars), the price at the horizon the last one before the horizon.
 */
async function checkRecordedPrices(
  broker: Broker,
  cycles: readonly CycleEvaluation[],
): Promise<{ decisions: number; horizons: number }> {
  const checked = { decisions: 0, horizons: 0 };
  const byDay = new Map<string, CycleEvaluation[]>();
  for (const c of cycles) byDay.set(c.tradingDate, [...(byDay.get(c.tradingDate) ?? []), c]);
  for (const [date, dayCycles] of byDay) {
    const { openMs } = sessionBoundsMs(date)!;
    const symbols = [...new Set(dayCycles.flatMap((c) => c.observations.map((o) => o.symbol)))];
    const last = Math.max(...dayCycles.map((c) => c.horizonMs));
    const bars = await broker.getBars({
      symbols,
      timeframe: '1Min',
      start: new Date(openMs).toISOString(),
      end: new Date(last).toISOString(),
    });
    const lastBefore = (symbol: string, ms: number) =>
      (bars.get(symbol) ?? []).filter((b) => Date.parse(b.t) < ms).at(-1);
    for (const c of dayCycles)
      for (const o of c.observations) {
        const p0 = lastBefore(o.symbol, c.asOfMs);
        expect({ symbol: o.symbol, t: Date.parse(p0!.t), c: p0!.c }).toEqual({
          symbol: o.symbol,
          t: o.priceBarMs,
          c: o.priceAtDecision,
        });
        checked.decisions++;
        const p30 = lastBefore(o.symbol, c.horizonMs)!;
        expect({ symbol: o.symbol, c: p30.c }).toEqual({ symbol: o.symbol, c: o.priceAtHorizon });
        checked.horizons++;
      }
  }
  return checked;
}

/*
 * THRESHOLDS, from measured values (first cycle of each day, 2026-11-02 → 2026-12-04, 24 cycles;
 * seed 1 was chosen before anything was measured, seed 7 run as a second look):
 *
 *   news factor              seed 1: mean IC   t     seed 7: mean IC   t
 *   signalStrength 0.8               0.095   4.70            0.040   2.72
 *   signalStrength 0                 0.003   0.13           −0.003  −0.21
 *
 * A cycle's IC over ~200 candidates has a sampling spread of about 1/√200 ≈ 0.07 (measured sd
 * 0.07–0.12), so 24 cycles measure the mean IC to about ±0.02: at 0.8 the news factor is clearly
 * positive (mean IC 0.095, more than four standard errors), at 0 it is within half of one. The
 * thresholds: at 0.8 mean IC > 0.02 (the informative run is almost five times that) and t > 3
 * (p < 0.003 one-sided; the run gives 4.7, so the IC could lose a third and still pass); at 0
 * |t| < 2, the usual "not distinguishable from zero" (the run gives 0.13). The run is
 * deterministic for the seed, so the margins are against changes to the funnel (scorer, scan),
 * not against chance. The signal is modest by construction: a headline's tone predicts only the
 * post-news drift still ahead (jump × U(−0.4, 0.7), mostly spent within an hour or two), so a
 * cycle's 30-minute returns are mostly noise; seed 7 shows a weaker but still positive reading.
 */

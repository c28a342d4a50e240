/**
 * TradingDayWorkflow on the driven market clock: market time moves only when the day, its
 * emergency responder and its monitor all wait, so slow work never costs market time, every
 * cycle and every monitor tick happens at its own minute, a stop from the monitor acts in the
 * minute it was asked for, and the same day twice makes the same calls at the same market times.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeVenue, MINUTE, type ActivityName } from './fakeVenue';
import { startSpecWorker, type SpecWorker } from './specWorker';

const DRIVEN_INPUT = { marketClock: 'driven' as const };

/** The broker- and decision-facing calls, as market time + name + input (what must repeat exactly). */
const BUSINESS: ActivityName[] = [
  'readMarketClock',
  'getMarketDay',
  'listUniverse',
  'scanChunk',
  'scoreSentiment',
  'detectPatterns',
  'computeIndicators',
  'scoreCandidates',
  'validateRisk',
  'placeBracketOrder',
  'guardPositions',
  'flattenBook',
  'checkFlat',
];
const trace = (venue: FakeVenue): string[] =>
  venue.calls
    .filter((c) => BUSINESS.includes(c.name) && c.outcome === 'ok')
    // Cycle ids carry the run id; everything else must repeat.
    .map(
      (c) => `${c.atMs} ${c.name} ${(JSON.stringify(c.input) ?? '').replace(/(-c\d{2})-[0-9a-f]{8}/g, '$1')}`,
    )
    .sort();

describe('TradingDayWorkflow on the driven market clock', () => {
  let w: SpecWorker;
  beforeAll(async () => {
    w = await startSpecWorker('driven');
  });
  afterEach(async () => w.cleanup());
  afterAll(async () => w?.close());

  it('runs every cycle and every monitor minute at its own market time, however slow the work', async () => {
    // A scan that takes 1.5 s of wall time would cost 15 market minutes at speed 600 on the wall clock.
    const venue = new FakeVenue({ speed: 600, marketClock: 'driven' });
    venue.slow.set('listUniverse', 15 * MINUTE);
    const day = await w.startDay(venue, DRIVEN_INPUT);
    const result = await day.handle.result();

    expect(result).toMatchObject({ status: 'completed', halted: false, openPositionsAtClose: 0 });
    // Cycles at 09:32, 09:47 and 10:02 exactly, each placing at the minute it scanned.
    const cycleTimes = venue.callsOf('listUniverse').map((c) => c.atMs);
    expect(cycleTimes).toEqual([2, 17, 32].map((m) => venue.openMs + m * MINUTE));
    const placements = venue.callsOf('placeBracketOrder');
    expect(placements).toHaveLength(9);
    expect(placements.every((p) => cycleTimes.includes(p.atMs))).toBe(true);
    // The monitor guarded every minute from the open until the close-out stopped it, once each.
    const ticks = venue.callsOf('guardPositions').map((c) => c.atMs);
    const flattenAt = venue.closeMs - 10 * MINUTE;
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(flattenAt);
    expect(ticks).toEqual(Array.from({ length: ticks.length }, (_, i) => venue.openMs + i * MINUTE));
    // The flatten ran at the flatten time, not later.
    expect(venue.callsOf('flattenBook')[0]!.atMs).toBe(flattenAt);
    expect(venue.isFlat()).toBe(true);
    expect(venue.driven!.participants()).toEqual([]);
  });

  it('stops in the minute the monitor hits the loss limit, and a second run makes the same calls', async () => {
    const runDay = async (): Promise<FakeVenue> => {
      const venue = new FakeVenue({ speed: 600, marketClock: 'driven' });
      const limitAt = venue.openMs + 20 * MINUTE;
      venue.lossLevel = (nowMs) => (nowMs >= limitAt ? 'limit' : 'ok');
      venue.dailyPnl = '-2500.00';
      const day = await w.startDay(venue, DRIVEN_INPUT);
      const result = await day.handle.result();
      expect(result).toMatchObject({ status: 'completed', halted: true, openPositionsAtClose: 0 });
      const flattens = venue.callsOf('flattenBook');
      expect(flattens[0]!.atMs).toBe(limitAt);
      // Nothing was placed from the limit on: the 09:47 cycle placed, the 10:02 one never ran.
      expect(venue.callsOf('placeBracketOrder').every((c) => c.atMs < limitAt)).toBe(true);
      expect(venue.callsOf('listUniverse').map((c) => c.atMs)).toEqual(
        [2, 17].map((m) => venue.openMs + m * MINUTE),
      );
      return venue;
    };
    const first = await runDay();
    const second = await runDay();
    expect(trace(second)).toEqual(trace(first));
  });
});

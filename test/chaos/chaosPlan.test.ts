import { describe, expect, it } from 'vitest';
import { sessionBoundsMs } from '../../src/domain/calendar';
import {
  ChaosPlanError,
  MINUTE_MS,
  planChaos,
  settleMs,
  SETTLE_WALL_SECONDS,
  type SessionTimes,
} from './chaosPlan';

const sessionOf = (date: string): SessionTimes => {
  const { openMs, closeMs } = sessionBoundsMs(date)!;
  return { openMs, closeMs, firstCycleMs: openMs + 5 * MINUTE_MS, flattenMs: closeMs - 10 * MINUTE_MS };
};

describe('the chaos plan', () => {
  const session = sessionOf('2026-11-24');

  it('is the same for the same seed, and another for another seed', () => {
    const a = planChaos({ seed: 13, kills: 5, speed: 60, session });
    expect(planChaos({ seed: 13, kills: 5, speed: 60, session })).toEqual(a);
    expect(planChaos({ seed: 14, kills: 5, speed: 60, session })).not.toEqual(a);
  });

  it('strikes n times: a placement kill, a kill in the emergency stop, the rest at plain moments', () => {
    for (const kills of [0, 1, 2, 5, 9]) {
      const p = planChaos({ seed: 3, kills, speed: 60, session });
      const planned =
        (p.placementKillEntry === null ? 0 : 1) + (p.haltKill ? 1 : 0) + p.timedKillsAtMs.length;
      expect(planned).toBe(kills);
    }
    expect(planChaos({ seed: 3, kills: 5, speed: 60, session }).placementKillEntry).toBeOneOf([2, 3]);
  });

  it('keeps every strike between the first cycle and the time its stall must have settled by', () => {
    for (let seed = 0; seed < 50; seed++) {
      const p = planChaos({ seed, kills: 6, speed: 60, session });
      expect(p.chaosEndMs).toBe(session.flattenMs - settleMs(SETTLE_WALL_SECONDS, 60));
      const times = [p.temporalRestartAtMs, p.haltAtMs, p.databaseCutAtMs, ...p.timedKillsAtMs];
      for (const t of times) {
        expect(t).toBeGreaterThanOrEqual(session.firstCycleMs);
        expect(t).toBeLessThanOrEqual(p.chaosEndMs);
      }
      // The Temporal restart comes first, then the halt, then the database cut.
      expect(p.temporalRestartAtMs).toBeLessThan(p.haltAtMs);
      expect(p.haltAtMs).toBeLessThan(p.databaseCutAtMs);
      expect(p.databaseCutMarketMs).toBe(2 * MINUTE_MS);
    }
  });

  it('refuses a speed at which a lost worker stalls past the flatten time', () => {
    expect(() => planChaos({ seed: 1, kills: 2, speed: 600, session: sessionOf('2026-11-27') })).toThrow(
      ChaosPlanError,
    );
    expect(() =>
      planChaos({ seed: 1, kills: 2, speed: 150, session: sessionOf('2026-11-27') }),
    ).not.toThrow();
    expect(() => planChaos({ seed: 1, kills: -1, speed: 60, session })).toThrow(/--kills/);
  });
});

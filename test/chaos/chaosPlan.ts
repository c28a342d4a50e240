/**
 * When the chaos run strikes, drawn from its seed (mulberry32): the same seed, session and speed
 * give the same plan. Pure; the harness (runChaos.ts) carries it out against market time.
 *
 * Market time is wall time × speed, but a lost worker is found by Temporal on *wall* time: an
 * activity attempt on a killed worker is retried only after its heartbeat timeout (placements,
 * flattens and monitor guards: 10 s, WORKER_LOST_AFTER), and a workflow task after the sticky
 * queue's 10 s. So the plan keeps every strike early
 * enough that the stall it causes, plus a restart, ends before the day's flatten time:
 * `settleMs(wallSeconds)` converts that wall budget to market time at the run's speed.
 */
import { mulberry32 } from '../support/mulberry32';

export const MINUTE_MS = 60_000;

/** Wall seconds after a strike before Catalyst is whole again: a heartbeat or sticky-queue timeout (10 s), a restart, a margin. */
export const SETTLE_WALL_SECONDS = 30;
/** The database outage, in market minutes. */
export const DATABASE_CUT_MARKET_MINUTES = 2;

export interface SessionTimes {
  openMs: number;
  /** The day's first cycle (open + first_cycle_after_open_minutes). */
  firstCycleMs: number;
  /** The close-out (close − flatten_before_close_minutes). */
  flattenMs: number;
  closeMs: number;
}

export interface ChaosPlanInput {
  seed: number;
  kills: number;
  speed: number;
  session: SessionTimes;
}

export interface ChaosPlan {
  seed: number;
  speed: number;
  kills: number;
  /** Kill on the simulator's 2xx to this entry placement (1-based, counted over the day); null without kills. */
  placementKillEntry: number | null;
  /** Kill on the first cancel or exit after the halt. */
  haltKill: boolean;
  /** Not before: the halt waits (to `haltLatestMs`) for the placement kill and for something of Catalyst's to flatten. */
  haltAtMs: number;
  haltLatestMs: number;
  temporalRestartAtMs: number;
  databaseCutAtMs: number;
  databaseCutMarketMs: number;
  /** SIGKILLs at plain moments, whatever the worker is doing. */
  timedKillsAtMs: number[];
  /** No strike after this: what it stalls must settle before the flatten time. */
  chaosEndMs: number;
}

export class ChaosPlanError extends Error {
  override name = 'ChaosPlanError';
}

/** Market milliseconds that pass in `wallSeconds` at `speed`. */
export const settleMs = (wallSeconds: number, speed: number): number => wallSeconds * 1000 * speed;

export function planChaos(input: ChaosPlanInput): ChaosPlan {
  const { seed, kills, speed, session } = input;
  if (!Number.isSafeInteger(kills) || kills < 0)
    throw new ChaosPlanError(`--kills must be a whole number ≥ 0, got ${kills}`);
  const rng = mulberry32(seed);
  const within = (from: number, to: number): number => Math.round(from + rng() * (to - from));
  const start = session.firstCycleMs;
  const chaosEndMs = session.flattenMs - settleMs(SETTLE_WALL_SECONDS, speed);
  const span = chaosEndMs - start;
  if (span < 30 * MINUTE_MS)
    throw new ChaosPlanError(
      `at speed ${speed} a killed worker costs ${Math.round(settleMs(SETTLE_WALL_SECONDS, speed) / MINUTE_MS)} market minutes ` +
        `(${SETTLE_WALL_SECONDS} s of wall time until Temporal retries its activities), which leaves ` +
        `${Math.max(0, Math.round(span / MINUTE_MS))} market minutes between the first cycle and the flatten: lower --speed`,
    );
  const at = (from: number, to: number): number => within(start + from * span, start + to * span);
  const temporalRestartAtMs = at(0.1, 0.3);
  const haltAtMs = at(0.35, 0.5);
  const databaseCutAtMs = at(0.6, 0.85);
  const timed = Math.max(0, kills - 2);
  const timedKillsAtMs = Array.from({ length: timed }, () => at(0.05, 1)).sort((a, b) => a - b);
  return {
    seed,
    speed,
    kills,
    // The 2nd or 3rd entry: the ones before it are positions the halt will have to flatten.
    placementKillEntry: kills >= 1 ? 2 + Math.floor(rng() * 2) : null,
    haltKill: kills >= 2,
    haltAtMs,
    haltLatestMs: chaosEndMs,
    temporalRestartAtMs,
    databaseCutAtMs,
    databaseCutMarketMs: DATABASE_CUT_MARKET_MINUTES * MINUTE_MS,
    timedKillsAtMs,
    chaosEndMs,
  };
}

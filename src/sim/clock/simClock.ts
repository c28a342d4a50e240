/**
 * The scaled market clock: simNow = anchorSim + (wallNow - anchorWall) × speed.
 * A manual clock (tests) only moves when told to, so runs are reproducible to the millisecond.
 */
export interface SimClock {
  readonly speed: number;
  readonly manual: boolean;
  now(): number;
  /** Moves the clock to `simMs` and keeps it running from there at `speed`. */
  set(simMs: number): void;
}

export function createClock(startSimMs: number, speed: number, manual: boolean): SimClock {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new Error(`speed must be a positive number, got ${speed}`);
  let anchorSim = startSimMs;
  let anchorWall = Date.now();
  return {
    speed,
    manual,
    now: () => (manual ? anchorSim : Math.floor(anchorSim + (Date.now() - anchorWall) * speed)),
    set(simMs: number) {
      anchorSim = simMs;
      anchorWall = Date.now();
    },
  };
}

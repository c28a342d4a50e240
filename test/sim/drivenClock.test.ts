import { describe, expect, it } from 'vitest';
import { createDrivenClock, DrivenClockError, type DrivenClock } from '../../src/sim/clock/drivenClock';

const MIN = 60_000;
/** 2026-03-02 09:30 New York (a Monday open): any fixed market time will do. */
const T0 = Date.UTC(2026, 2, 2, 14, 30);

/** A fake venue: a market time that moves only through `advanceTo`, which it records. */
function fakeVenue(start = T0) {
  const v = {
    now: start,
    advanced: [] as number[],
    /** When set, `advanceTo` throws it (after recording the call) and the time stays put. */
    failWith: undefined as unknown,
    /** Called inside `advanceTo` after the time moved (a venue callback). */
    onAdvance: undefined as ((ms: number) => void) | undefined,
  };
  const clock = createDrivenClock({
    now: () => v.now,
    advanceTo: (ms) => {
      v.advanced.push(ms);
      if (v.failWith !== undefined) throw v.failWith;
      v.now = ms;
      v.onAdvance?.(ms);
    },
  });
  return { v, clock };
}

interface Tracked<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
}

/** Observes a promise without awaiting it (and without leaving a rejection unhandled). */
function track<T>(p: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { settled: false };
  p.then(
    (value) => Object.assign(t, { settled: true, value }),
    (error: unknown) => Object.assign(t, { settled: true, error }),
  );
  return t;
}

/** Lets every pending promise reaction (and one macrotask turn) run. */
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

const states = (clock: DrivenClock): Record<string, string> =>
  Object.fromEntries(
    clock.participants().map((p) => [p.id, p.state === 'waiting' ? `waiting@${p.untilMs! - T0}` : p.state]),
  );

describe('driven clock: moving market time', () => {
  it('jumps to the earliest wait only, releases only that one, and the other waits on', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const a1 = track(clock.wait('a', T0 + 5 * MIN));
    await flush();
    // b still works: nothing moves.
    expect(v.advanced).toEqual([]);
    expect(a1.settled).toBe(false);
    expect(states(clock)).toEqual({ a: `waiting@${5 * MIN}`, b: 'busy' });

    const b1 = track(clock.wait('b', T0 + 10 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(a1).toEqual({ settled: true, value: T0 + 5 * MIN });
    expect(b1.settled).toBe(false);
    // a was released and works again: the clock holds at a's time though b waits for later.
    expect(states(clock)).toEqual({ a: 'busy', b: `waiting@${10 * MIN}` });
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(clock.now()).toBe(T0 + 5 * MIN);

    // a waits again, later than b: the clock moves to b's time and releases b only.
    const a2 = track(clock.wait('a', T0 + 20 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
    expect(b1).toEqual({ settled: true, value: T0 + 10 * MIN });
    expect(a2.settled).toBe(false);
    expect(states(clock)).toEqual({ a: `waiting@${20 * MIN}`, b: 'busy' });

    // b waits for the same time as a: one jump releases both.
    const b2 = track(clock.wait('b', T0 + 20 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN, T0 + 10 * MIN, T0 + 20 * MIN]);
    expect(a2).toEqual({ settled: true, value: T0 + 20 * MIN });
    expect(b2).toEqual({ settled: true, value: T0 + 20 * MIN });
    expect(states(clock)).toEqual({ a: 'busy', b: 'busy' });
  });

  it('releases every wait due by the time the venue actually reached', async () => {
    // A venue that overshoots (it moves in whole 10-minute steps): all waits due by then are released.
    let now = T0;
    const advanced: number[] = [];
    const clock = createDrivenClock({
      now: () => now,
      advanceTo: (ms) => {
        advanced.push(ms);
        now = Math.ceil(ms / (10 * MIN)) * 10 * MIN;
      },
    });
    clock.join(['a', 'b', 'c'], 'busy');
    const a = track(clock.wait('a', T0 + 1 * MIN));
    const b = track(clock.wait('b', T0 + 7 * MIN));
    const c = track(clock.wait('c', T0 + 11 * MIN));
    await flush();
    expect(advanced).toEqual([T0 + 1 * MIN]);
    expect(a).toEqual({ settled: true, value: T0 + 10 * MIN });
    expect(b).toEqual({ settled: true, value: T0 + 10 * MIN });
    expect(c.settled).toBe(false);
  });

  it('does nothing while nobody waits for a time', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'parked');
    clock.park(['a']);
    clock.leave(['b']);
    await flush();
    expect(v.advanced).toEqual([]);
    expect(clock.now()).toBe(T0);
    expect(states(clock)).toEqual({ a: 'parked' });
  });

  it('resolves a wait for a time at or before now at once, without moving, and the waiter stays busy', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const b = track(clock.wait('b', T0 + 5 * MIN));
    const past = track(clock.wait('a', T0 - 3 * MIN));
    await Promise.resolve();
    await Promise.resolve();
    // The value is the market time now, not the (earlier) target.
    expect(past).toEqual({ settled: true, value: T0 });
    const present = track(clock.wait('a', T0));
    await flush();
    expect(present).toEqual({ settled: true, value: T0 });
    expect(v.advanced).toEqual([]);
    // a never stopped working, so b's wait does not move the clock.
    expect(states(clock)).toEqual({ a: 'busy', b: `waiting@${5 * MIN}` });
    expect(b.settled).toBe(false);
    clock.park(['a']);
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(b).toEqual({ settled: true, value: T0 + 5 * MIN });
  });

  it('a sole participant that waits moves the clock at once', async () => {
    const { v, clock } = fakeVenue();
    const got = await clock.wait('solo', T0 + 3 * MIN); // unknown ids join as they wait
    expect(got).toBe(T0 + 3 * MIN);
    expect(v.advanced).toEqual([T0 + 3 * MIN]);
    expect(states(clock)).toEqual({ solo: 'busy' });
  });

  it('rejects a wait for a time that is not finite, and nothing changes', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a'], 'parked');
    await expect(clock.wait('a', Number.NaN)).rejects.toBeInstanceOf(DrivenClockError);
    await expect(clock.wait('a', Infinity)).rejects.toThrow(/bad wait time/);
    await expect(clock.wait('nobody', -Infinity)).rejects.toBeInstanceOf(DrivenClockError);
    expect(states(clock)).toEqual({ a: 'parked' });
    expect(v.advanced).toEqual([]);
  });
});

describe('driven clock: busy, parked and leaving participants', () => {
  it('a busy participant holds the clock until it waits', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['main'], 'busy');
    clock.join(['monitor'], 'busy');
    const monitor = track(clock.wait('monitor', T0 + 1 * MIN));
    for (let i = 0; i < 5; i++) await flush();
    expect(v.advanced).toEqual([]);
    expect(monitor.settled).toBe(false);
    const main = track(clock.wait('main', T0 + 2 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 1 * MIN]);
    expect(monitor).toEqual({ settled: true, value: T0 + 1 * MIN });
    expect(main.settled).toBe(false);
  });

  it('a busy participant holds the clock until it parks, and a parked one does not hold it', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['main', 'monitor'], 'busy');
    const m1 = track(clock.wait('monitor', T0 + 1 * MIN));
    await flush();
    expect(v.advanced).toEqual([]);

    clock.park(['main']);
    await flush();
    expect(v.advanced).toEqual([T0 + 1 * MIN]);
    expect(m1).toEqual({ settled: true, value: T0 + 1 * MIN });

    // While main stays parked the monitor runs alone.
    expect(await clock.wait('monitor', T0 + 2 * MIN)).toBe(T0 + 2 * MIN);
    expect(v.advanced).toEqual([T0 + 1 * MIN, T0 + 2 * MIN]);

    // busy() on a parked participant holds the clock again, without moving it itself.
    clock.busy(['main']);
    expect(states(clock)).toEqual({ main: 'busy', monitor: 'busy' });
    const m3 = track(clock.wait('monitor', T0 + 3 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 1 * MIN, T0 + 2 * MIN]);
    expect(m3.settled).toBe(false);

    const main = track(clock.wait('main', T0 + 4 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 1 * MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    expect(m3).toEqual({ settled: true, value: T0 + 3 * MIN });
    expect(main.settled).toBe(false);
  });

  it('join sets the state of known participants and adds unknown ones', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a'], 'parked');
    clock.join(['a', 'b'], 'busy');
    expect(states(clock)).toEqual({ a: 'busy', b: 'busy' });
    const b = track(clock.wait('b', T0 + MIN));
    await flush();
    expect(v.advanced).toEqual([]);
    clock.join(['a'], 'parked');
    await flush();
    expect(v.advanced).toEqual([T0 + MIN]);
    expect(b).toEqual({ settled: true, value: T0 + MIN });
  });

  it('busy() on a waiting participant ends its wait at once with the market time now, and it holds the clock', async () => {
    // The code's choice: a participant marked busy by another (which is about to signal it) cannot
    // keep waiting for a time the clock will not reach while it holds it, so its wait ends now. The
    // value is below its target, which is how the waiter tells this early end from a release.
    const { v, clock } = fakeVenue();
    clock.join(['main', 'responder'], 'busy');
    const r = track(clock.wait('responder', T0 + 10 * MIN));
    const m1 = track(clock.wait('main', T0 + 5 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(m1.value).toBe(T0 + 5 * MIN);
    expect(r.settled).toBe(false);

    clock.busy(['responder']);
    await flush();
    expect(r).toEqual({ settled: true, value: T0 + 5 * MIN });
    expect(r.value).toBeLessThan(T0 + 10 * MIN);
    expect(states(clock)).toEqual({ main: 'busy', responder: 'busy' });

    // The responder now holds the clock.
    const m2 = track(clock.wait('main', T0 + 20 * MIN));
    for (let i = 0; i < 3; i++) await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(m2.settled).toBe(false);

    const r2 = track(clock.wait('responder', T0 + 10 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN, T0 + 10 * MIN]);
    expect(r2).toEqual({ settled: true, value: T0 + 10 * MIN });
    expect(m2.settled).toBe(false);
  });

  it('park() on a waiting participant ends its wait now and it no longer holds or steers the clock', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const a = track(clock.wait('a', T0 + 3 * MIN));
    clock.park(['a']);
    await flush();
    expect(a).toEqual({ settled: true, value: T0 });
    expect(states(clock)).toEqual({ a: 'parked', b: 'busy' });
    // a's old target (3 min) is forgotten: the clock goes straight to b's.
    expect(await clock.wait('b', T0 + 8 * MIN)).toBe(T0 + 8 * MIN);
    expect(v.advanced).toEqual([T0 + 8 * MIN]);
  });

  it('leave of the last busy participant lets the others advance', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['day', 'monitor', 'responder'], 'busy');
    clock.park(['responder']);
    const m = track(clock.wait('monitor', T0 + 5 * MIN));
    await flush();
    expect(v.advanced).toEqual([]);
    clock.leave(['day']);
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(m).toEqual({ settled: true, value: T0 + 5 * MIN });
    expect(states(clock)).toEqual({ monitor: 'busy', responder: 'parked' });
  });

  it('leave of a waiting participant ends its wait now and drops its time', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b', 'c'], 'busy');
    const a = track(clock.wait('a', T0 + 5 * MIN));
    const b = track(clock.wait('b', T0 + 10 * MIN));
    clock.leave(['a', 'unknown']);
    await flush();
    expect(a).toEqual({ settled: true, value: T0 });
    expect(v.advanced).toEqual([]); // c still works
    clock.park(['c']);
    await flush();
    // Not 5 min: a's wait left with it.
    expect(v.advanced).toEqual([T0 + 10 * MIN]);
    expect(b).toEqual({ settled: true, value: T0 + 10 * MIN });
    expect(states(clock)).toEqual({ b: 'busy', c: 'parked' });
  });

  it('a participant that waits again ends its earlier wait with a DrivenClockError', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const first = track(clock.wait('a', T0 + 10 * MIN));
    const second = track(clock.wait('a', T0 + 3 * MIN));
    await flush();
    expect(first.error).toBeInstanceOf(DrivenClockError);
    expect(String(first.error)).toMatch(/a waits again/);
    expect(second.settled).toBe(false);
    clock.park(['b']);
    await flush();
    expect(v.advanced).toEqual([T0 + 3 * MIN]);
    expect(second).toEqual({ settled: true, value: T0 + 3 * MIN });
  });
});

describe('driven clock: aborted waits', () => {
  it('aborting a wait rejects it with the abort reason and leaves the participant busy (the clock holds)', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['main', 'monitor'], 'busy');
    const ac = new AbortController();
    const main = track(clock.wait('main', T0 + 10 * MIN, ac.signal));
    const monitor = track(clock.wait('monitor', T0 + 5 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(monitor.value).toBe(T0 + 5 * MIN);

    ac.abort();
    await flush();
    expect(main.settled).toBe(true);
    expect(main.error).toBe(ac.signal.reason);
    expect((main.error as Error).name).toBe('AbortError');
    expect(states(clock)).toEqual({ main: 'busy', monitor: 'busy' });

    // main is busy now: the monitor's next wait does not move the clock, not even to main's old time.
    const monitor2 = track(clock.wait('monitor', T0 + 7 * MIN));
    for (let i = 0; i < 3; i++) await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(monitor2.settled).toBe(false);

    clock.park(['main']);
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN, T0 + 7 * MIN]);
    expect(monitor2.value).toBe(T0 + 7 * MIN);
  });

  it('rejects with the signal reason when it is an Error, and a DrivenClockError otherwise, before or during the wait', async () => {
    const { clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const cases: Array<{ reason: unknown; check: (e: unknown) => void }> = [
      {
        reason: new Error('woken by a signal'),
        check: (e) => expect(e).toEqual(new Error('woken by a signal')),
      },
      { reason: 'just a string', check: (e) => expect(e).toBeInstanceOf(DrivenClockError) },
    ];
    for (const { reason, check } of cases) {
      const during = new AbortController();
      const d = track(clock.wait('a', T0 + 10 * MIN, during.signal));
      during.abort(reason);
      const before = new AbortController();
      before.abort(reason);
      const p = track(clock.wait('a', T0 + 10 * MIN, before.signal));
      await flush();
      check(d.error);
      check(p.error);
      expect(states(clock).a).toBe('busy');
    }
  });

  it('an already aborted signal rejects at once, ends an earlier wait, and moves nothing', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const earlier = track(clock.wait('a', T0 + 2 * MIN));
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    const now = track(clock.wait('a', T0 + 1 * MIN, ac.signal));
    clock.park(['b']);
    await flush();
    expect(earlier.error).toBeInstanceOf(DrivenClockError);
    expect((now.error as Error).message).toBe('stop');
    expect(states(clock)).toEqual({ a: 'busy', b: 'parked' });
    expect(v.advanced).toEqual([]);
  });

  it('an abort after the wait was released or superseded changes nothing', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const ac1 = new AbortController();
    const first = track(clock.wait('a', T0 + 1 * MIN, ac1.signal));
    clock.park(['b']);
    await flush();
    expect(first).toEqual({ settled: true, value: T0 + 1 * MIN });

    clock.busy(['b']);
    const ac2 = new AbortController();
    const second = track(clock.wait('a', T0 + 4 * MIN, ac2.signal));
    ac1.abort(); // released long ago
    await flush();
    expect(states(clock)).toEqual({ a: `waiting@${4 * MIN}`, b: 'busy' });
    expect(second.settled).toBe(false);

    const third = track(clock.wait('a', T0 + 3 * MIN)); // supersedes the second wait
    ac2.abort();
    await flush();
    expect(second.error).toBeInstanceOf(DrivenClockError);
    expect(states(clock)).toEqual({ a: `waiting@${3 * MIN}`, b: 'busy' });
    clock.park(['b']);
    await flush();
    expect(third).toEqual({ settled: true, value: T0 + 3 * MIN });
    expect(v.advanced).toEqual([T0 + 1 * MIN, T0 + 3 * MIN]);
  });
});

describe('driven clock: failures and reset', () => {
  it('rejects every waiter with a DrivenClockError when advanceTo throws, then recovers', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b', 'c'], 'busy');
    clock.park(['c']);
    v.failWith = new Error('venue exploded');
    const a = track(clock.wait('a', T0 + 5 * MIN));
    const b = track(clock.wait('b', T0 + 10 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN]);
    expect(clock.now()).toBe(T0);
    for (const w of [a, b]) {
      expect(w.error).toBeInstanceOf(DrivenClockError);
      expect((w.error as Error).name).toBe('DrivenClockError');
      expect((w.error as Error).message).toMatch(/could not move: venue exploded/);
    }
    // Failed waiters are busy (they must decide what to do); parked ones stay parked.
    expect(states(clock)).toEqual({ a: 'busy', b: 'busy', c: 'parked' });

    v.failWith = undefined;
    const a2 = track(clock.wait('a', T0 + 5 * MIN));
    const b2 = track(clock.wait('b', T0 + 10 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 5 * MIN, T0 + 5 * MIN]);
    expect(a2.value).toBe(T0 + 5 * MIN);
    expect(b2.settled).toBe(false);
  });

  it('names what the venue threw even when it is not an Error', async () => {
    const { v, clock } = fakeVenue();
    v.failWith = 'market data missing';
    const a = track(clock.wait('a', T0 + 5 * MIN));
    await flush();
    expect(a.error).toBeInstanceOf(DrivenClockError);
    expect((a.error as Error).message).toMatch(/market data missing/);
  });

  it('fails the waiters instead of spinning when the venue does not move', async () => {
    let calls = 0;
    const clock = createDrivenClock({
      now: () => T0,
      advanceTo: () => {
        // A stuck venue. The guard throws after many calls so a spinning clock fails this test
        // instead of hanging the process.
        if (++calls > 1000) throw new Error('called in a loop');
      },
    });
    const a = track(clock.wait('a', T0 + 5 * MIN));
    await flush();
    expect(calls).toBe(1);
    expect(a.error).toBeInstanceOf(DrivenClockError);
    expect(states(clock)).toEqual({ a: 'busy' });
  });

  it('a venue callback that marks someone busy during advanceTo stops further moves', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b', 'c'], 'busy');
    const b = track(clock.wait('b', T0 + 8 * MIN));
    const c = track(clock.wait('c', T0 + 9 * MIN));
    // When the clock reaches 2 min, a fill wakes c (its wait ends now).
    v.onAdvance = (ms) => {
      if (ms === T0 + 2 * MIN) clock.busy(['c']);
    };
    const a = track(clock.wait('a', T0 + 2 * MIN));
    await flush();
    expect(v.advanced).toEqual([T0 + 2 * MIN]);
    expect(a.value).toBe(T0 + 2 * MIN);
    expect(c).toEqual({ settled: true, value: T0 + 2 * MIN });
    expect(b.settled).toBe(false);
    expect(states(clock)).toEqual({ a: 'busy', b: `waiting@${8 * MIN}`, c: 'busy' });
  });

  it('reset rejects pending waits, forgets everyone, and the clock works afresh', async () => {
    const { v, clock } = fakeVenue();
    clock.join(['a', 'b'], 'busy');
    const ac = new AbortController();
    const a = track(clock.wait('a', T0 + 5 * MIN, ac.signal));
    clock.reset();
    await flush();
    expect(a.error).toBeInstanceOf(DrivenClockError);
    expect((a.error as Error).message).toMatch(/reset/);
    expect(clock.participants()).toEqual([]);
    ac.abort(); // the old wait's signal no longer matters
    // b (busy before the reset) is forgotten: it no longer holds the clock.
    expect(await clock.wait('c', T0 + 6 * MIN)).toBe(T0 + 6 * MIN);
    expect(v.advanced).toEqual([T0 + 6 * MIN]);
    expect(states(clock)).toEqual({ c: 'busy' });
  });
});

/** A 32-bit linear congruential generator (Numerical Recipes constants): deterministic, seeded. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return {
    /** An integer in [0, n). */
    int(n: number): number {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return Math.floor((s / 2 ** 32) * n);
    },
  };
}

/** Some work: a random mix of microtask and macrotask turns. */
async function work(rng: ReturnType<typeof lcg>): Promise<void> {
  const steps = rng.int(4);
  for (let i = 0; i < steps; i++) {
    if (rng.int(2) === 0) await Promise.resolve();
    else await new Promise((r) => setImmediate(r));
  }
}

interface Trace {
  advanced: number[];
  waits: Array<{ id: string; target: number; got: number }>;
  violations: string[];
}

/**
 * Three participants each do `rounds` rounds of "work, then wait for now + k minutes" (k in 0..5),
 * then leave. Every rule is checked from outside the clock: `working` is each participant's own
 * account of whether it is running.
 */
async function runWorkers(seed: number, rounds: number): Promise<Trace> {
  let now = T0;
  const trace: Trace = { advanced: [], waits: [], violations: [] };
  const ids = ['main', 'monitor', 'responder'];
  const working = new Set<string>(ids);
  const clock = createDrivenClock({
    now: () => now,
    advanceTo: (ms) => {
      const ps = clock.participants();
      const waiting = ps.filter((p) => p.state === 'waiting').map((p) => p.untilMs!);
      if (ms <= now) trace.violations.push(`advance to ${ms - T0} not after now ${now - T0}`);
      if (working.size > 0) trace.violations.push(`advance while ${[...working].join(',')} work`);
      if (ps.some((p) => p.state === 'busy')) trace.violations.push(`advance with a busy participant`);
      if (ms !== Math.min(...waiting)) trace.violations.push(`advance to ${ms - T0}, not the earliest wait`);
      trace.advanced.push(ms);
      now = ms;
    },
  });
  clock.join(ids, 'busy');
  const master = lcg(seed);
  const worker = async (id: string, rng: ReturnType<typeof lcg>): Promise<void> => {
    for (let r = 0; r < rounds; r++) {
      await work(rng);
      const target = clock.now() + rng.int(6) * MIN;
      working.delete(id);
      const got = await clock.wait(id, target);
      working.add(id);
      trace.waits.push({ id, target, got });
      if (got < target) trace.violations.push(`${id} released at ${got - T0} before ${target - T0}`);
      if (got !== clock.now()) trace.violations.push(`${id} got ${got - T0} but the clock is at ${now - T0}`);
      const view = clock.participants();
      if (view.find((p) => p.id === id)?.state !== 'busy') trace.violations.push(`${id} not busy on release`);
      for (const p of view) {
        if (p.state === 'waiting' && p.untilMs! <= now) trace.violations.push(`${p.id} is due but waits`);
      }
    }
    working.delete(id);
    clock.leave([id]);
  };
  let watchdog: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    watchdog = setTimeout(
      () => reject(new Error(`stalled: ${JSON.stringify(clock.participants())}`)),
      10_000,
    );
  });
  try {
    await Promise.race([Promise.all(ids.map((id) => worker(id, lcg(master.int(2 ** 31))))), stalled]);
  } finally {
    clearTimeout(watchdog);
  }
  expect(clock.participants()).toEqual([]);
  return trace;
}

describe('driven clock: randomized property (seeded)', () => {
  const ROUNDS = 60;
  for (const seed of [1, 42, 20260302, 0xdeadbeef]) {
    it(`seed ${seed}: the clock never goes back, never moves while anyone works, and releases exactly on time`, async () => {
      const trace = await runWorkers(seed, ROUNDS);
      expect(trace.violations).toEqual([]);
      expect(trace.waits).toHaveLength(3 * ROUNDS);
      for (let i = 1; i < trace.advanced.length; i++) {
        expect(trace.advanced[i]!).toBeGreaterThan(trace.advanced[i - 1]!);
      }
      // The run exercised what it claims to: real jumps, waits already due, and simultaneous releases.
      expect(trace.advanced.length).toBeGreaterThan(10);
      expect(trace.waits.some((w) => w.got === w.target && w.target === trace.advanced[0])).toBe(true);
      const releasesAt = new Map<number, number>();
      for (const w of trace.waits) releasesAt.set(w.got, (releasesAt.get(w.got) ?? 0) + 1);
      expect([...releasesAt.values()].some((n) => n > 1)).toBe(true);
      // Every wait for a later time was released at the jump that reached it, and at its very time
      // (each jump goes to the earliest target): got === target whenever target was in the future.
      const jumps = new Set(trace.advanced);
      for (const w of trace.waits) if (w.got !== w.target) expect(jumps.has(w.target)).toBe(false);

      // Same seed, same day.
      const again = await runWorkers(seed, ROUNDS);
      expect(again).toEqual(trace);
    });
  }

  it('a responder that parks on a signal holds the clock from the moment it is marked busy until it parks', async () => {
    let now = T0;
    const violations: string[] = [];
    const advanced: number[] = [];
    let responderWorking = false;
    const clock = createDrivenClock({
      now: () => now,
      advanceTo: (ms) => {
        if (responderWorking) violations.push(`advance to ${ms - T0} while the responder works`);
        advanced.push(ms);
        now = ms;
      },
    });
    const rng = lcg(7);
    let signal: ((stop: boolean) => void) | null = null;
    let handled = 0;
    let sent = 0;
    clock.join(['main', 'responder'], 'busy');

    const responder = async (): Promise<void> => {
      for (;;) {
        const woken = new Promise<boolean>((r) => (signal = r));
        responderWorking = false;
        clock.park(['responder']);
        const stop = await woken;
        if (stop) break;
        await work(rng);
        await work(rng);
        handled++;
      }
      responderWorking = false;
      clock.leave(['responder']);
    };
    const main = async (): Promise<void> => {
      for (let r = 0; r < 80; r++) {
        await work(rng);
        if (signal && rng.int(3) === 0) {
          const s = signal;
          signal = null;
          clock.busy(['responder']); // before signalling: the clock must not move before it runs
          responderWorking = true; // runnable from now on, though it resumes a few turns later
          s(false);
          sent++;
        }
        const target = clock.now() + (1 + rng.int(4)) * MIN;
        expect(await clock.wait('main', target)).toBe(target);
      }
      while (!signal) await clock.wait('main', clock.now() + MIN);
      clock.busy(['responder']);
      (signal as (stop: boolean) => void)(true);
      clock.leave(['main']);
    };
    await Promise.all([responder(), main()]);

    expect(violations).toEqual([]);
    expect(sent).toBeGreaterThan(5);
    expect(handled).toBe(sent);
    expect(advanced.length).toBeGreaterThanOrEqual(80);
    expect(clock.participants()).toEqual([]);
  });
});

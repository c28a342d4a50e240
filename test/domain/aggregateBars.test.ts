/**
 * Minute bars → N-minute bars for the ATR's timeframe: buckets aligned to each session's open,
 * built from the minutes they have, never spanning two sessions, and none still forming at the
 * as-of minute.
 */
import { describe, expect, it } from 'vitest';
import { aggregateBars, type SessionHours } from '../../src/domain/indicators';
import { ohlcvFromArrays } from '../../src/domain/indicators/kernels';
import { nyTimeToUtcMs } from '../../src/domain/calendar';

const MIN = 60_000;
const MON: SessionHours = {
  openMs: nyTimeToUtcMs('2026-11-23', '09:30'),
  closeMs: nyTimeToUtcMs('2026-11-23', '16:00'),
};
const TUE: SessionHours = {
  openMs: nyTimeToUtcMs('2026-11-24', '09:30'),
  closeMs: nyTimeToUtcMs('2026-11-24', '16:00'),
};
/** The day after Thanksgiving: the session closes at 13:00. */
const FRI: SessionHours = {
  openMs: nyTimeToUtcMs('2026-11-27', '09:30'),
  closeMs: nyTimeToUtcMs('2026-11-27', '13:00'),
};

interface Minute {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** Minute bars whose fields encode their minute, so a wrong first/last/max/min shows. */
function minutes(from: number, count: number, skip: ReadonlySet<number> = new Set()): Minute[] {
  const out: Minute[] = [];
  for (let i = 0; i < count; i++) {
    if (skip.has(i)) continue;
    const base = 100 + i;
    out.push({
      t: from + i * MIN,
      o: base,
      h: base + 0.5 + (i % 7) * 0.1,
      l: base - 0.5 - (i % 5) * 0.1,
      c: base + 0.25,
      v: 10 + i,
    });
  }
  return out;
}

function run(list: readonly Minute[], n: number, sessions: readonly SessionHours[], asOfMs: number) {
  const bars = ohlcvFromArrays({
    open: list.map((b) => b.o),
    high: list.map((b) => b.h),
    low: list.map((b) => b.l),
    close: list.map((b) => b.c),
    volume: list.map((b) => b.v),
  });
  const out = aggregateBars(
    bars,
    list.map((b) => b.t),
    n,
    sessions,
    asOfMs,
  );
  return Array.from({ length: out.length }, (_, i) => ({
    t: out.startMs[i]!,
    o: out.open[i]!,
    h: out.high[i]!,
    l: out.low[i]!,
    c: out.close[i]!,
    v: out.volume[i]!,
  }));
}

/** The expected bar of a group of minutes, written out the long way. */
const bucket = (t: number, group: readonly Minute[]) => ({
  t,
  o: group[0]!.o,
  h: Math.max(...group.map((b) => b.h)),
  l: Math.min(...group.map((b) => b.l)),
  c: group[group.length - 1]!.c,
  v: group.reduce((s, b) => s + b.v, 0),
});

describe('aggregateBars', () => {
  it('is the identity at one minute', () => {
    const list = minutes(TUE.openMs, 45);
    expect(run(list, 1, [TUE], TUE.openMs + 45 * MIN)).toEqual(list);
  });

  it('aligns buckets to the session open, whatever minute the bars start at', () => {
    // Bars from 10:07: the first 15-minute bar is still 10:00–10:15 (from its minutes 10:07–10:14).
    const from = TUE.openMs + 37 * MIN;
    const list = minutes(from, 53); // 10:07 … 10:59
    const got = run(list, 15, [TUE], TUE.openMs + 90 * MIN);
    expect(got.map((b) => (b.t - TUE.openMs) / MIN)).toEqual([30, 45, 60, 75]);
    expect(got[0]).toEqual(bucket(TUE.openMs + 30 * MIN, list.slice(0, 8)));
    expect(got[1]).toEqual(bucket(TUE.openMs + 45 * MIN, list.slice(8, 23)));
    // An hour bar starts at 09:30 and 10:30, not on the clock hour.
    const hours = run(minutes(TUE.openMs, 120), 60, [TUE], TUE.openMs + 120 * MIN);
    expect(hours.map((b) => (b.t - TUE.openMs) / MIN)).toEqual([0, 60]);
  });

  it('builds a bucket from the minutes it has and leaves out a bucket with none', () => {
    // Minutes 2, 3 and 14 missing from the first 5-minute bars; 20–24 missing altogether.
    const list = minutes(TUE.openMs, 30, new Set([2, 3, 14, 20, 21, 22, 23, 24]));
    const got = run(list, 5, [TUE], TUE.openMs + 30 * MIN);
    const at = (m: number) => TUE.openMs + m * MIN;
    const within = (a: number, b: number) => list.filter((x) => x.t >= at(a) && x.t < at(b));
    expect(got).toEqual([
      bucket(at(0), within(0, 5)),
      bucket(at(5), within(5, 10)),
      bucket(at(10), within(10, 15)),
      bucket(at(15), within(15, 20)),
      bucket(at(25), within(25, 30)),
    ]);
    expect(got[0]!.v).toBe(10 + 11 + 14);
  });

  it('never joins two sessions, and leaves out minutes outside both', () => {
    // Monday's last 20 minutes, 30 after-hours and 30 pre-market minutes, Tuesday's first 20.
    const list = [...minutes(MON.closeMs - 20 * MIN, 50), ...minutes(TUE.openMs - 30 * MIN, 50)];
    const got = run(list, 30, [TUE, MON], TUE.openMs + 30 * MIN);
    const mon = list.filter((b) => b.t >= MON.closeMs - 20 * MIN && b.t < MON.closeMs);
    const tue = list.filter((b) => b.t >= TUE.openMs && b.t < TUE.openMs + 20 * MIN);
    // Monday 15:30–16:00 (its last 20 minutes) and Tuesday 09:30–10:00 (its first 20): a bucket of
    // 15:30 would otherwise have run on to 16:00 with the after-hours minutes.
    expect(got).toEqual([bucket(MON.closeMs - 30 * MIN, mon), bucket(TUE.openMs, tue)]);
  });

  it('drops the bucket still forming at the as-of minute', () => {
    const list = minutes(TUE.openMs, 44); // 09:30 … 10:13, as of 10:14
    const asOf = TUE.openMs + 44 * MIN;
    expect(run(list, 15, [TUE], asOf).map((b) => (b.t - TUE.openMs) / MIN)).toEqual([0, 15]);
    // Complete the moment it ends: as of 10:15 the 10:00 bar counts.
    const full = minutes(TUE.openMs, 45);
    expect(run(full, 15, [TUE], asOf + MIN).map((b) => (b.t - TUE.openMs) / MIN)).toEqual([0, 15, 30]);
  });

  it('ends the last bucket of a session at its close', () => {
    // 1Hour on a 13:00 close: 12:30–13:00 is the session's last bar, complete once the session is.
    const list = minutes(FRI.openMs, 210);
    const asOf = FRI.closeMs;
    const got = run(list, 60, [FRI], asOf);
    expect(got.map((b) => (b.t - FRI.openMs) / MIN)).toEqual([0, 60, 120, 180]);
    expect(got[3]).toEqual(bucket(FRI.openMs + 180 * MIN, list.slice(180)));
    // Half an hour earlier it is still forming.
    expect(run(list.slice(0, 180 + 15), 60, [FRI], asOf - 15 * MIN)).toHaveLength(3);
  });

  it('refuses bar times out of order and a non-positive timeframe', () => {
    const list = minutes(TUE.openMs, 3);
    expect(() => run([list[1]!, list[0]!, list[2]!], 5, [TUE], TUE.closeMs)).toThrow(RangeError);
    expect(() => run(list, 0, [TUE], TUE.closeMs)).toThrow(RangeError);
  });
});

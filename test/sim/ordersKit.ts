/**
 * Helpers for the order and matching tests: placing orders over HTTP, reading the minute bars
 * an order will meet (from an "oracle" simulator with the same seed, run ahead), and the fill
 * rules written out plainly so a test can say where an order must fill.
 */
import { expect } from 'vitest';
import { spreadAround } from '../../src/sim/market/marketView';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, type Json } from './simKit';

export const MIN = 60_000;
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Price units (cents: every symbol used here trades above $1). */
export const units = (dollars: number | string): number => Math.round(Number(dollars) * 100);
export const price = (u: number): string => (u / 100).toFixed(2);
export const bid = (u: number): number => spreadAround(u).bid;
export const ask = (u: number): number => spreadAround(u).ask;

export interface Bar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export async function place(sim: RunningSimulator, body: Record<string, unknown>): Promise<Json> {
  const res = await api(sim, 'POST', '/v2/orders', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function getOrder(sim: RunningSimulator, id: string): Promise<Json> {
  return (await api(sim, 'GET', `/v2/orders/${id}`)).body;
}

export async function lastTrade(sim: RunningSimulator, symbol: string): Promise<number> {
  return units((await api(sim, 'GET', `/v2/stocks/${symbol}/snapshot`)).body.latestTrade.p);
}

/** Minute bars of `symbol` starting in [fromMs, toMs], in price units, read from `oracle`. */
export async function bars(
  oracle: RunningSimulator,
  symbol: string,
  fromMs: number,
  toMs: number,
): Promise<Bar[]> {
  if (oracle.nowMs() < toMs + MIN) oracle.advanceTo(toMs + MIN);
  const q = `/v2/stocks/bars?symbols=${symbol}&timeframe=1Min&start=${iso(fromMs)}&end=${iso(toMs)}&limit=10000`;
  const list: Json[] = (await api(oracle, 'GET', q)).body.bars[symbol] ?? [];
  return list.map(barOf);
}

/** A bar as served (dollars, RFC 3339) in price units and epoch ms. */
export const barOf = (b: Json): Bar => ({
  t: Date.parse(b.t),
  o: units(b.o),
  h: units(b.h),
  l: units(b.l),
  c: units(b.c),
  v: b.v,
});

export interface Expected {
  t: number;
  price: number;
}

/*
 * The fill rules, minute by minute from the order's first live minute. For each minute: its
 * open first (fills at the boundary that starts it), then its range (fills at the next boundary).
 */

export function expectLimit(side: 'buy' | 'sell', limit: number, list: Bar[]): Expected | null {
  for (const b of list) {
    if (side === 'buy' ? ask(b.o) <= limit : bid(b.o) >= limit)
      return { t: b.t, price: side === 'buy' ? ask(b.o) : bid(b.o) };
    if (side === 'buy' ? ask(b.l) <= limit : bid(b.h) >= limit) return { t: b.t + MIN, price: limit };
  }
  return null;
}

/** A sell stop, small enough to move no price: the bid at the trigger, one tick worse. */
export function expectSellStop(stop: number, list: Bar[]): Expected | null {
  for (const b of list) {
    if (b.o <= stop) return { t: b.t, price: bid(b.o) - 1 };
    if (b.l <= stop) return { t: b.t + MIN, price: bid(stop) - 1 };
  }
  return null;
}

export function expectSellStopLimit(stop: number, limit: number, list: Bar[]): Expected | null {
  let triggered = false;
  for (const b of list) {
    if (triggered) {
      if (bid(b.o) >= limit) return { t: b.t, price: bid(b.o) };
      if (bid(b.h) >= limit) return { t: b.t + MIN, price: limit };
      continue;
    }
    if (b.o <= stop) {
      triggered = true;
      if (bid(b.o) >= limit) return { t: b.t, price: Math.max(limit, bid(b.o) - 1) };
      if (bid(b.h) >= limit) return { t: b.t + MIN, price: limit };
      continue;
    }
    if (b.l <= stop) {
      triggered = true;
      if (bid(stop) >= limit) return { t: b.t + MIN, price: Math.max(limit, bid(stop) - 1) };
    }
  }
  return null;
}

/** A sell trailing stop; `stopOf` turns the mark into the stop. Also reports the final mark. */
export function expectSellTrailing(
  stopOf: (hwm: number) => number,
  list: Bar[],
): (Expected & { hwm: number; stop: number; firstHwm: number }) | null {
  let hwm: number | null = null;
  let firstHwm = 0;
  for (const b of list) {
    if (hwm === null) hwm = firstHwm = b.o;
    else if (b.o <= stopOf(hwm)) return { t: b.t, price: bid(b.o) - 1, hwm, stop: stopOf(hwm), firstHwm };
    const stop = stopOf(hwm);
    if (b.l <= stop) return { t: b.t + MIN, price: bid(stop) - 1, hwm, stop, firstHwm };
    hwm = Math.max(hwm, b.h);
  }
  return null;
}

/** Every FILL activity, oldest first, following page tokens. */
export async function fillActivities(sim: RunningSimulator): Promise<Json[]> {
  const out: Json[] = [];
  let token = '';
  for (;;) {
    const page: Json[] = (
      await api(sim, 'GET', `/v2/account/activities/FILL?direction=asc&page_size=100${token}`)
    ).body;
    out.push(...page);
    if (page.length < 100) return out;
    token = `&page_token=${encodeURIComponent(page.at(-1).id)}`;
  }
}

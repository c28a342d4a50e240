/**
 * Honest fills: over two sessions on a manual clock, a seeded mix of market and limit orders
 * (buys and sells, seven symbols, pre-open, intraday, in a halt, in the last minute, after the
 * close, day / gtc / ioc, partial fills on) is sent over HTTP; then every fill is audited against
 * the 1-minute bars the simulator serves (GET /v2/stocks/{symbol}/bars):
 *  (1) it happens at a minute boundary after the submission minute, never inside it;
 *  (2) its price is one that could be seen by then — within the range of the minute that just
 *      ended or at the opening print of the new one, widened only by the half-spread (and, for
 *      market orders, the impact cap) of fillPricing.ts;
 *  (3) a market order fills at the open of the first traded minute after submission at
 *      ask(open) + impact (buy) / bid(open) − impact (sell), impact from that minute's volume;
 *  (4) a limit buy never pays above its limit, a sell never gets below, a limit fills only at a
 *      marketable open (at the quote) or after a live minute whose range reached it (at the
 *      limit), and a limit the market never reached never fills.
 * The whole fill sequence of every order (including partial fills) is replayed from the bars with
 * the engine's rule written out plainly below, so any fill the rule does not allow is reported.
 * That the bars themselves never run ahead of the clock is noLookAhead.test.ts's business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMicros } from '../../src/domain/money';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { type Bar, MIN, barOf, bars, fillActivities, iso, place, price, units } from './ordersKit';
import { api, at, type Json, startManual } from './simKit';
import { mulberry32 } from '../support/mulberry32';

const SEED = 4242;
const DAYS = ['2026-03-10', '2026-03-11'] as const;
const SCENARIO = 'halt:XOM@11:00+10m';
const SYMBOLS = ['AAPL', 'MSFT', 'XOM', 'AMD', 'F', 'AGM', 'AFT'] as const;
const HOLDINGS = SYMBOLS.map((s) => `${s}:5000`).join(',');

/*
 * The fill rule, written out from src/sim/venue/fillPricing.ts and matchingEngine.ts (integer
 * price units, cents here: every symbol used trades above $1).
 */

/** marketView.spreadAround: spread max(1, round(5 bps)), bid half a spread (rounded down) under. */
const spreadOf = (p: number): number => Math.max(1, Math.round(p * 0.0005));
const bidOf = (p: number): number => Math.max(1, p - Math.floor(spreadOf(p) / 2));
const askOf = (p: number): number => bidOf(p) + spreadOf(p);
/** fillPricing.impactTicks: one tick per 10 % of the minute's volume, at most 1 % of the price. */
const impactCap = (p: number): number => Math.max(1, Math.floor(p / 100));
const impactOf = (qty: number, volume: number, p: number): number =>
  Math.min(Math.floor((10 * qty) / Math.max(1, volume)), impactCap(p));
/** fillPricing.marketFill. */
const marketFillOf = (side: Side, p: number, qty: number, volume: number): number =>
  side === 'buy' ? askOf(p) + impactOf(qty, volume, p) : Math.max(1, bidOf(p) - impactOf(qty, volume, p));
const takerOf = (side: Side, p: number): number => (side === 'buy' ? askOf(p) : bidOf(p));
/** fillPricing.limitMarketable. */
const marketable = (side: Side, limit: number, p: number): boolean =>
  side === 'buy' ? askOf(p) <= limit : bidOf(p) >= limit;

type Side = 'buy' | 'sell';

interface SessionBars {
  openMs: number;
  closeMs: number;
  minutes: number;
  /** By minute of the session; undefined for a minute without trades (a halt). */
  bars: Array<Bar | undefined>;
}

interface AuditOrder {
  id: string;
  symbol: string;
  side: Side;
  type: 'market' | 'limit';
  tif: 'day' | 'gtc' | 'ioc';
  qty: number;
  /** Price units; null for market orders. */
  limit: number | null;
  submittedAt: number;
}

interface AuditFill {
  t: number;
  price: number;
  qty: number;
}

interface Audited {
  problems: string[];
  /** How each fill came about per the rule: at a minute's open, or after a minute's range. */
  kinds: Array<'open' | 'range'>;
  /** Market fills that paid impact. */
  impacted: number;
  /** The rule saw no chance to fill at all. */
  untouched: boolean;
}

/** Where an order submitted at `ms` goes live: (session, minute), as Venue.liveFor does. */
function liveFor(sessions: readonly SessionBars[], ms: number): { s: number; minute: number } {
  for (let s = 0; s < sessions.length; s++) {
    const S = sessions[s]!;
    if (ms < S.openMs) return { s, minute: 0 };
    if (ms < S.closeMs) return { s, minute: Math.floor((ms - S.openMs) / MIN) + 1 };
  }
  return { s: sessions.length, minute: 0 };
}

/** The prints a boundary's fills may use: the range of the minute that just ended, and the open. */
function boundary(
  S: SessionBars,
  j: number,
): { ended: Bar | undefined; open: number | null; volume: number } {
  const ended = j > 0 ? S.bars[j - 1] : undefined;
  // The close boundary's "open" is the closing print, with the last minute's volume.
  const b = j < S.minutes ? S.bars[j] : S.bars[S.minutes - 1];
  if (!b) return { ended, open: null, volume: 0 };
  return { ended, open: j < S.minutes ? b.o : b.c, volume: b.v };
}

/** An instant in reports: UTC to the second. */
const hhmm = (ms: number): string => `${iso(ms).slice(0, 19)}Z`;

/**
 * Audits one order's fills against the bars: checks (1)–(4) on each fill, then replays the
 * engine's rule minute by minute and compares every fill (time and price; quantities, which the
 * seeded partial-fill draw decides, are taken from the fills) and the absence of any other.
 */
function auditOrder(o: AuditOrder, fills: readonly AuditFill[], sessions: readonly SessionBars[]): Audited {
  const problems: string[] = [];
  const label = `${o.id} ${o.side} ${o.qty} ${o.symbol} ${o.type}${o.limit === null ? '' : ` @${price(o.limit)}`} ${o.tif}, submitted ${hhmm(o.submittedAt)}`;
  const report = (f: AuditFill | null, what: string): void => {
    problems.push(`${label}: ${f ? `fill ${f.qty} @${price(f.price)} at ${hhmm(f.t)}: ` : ''}${what}`);
  };
  const live = liveFor(sessions, o.submittedAt);
  const firstBoundary = live.s < sessions.length ? sessions[live.s]!.openMs + live.minute * MIN : Infinity;

  for (const f of fills) {
    // (1) Not in the submission minute: at the first boundary after it or later.
    if (f.t < Math.floor(o.submittedAt / MIN) * MIN + MIN || f.t < firstBoundary)
      report(f, `before the first minute boundary after submission (${hhmm(firstBoundary)})`);
    const s = sessions.findIndex((S) => f.t >= S.openMs && f.t <= S.closeMs);
    if (s < 0 || f.t % MIN !== 0) {
      report(f, 'not at a minute boundary of a session');
      continue;
    }
    const S = sessions[s]!;
    const { ended, open } = boundary(S, (f.t - S.openMs) / MIN);
    // (2) Within what had printed by then: the minute that just ended and the opening print.
    const seen = [...(ended ? [ended.l, ended.h] : []), ...(open === null ? [] : [open])];
    if (seen.length === 0) report(f, 'no trade printed in the minute before or at the open');
    else {
      const lo = Math.min(...seen);
      const hi = Math.max(...seen);
      const taker = o.type === 'market';
      const min = o.side === 'buy' ? lo : lo - Math.floor(spreadOf(lo) / 2) - (taker ? impactCap(lo) : 0);
      const max = o.side === 'sell' ? hi : hi + Math.ceil(spreadOf(hi) / 2) + (taker ? impactCap(hi) : 0);
      if (f.price < min || f.price > max)
        report(
          f,
          `outside what printed by then [${price(min)}, ${price(max)}] (prints ${seen.map(price).join(' ')})`,
        );
    }
    // (4) Never through the limit.
    if (o.limit !== null && (o.side === 'buy' ? f.price > o.limit : f.price < o.limit))
      report(f, `through its limit ${price(o.limit)}`);
  }

  // (3) and (4): the engine's rule, boundary by boundary from the order's first live minute.
  const kinds: Array<'open' | 'range'> = [];
  let impacted = 0;
  let chances = 0;
  let k = 0;
  let remaining = o.qty;
  let lastFillAt: number | null = null;
  let diverged = false;
  const lastSession = o.tif === 'gtc' ? sessions.length - 1 : live.s;
  /** One chance to fill, per the rule; returns false once the replay should stop. */
  const chance = (
    t: number,
    expected: number,
    kind: 'open' | 'range',
    basis: string,
    quote?: number,
  ): boolean => {
    chances++;
    const f = fills[k];
    if (!f) {
      report(
        null,
        `unfilled (${remaining} left), but the rule fills it at ${hhmm(t)} @${price(expected)} (${basis})`,
      );
      return false;
    }
    if (f.t !== t || f.price !== expected) {
      report(f, `the rule's next fill is at ${hhmm(t)} @${price(expected)} (${basis})`);
      diverged = true;
      return false;
    }
    if (quote !== undefined && f.price !== quote) impacted++;
    kinds.push(kind);
    remaining -= f.qty;
    lastFillAt = t;
    k++;
    return remaining > 0;
  };
  replay: for (let s = live.s; s <= lastSession && s < sessions.length; s++) {
    const S = sessions[s]!;
    for (let j = s === live.s ? live.minute : 0; j <= S.minutes; j++) {
      const t = S.openMs + j * MIN;
      const { ended, open, volume } = boundary(S, j);
      // A resting limit whose live minute's range reached it fills at its limit, at the end of
      // that minute; not when the same order filled at that minute's open.
      const liveBefore = s > live.s || j - 1 >= live.minute;
      if (o.type === 'limit' && o.tif !== 'ioc' && liveBefore && ended && lastFillAt !== t - MIN) {
        const best = o.side === 'buy' ? ended.l : ended.h;
        if (marketable(o.side, o.limit!, best)) {
          const basis = `${hhmm(ended.t)} range ${price(ended.l)}–${price(ended.h)}`;
          if (!chance(t, o.limit!, 'range', basis)) break replay;
        }
      }
      // At the open: market orders at the quote plus impact, marketable limits at the quote.
      if (open !== null && lastFillAt !== t) {
        const basis = `open ${price(open)}, volume ${volume}`;
        if (o.type === 'market') {
          const expected = marketFillOf(o.side, open, remaining, volume);
          if (!chance(t, expected, 'open', basis, takerOf(o.side, open))) break replay;
        } else if (marketable(o.side, o.limit!, open)) {
          if (!chance(t, takerOf(o.side, open), 'open', basis)) break replay;
        }
      }
      // ioc: one chance, its first live open.
      if (o.tif === 'ioc') break replay;
    }
  }
  if (!diverged && remaining > 0 && k < fills.length) report(fills[k]!, 'a fill the rule does not give');
  if (remaining === 0 && k < fills.length) report(fills[k]!, 'a fill after the order was complete');
  if (fills.reduce((n, f) => n + f.qty, 0) > o.qty) report(null, 'filled more than its quantity');
  return { problems, kinds, impacted, untouched: chances === 0 };
}

/* ---------------------------------------------------------------------------------------- */

type LimitPlan = { kind: 'offset'; u: number } | { kind: 'exact' | 'miss' };

interface Plan {
  at: number;
  symbol: string;
  side: Side;
  type: 'market' | 'limit';
  tif: 'day' | 'gtc' | 'ioc';
  qty: number;
  limit?: LimitPlan;
  tag: string;
}

function schedule(): Plan[] {
  const r = mulberry32(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const [d1, d2] = DAYS;
  const plans: Plan[] = [];
  const add = (p: Omit<Plan, 'tag'> & { tag?: string }) => plans.push({ tag: 'random', ...p });
  const qtys = [5, 7, 10, 20, 25, 40, 50, 80, 100];
  for (const day of DAYS) {
    const open = at(day, '09:30');
    for (let i = 0; i < 40; i++) {
      const minute = Math.floor(r() * 390);
      const offset = pick([0, 1_000, 59_999, Math.floor(r() * 59_000) + 500, Math.floor(r() * 59_000) + 500]);
      const type = r() < 0.4 ? 'market' : 'limit';
      const tifDraw = r();
      add({
        at: open + minute * MIN + offset,
        symbol: pick(SYMBOLS),
        side: r() < 0.5 ? 'buy' : 'sell',
        type,
        tif: tifDraw < 0.15 ? 'ioc' : type === 'limit' && tifDraw < 0.5 ? 'gtc' : 'day',
        qty: pick(qtys),
        ...(type === 'limit' ? { limit: { kind: 'offset', u: (r() * 2 - 1) * 0.012 } as const } : {}),
      });
    }
    // Limits at exactly the best quote the rest of the day reaches, and one tick short of it.
    for (let i = 0; i < 10; i++) {
      add({
        at: open + Math.floor(r() * 360) * MIN + Math.floor(r() * 60_000),
        symbol: pick(SYMBOLS),
        side: i % 4 < 2 ? 'buy' : 'sell',
        type: 'limit',
        tif: 'day',
        qty: pick(qtys),
        limit: { kind: i % 2 === 0 ? 'exact' : 'miss' },
        tag: i % 2 === 0 ? 'exact' : 'miss',
      });
    }
  }
  const edge = (day: string, hm: string, ms: number, p: Omit<Plan, 'at' | 'tag'>, tag: string) =>
    plans.push({ at: at(day, hm) + ms, tag, ...p });
  const mkt = { type: 'market', tif: 'day' } as const;
  edge(d1, '09:29', 30_000, { ...mkt, symbol: 'AAPL', side: 'buy', qty: 20 }, 'pre-open');
  edge(d1, '09:29', 30_000, { ...mkt, symbol: 'MSFT', side: 'sell', qty: 10 }, 'pre-open');
  edge(d1, '09:30', 0, { ...mkt, symbol: 'F', side: 'buy', qty: 100 }, 'at-open-instant');
  edge(d1, '10:59', 30_000, { ...mkt, symbol: 'XOM', side: 'buy', qty: 10 }, 'halt');
  edge(d1, '11:03', 20_000, { ...mkt, symbol: 'XOM', side: 'sell', qty: 10 }, 'halt');
  const haltLimit = { type: 'limit', tif: 'day', limit: { kind: 'offset', u: 0.01 } } as const;
  edge(d1, '11:04', 0, { ...haltLimit, symbol: 'XOM', side: 'buy', qty: 20 }, 'halt-limit');
  edge(d1, '15:59', 30_000, { ...mkt, symbol: 'AGM', side: 'buy', qty: 40 }, 'close-print');
  edge(d1, '15:59', 59_999, { ...mkt, symbol: 'AFT', side: 'sell', qty: 50 }, 'close-print');
  edge(d1, '16:30', 0, { ...mkt, symbol: 'F', side: 'buy', qty: 100 }, 'after-close');
  const gtc = (u: number) => ({ type: 'limit', tif: 'gtc', limit: { kind: 'offset', u } }) as const;
  edge(d1, '16:30', 0, { ...gtc(-0.003), symbol: 'AMD', side: 'buy', qty: 20 }, 'after-close');
  edge(d1, '16:30', 0, { ...gtc(0.003), symbol: 'AAPL', side: 'sell', qty: 20 }, 'after-close');
  edge(d2, '09:29', 10_000, { ...mkt, symbol: 'XOM', side: 'sell', qty: 25 }, 'pre-open');
  edge(d2, '09:29', 10_000, { ...mkt, symbol: 'AGM', side: 'buy', qty: 80 }, 'pre-open');
  edge(d2, '15:59', 59_999, { ...mkt, symbol: 'MSFT', side: 'buy', qty: 10 }, 'close-print');
  return plans.sort((a, b) => a.at - b.at);
}

/** Moves the clock one minute boundary at a time up to `ms`. */
function walkTo(sim: RunningSimulator, ms: number): void {
  for (let t = Math.floor(sim.nowMs() / MIN) * MIN + MIN; t < ms; t += MIN) sim.advanceTo(t);
  if (ms > sim.nowMs()) sim.advanceTo(ms);
}

/** The index of the simulated day an instant belongs to (the day starts at New York midnight). */
const dayIndex = (ms: number): number => (ms < at(DAYS[1], '00:00') ? 0 : 1);

const sessionOf = (day: string, list: Bar[]): SessionBars => {
  const S: SessionBars = { openMs: at(day, '09:30'), closeMs: at(day, '16:00'), minutes: 390, bars: [] };
  S.bars = Array.from({ length: S.minutes }, () => undefined);
  for (const b of list) S.bars[(b.t - S.openMs) / MIN] = b;
  return S;
};

describe('honest fills', () => {
  let sim: RunningSimulator;
  let oracle: RunningSimulator;
  const planned = new Map<string, Plan>();
  /** Bars per symbol per session as the oracle (same seed, run ahead) showed them in advance. */
  const ahead = new Map<string, Bar[][]>();

  beforeAll(async () => {
    const options = {
      seed: SEED,
      date: DAYS[0],
      initialCash: '20000000',
      holdings: HOLDINGS,
      market: { scenario: SCENARIO },
      trading: { partialFillRate: 0.3 },
      rateLimitPerMinute: 0,
    };
    [sim, oracle] = await Promise.all([startManual(options), startManual(options)]);
    for (const day of DAYS)
      for (const symbol of SYMBOLS) {
        const list = await bars(oracle, symbol, at(day, '09:30'), at(day, '15:59'));
        ahead.set(symbol, [...(ahead.get(symbol) ?? []), list]);
      }
  });
  afterAll(() => Promise.all([sim?.close(), oracle?.close()]));

  it('the audit itself catches dishonest fills', () => {
    // A synthetic session rising 10 a minute: minute m opens at 10000 + 10m, range ±20.
    const S: SessionBars = {
      openMs: at(DAYS[0], '09:30'),
      closeMs: at(DAYS[0], '16:00'),
      minutes: 390,
      bars: [],
    };
    for (let m = 0; m < 390; m++) {
      const o = 10_000 + 10 * m;
      S.bars.push({ t: S.openMs + m * MIN, o, h: o + 20, l: o - 20, c: o + 10, v: 1_000 });
    }
    const t = (hm: string, ms = 0) => at(DAYS[0], hm) + ms;
    const order = (p: Partial<AuditOrder>): AuditOrder => ({
      id: 'x',
      symbol: 'X',
      side: 'buy',
      type: 'market',
      tif: 'day',
      qty: 10,
      limit: null,
      submittedAt: t('10:00', 30_000),
      ...p,
    });
    const problems = (o: AuditOrder, fills: AuditFill[]) => auditOrder(o, fills, [S]).problems;
    const fill = (hm: string, p: number, qty = 10): AuditFill => ({ t: t(hm), price: p, qty });

    // A market buy at 10:00:30 fills at 10:01's open (10310): ask 10313, plus 1 tick of impact
    // for 100 of 1000 shares; a sell at the bid less impact.
    const buy = order({ qty: 100 });
    expect(problems(buy, [fill('10:01', 10_314, 100)])).toEqual([]);
    expect(problems(order({ side: 'sell', qty: 100 }), [fill('10:01', 10_308 - 1, 100)])).toEqual([]);
    // In the submission minute, at the minute's high, a minute late, or never.
    expect(problems(buy, [fill('10:00', 10_314, 100)])).not.toEqual([]);
    expect(problems(buy, [fill('10:01', askOf(10_330) + 1, 100)])).not.toEqual([]);
    expect(problems(buy, [fill('10:02', 10_314, 100)])).not.toEqual([]);
    expect(problems(buy, [])).not.toEqual([]);
    // Check (2) alone: a price nothing printed near by then.
    expect(auditOrder(buy, [fill('10:01', 11_000, 100)], [S]).problems.join()).toMatch(
      /outside what printed/,
    );

    // A limit buy at ask(10280) = 10283 is reached by 10:00's low (10280), never after: submitted
    // during 10:00 it must not fill on that minute's range.
    const late = order({ type: 'limit', limit: askOf(10_280) });
    expect(problems(late, [fill('10:01', 10_283)])).not.toEqual([]);
    expect(auditOrder(late, [], [S])).toMatchObject({ problems: [], untouched: true });
    // Submitted during 09:59, it fills at its limit at 10:01 — not better, not worse, not never.
    const early = order({ type: 'limit', limit: 10_283, submittedAt: t('09:59', 30_000) });
    expect(problems(early, [fill('10:01', 10_283)])).toEqual([]);
    for (const p of [10_282, 10_284]) expect(problems(early, [fill('10:01', p)])).not.toEqual([]);
    expect(problems(early, [])).not.toEqual([]);
    // Partial: 4 at 10:01; the remainder has no later chance, so a second fill is dishonest.
    expect(problems(early, [fill('10:01', 10_283, 4)])).toEqual([]);
    expect(problems(early, [fill('10:01', 10_283, 4), fill('10:03', 10_283, 6)])).not.toEqual([]);
    // A limit sell below the market fills at the bid of the open, never below its limit.
    const sell = order({ type: 'limit', side: 'sell', limit: 10_000 });
    expect(problems(sell, [fill('10:01', bidOf(10_310))])).toEqual([]);
    expect(problems(sell, [fill('10:01', 9_999)])).not.toEqual([]);
  });

  it('fills every order only at prices seen by then, by the engine rule, over two sessions', async () => {
    const plans = schedule();
    let i = 0;
    for (const plan of plans) {
      if (dayIndex(plan.at) === 1 && sim.sessionDate() === DAYS[0]) {
        walkTo(sim, at(DAYS[0], '16:00'));
        sim.advanceToNextSession();
        expect(sim.sessionDate()).toBe(DAYS[1]);
      }
      walkTo(sim, plan.at);
      expect(sim.nowMs()).toBe(plan.at);
      const body: Record<string, unknown> = {
        symbol: plan.symbol,
        qty: String(plan.qty),
        side: plan.side,
        type: plan.type,
        time_in_force: plan.tif,
        client_order_id: `hf-${i++}-${plan.tag}`,
      };
      if (plan.limit?.kind === 'offset') {
        const last = units((await api(sim, 'GET', `/v2/stocks/${plan.symbol}/snapshot`)).body.latestTrade.p);
        body.limit_price = price(Math.max(1, Math.round(last * (1 + plan.limit.u))));
      } else if (plan.limit) {
        // From the oracle: the best quote any live minute of the day reaches, or a tick short.
        const s = dayIndex(plan.at);
        const first = Math.floor(plan.at / MIN) * MIN + MIN;
        const rest = ahead.get(plan.symbol)![s]!.filter((b) => b.t >= first);
        const best =
          plan.side === 'buy'
            ? Math.min(...rest.map((b) => askOf(b.l)))
            : Math.max(...rest.map((b) => bidOf(b.h)));
        const miss = plan.limit.kind === 'miss' ? (plan.side === 'buy' ? -1 : 1) : 0;
        body.limit_price = price(best + miss);
      }
      const placed = await place(sim, body);
      planned.set(placed.id, plan);
    }
    walkTo(sim, at(DAYS[1], '16:00'));

    // What the simulator serves, after the fact, for both sessions.
    const sessions: SessionBars[][] = [];
    for (const symbol of SYMBOLS) {
      const q = `timeframe=1Min&start=${iso(at(DAYS[0], '09:30'))}&end=${iso(at(DAYS[1], '16:00'))}&limit=10000`;
      const res = await api(sim, 'GET', `/v2/stocks/${symbol}/bars?${q}`);
      expect(res.status).toBe(200);
      expect(res.body.next_page_token).toBeNull();
      const list: Bar[] = res.body.bars.map(barOf);
      const byDay = DAYS.map((day) => list.filter((b) => b.t >= at(day, '09:30') && b.t < at(day, '16:00')));
      // The bars planned against are the bars served: orders do not move this market.
      expect(byDay).toEqual(ahead.get(symbol));
      sessions.push(DAYS.map((day, s) => sessionOf(day, byDay[s]!)));
    }
    const sessionsOf = (symbol: string) => sessions[SYMBOLS.indexOf(symbol as (typeof SYMBOLS)[number])]!;
    // The halt is real: XOM has no bars 11:00–11:09 on the first day.
    expect(
      sessionsOf('XOM')[0]!
        .bars.slice(90, 100)
        .every((b) => b === undefined),
    ).toBe(true);

    const orders: Json[] = (await api(sim, 'GET', '/v2/orders?status=all&limit=500&direction=asc')).body;
    expect(orders.length).toBe(plans.length);
    const fillsByOrder = new Map<string, AuditFill[]>();
    for (const a of await fillActivities(sim)) {
      const micros = toMicros(a.price);
      expect(micros % 10_000n, a.price).toBe(0n);
      const list = fillsByOrder.get(a.order_id) ?? [];
      list.push({ t: Date.parse(a.transaction_time), price: Number(micros / 10_000n), qty: Number(a.qty) });
      fillsByOrder.set(a.order_id, list);
    }

    const problems: string[] = [];
    const stats = { market: 0, impacted: 0, open: 0, range: 0, partial: 0, untouched: 0, day2: 0 };
    const byTag = new Map<string, Array<{ o: Json; fills: AuditFill[]; untouched: boolean }>>();
    for (const o of orders) {
      const plan = planned.get(o.id)!;
      const fills = fillsByOrder.get(o.id) ?? [];
      const audit: AuditOrder = {
        id: o.client_order_id,
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        tif: o.time_in_force,
        qty: Number(o.qty),
        limit: o.limit_price === null ? null : units(o.limit_price),
        submittedAt: Date.parse(o.submitted_at),
      };
      expect(audit.submittedAt).toBe(plan.at);
      const result = auditOrder(audit, fills, sessionsOf(o.symbol));
      problems.push(...result.problems);
      // The order's own record agrees with its fills.
      const filledQty = fills.reduce((n, f) => n + f.qty, 0);
      expect(Number(o.filled_qty), o.client_order_id).toBe(filledQty);
      expect(o.filled_at, o.client_order_id).toBe(fills.length ? iso(fills.at(-1)!.t) : null);
      if (o.type === 'market') stats.market += fills.length;
      stats.impacted += result.impacted;
      for (const kind of result.kinds) if (o.type === 'limit') stats[kind]++;
      if (fills.length > 1) stats.partial++;
      if (o.type === 'limit' && result.untouched) stats.untouched++;
      stats.day2 += fills.filter((f) => f.t >= at(DAYS[1], '09:30')).length;
      byTag.set(plan.tag, [...(byTag.get(plan.tag) ?? []), { o, fills, untouched: result.untouched }]);
    }
    expect(problems).toEqual([]);

    // The mix exercised what it is meant to.
    expect(stats.market).toBeGreaterThanOrEqual(25);
    expect(stats.impacted, 'market fills that paid impact').toBeGreaterThanOrEqual(2);
    expect(stats.open, 'limit fills at a marketable open').toBeGreaterThanOrEqual(5);
    expect(stats.range, 'limit fills after a minute reached the limit').toBeGreaterThanOrEqual(5);
    expect(stats.partial, 'orders filled in two parts').toBeGreaterThanOrEqual(2);
    expect(stats.untouched, 'limits the market never reached').toBeGreaterThanOrEqual(10);
    expect(stats.day2).toBeGreaterThanOrEqual(20);
    // A limit at exactly the best quote the day reaches fills; one tick short never does.
    for (const { o, fills } of byTag.get('exact')!)
      expect(fills.length, o.client_order_id).toBeGreaterThan(0);
    for (const { o, fills, untouched } of byTag.get('miss')!) {
      expect(fills, o.client_order_id).toEqual([]);
      expect(untouched).toBe(true);
      expect(o.status).toBe('expired');
    }
    // Pre-open orders fill at the open print; market orders in the halt at the reopening print;
    // last-minute ones at the closing print; after-close ones at the next session's open at earliest.
    for (const { o, fills } of byTag.get('pre-open')!)
      expect(fills[0]?.t, o.client_order_id).toBe(at(DAYS[dayIndex(Date.parse(o.submitted_at))]!, '09:30'));
    for (const { o, fills } of byTag.get('halt')!)
      expect(fills[0]?.t, o.client_order_id).toBe(at(DAYS[0], '11:10'));
    for (const { o, fills } of byTag.get('halt-limit')!)
      for (const f of fills) expect(f.t, o.client_order_id).toBeGreaterThanOrEqual(at(DAYS[0], '11:10'));
    for (const { o, fills } of byTag.get('close-print')!)
      expect(fills[0]?.t, o.client_order_id).toBe(at(DAYS[dayIndex(Date.parse(o.submitted_at))]!, '16:00'));
    const afterClose = byTag.get('after-close')!;
    for (const { fills } of afterClose)
      for (const f of fills) expect(f.t).toBeGreaterThanOrEqual(at(DAYS[1], '09:30'));
    expect(afterClose.find((x) => x.o.type === 'market')!.fills[0]?.t).toBe(at(DAYS[1], '09:30'));
  });
});

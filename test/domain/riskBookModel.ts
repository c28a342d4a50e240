/**
 * A small pure model of one trading day's book, for the risk properties: Catalyst's positions and
 * pending entries, the account's other holdings and orders, cash, prices, today's P&L, the day's
 * gates and the risk config. fast-check draws a day as a sequence of events; after each candidate
 * batch the model asks validateRisk with a context derived from its own state, hands the
 * observation to a property, and places a chosen subset of the approvals as pending entries.
 *
 * The model computes its figures (P&L, open stop risk, exposure, money to spend) itself, in exact
 * micros, so a property compares validateRisk's decisions with an independent account of the book.
 */
import fc from 'fast-check';
import { percentOf, toMicros, type Micros } from '../../src/domain/money';
import {
  validateRisk,
  type DatedClose,
  type RiskCandidate,
  type RiskContext,
  type RiskDecision,
  type RiskLimits,
} from '../../src/domain/risk';
import { dated } from './riskKit';

// ---------------------------------------------------------------------------------------------
// The fixed universe: symbols and their daily closes. Closes are fixed (not drawn) so a run costs
// no generation for them, yet every correlation case occurs: twins, opposites, independent
// series, a series with a gap and a stale last day, too few closes, a flat series, none at all.

export const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH'] as const;
export const SECTORS = ['Technology', 'Energy', 'Financial', 'Healthcare'] as const;
/** Held by hand: ZZZ has closes, YYY none (so a 'reject' missing-data rule refuses everything). */
const FOREIGN = ['ZZZ', 'ZZZ', 'ZZZ', 'YYY', 'AAA'] as const;

function walk(seed: number, n = 21, start = 100): number[] {
  let x = seed;
  let p = start;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    p *= 1 + (x / 2 ** 32 - 0.5) * 0.04;
    out.push(Math.round(p * 100) / 100);
  }
  return out;
}

const w1 = walk(7);
const w2 = walk(99);
const w3 = walk(12345);
const w4 = walk(424242);
const gapped = dated(w3).filter((_, i) => i !== 8 && i !== w3.length - 1);

export const CLOSES: Readonly<Record<string, DatedClose[] | undefined>> = {
  AAA: dated(w1),
  BBB: dated(w1.map((c) => c * 2)),
  CCC: dated(w2),
  DDD: dated(w2.map((c, i) => (i === 0 ? c : 2 * w2[0]! - c))),
  EEE: gapped,
  FFF: dated(w4.slice(-2), '2026-01-20'),
  GGG: dated(w1.map(() => 50)),
  HHH: undefined,
  ZZZ: dated(w4),
  YYY: undefined,
};

// ---------------------------------------------------------------------------------------------
// The book.

interface Position {
  symbol: string;
  qty: bigint;
  /** Σ qty × fill price: exact, unlike an average price. */
  cost: Micros;
  stop: Micros;
}

interface PendingEntry {
  symbol: string;
  /** Unfilled shares. */
  qty: bigint;
  limit: Micros;
  stop: Micros;
}

export interface Book {
  limits: RiskLimits;
  sectorOf: ReadonlyMap<string, string>;
  /** Last price of every symbol, whole cents, at least $1.00. */
  price: Map<string, Micros>;
  cash: Micros;
  realized: Micros;
  positions: Position[];
  pending: PendingEntry[];
  foreign: { symbol: string; qty: bigint }[];
  foreignOrders: { symbol: string; notional: Micros }[];
  halted: boolean;
  cutoffPassed: boolean;
  tradingBlocked: boolean;
  nowMs: number;
  cooldownUntilMs: number | null;
}

const mv = (b: Book, symbol: string, qty: bigint): Micros => qty * b.price.get(symbol)!;

/** Catalyst's own P&L today: realized + unrealized of its positions. */
export const dailyPnl = (b: Book): Micros =>
  b.realized + b.positions.reduce((s, p) => s + mv(b, p.symbol, p.qty) - p.cost, 0n);

/** What the book can still lose if every stop fills at its price (a pending entry filled at its limit). */
export const openStopRisk = (b: Book): Micros =>
  b.positions.reduce((s, p) => {
    const perShare = b.price.get(p.symbol)! - p.stop;
    return s + (perShare > 0n ? p.qty * perShare : 0n);
  }, 0n) + b.pending.reduce((s, e) => s + e.qty * (e.limit - e.stop), 0n);

export const equity = (b: Book): Micros =>
  b.cash +
  b.positions.reduce((s, p) => s + mv(b, p.symbol, p.qty), 0n) +
  b.foreign.reduce((s, f) => s + mv(b, f.symbol, f.qty), 0n);

export const pendingBuyNotional = (b: Book): Micros =>
  b.pending.reduce((s, e) => s + e.qty * e.limit, 0n) + b.foreignOrders.reduce((s, o) => s + o.notional, 0n);

/** A Reg-T-like figure: twice the equity, less what is held and what is on order. */
export function buyingPower(b: Book): Micros {
  const held =
    b.positions.reduce((s, p) => s + mv(b, p.symbol, p.qty), 0n) +
    b.foreign.reduce((s, f) => s + mv(b, f.symbol, f.qty), 0n);
  const bp = 2n * equity(b) - held - pendingBuyNotional(b);
  return bp > 0n ? bp : 0n;
}

/** The money entries may spend, by the rule the config states. */
export const spendable = (b: Book): Micros =>
  b.limits.marginBuyingPowerPct > 0
    ? percentOf(buyingPower(b), b.limits.marginBuyingPowerPct)
    : b.cash - pendingBuyNotional(b);

/** Catalyst's distinct symbols held or on order. */
export const ourSymbols = (b: Book): Set<string> =>
  new Set([...b.positions.map((p) => p.symbol), ...b.pending.map((e) => e.symbol)]);

/** Everything of a sector the account holds or has on order as Catalyst's entries. */
export const sectorExposure = (b: Book, sector: string): Micros =>
  b.positions
    .filter((p) => b.sectorOf.get(p.symbol) === sector)
    .reduce((s, p) => s + mv(b, p.symbol, p.qty), 0n) +
  b.foreign
    .filter((f) => b.sectorOf.get(f.symbol) === sector)
    .reduce((s, f) => s + mv(b, f.symbol, f.qty), 0n) +
  b.pending.filter((e) => b.sectorOf.get(e.symbol) === sector).reduce((s, e) => s + e.qty * e.limit, 0n);

export const inCooldown = (b: Book): boolean => b.cooldownUntilMs !== null && b.nowMs < b.cooldownUntilMs;

/** Exact 6-place decimal of micros; microsToDecimal's canonical form is not needed here, and is slow. */
function dec(m: Micros): string {
  const a = m < 0n ? -m : m;
  return `${m < 0n ? '-' : ''}${a / 1_000_000n}.${(a % 1_000_000n).toString().padStart(6, '0')}`;
}

/** A whole-cent price as "12.34". */
const centsText = (m: Micros): string => {
  const c = m / CENT;
  return `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
};

export function contextOf(b: Book): RiskContext {
  const ours = b.positions.map((p) => mv(b, p.symbol, p.qty));
  const theirs = b.foreign.map((f) => mv(b, f.symbol, f.qty));
  const pendingBuys = pendingBuyNotional(b);
  const held = ours.reduce((s, x) => s + x, 0n) + theirs.reduce((s, x) => s + x, 0n);
  const eq = b.cash + held;
  const bp = 2n * eq - held - pendingBuys;
  return {
    equity: dec(eq),
    buyingPower: dec(bp > 0n ? bp : 0n),
    cash: dec(b.cash),
    pendingBuyNotional: dec(pendingBuys),
    dailyPnl: dec(dailyPnl(b)),
    openStopRisk: dec(openStopRisk(b)),
    openPositions: [
      ...b.positions.map((p, i) => ({
        symbol: p.symbol,
        sector: b.sectorOf.get(p.symbol)!,
        marketValue: dec(ours[i]!),
        recentCloses: CLOSES[p.symbol],
        ours: true,
      })),
      ...b.foreign.map((f, i) => ({
        symbol: f.symbol,
        sector: b.sectorOf.get(f.symbol)!,
        marketValue: dec(theirs[i]!),
        recentCloses: CLOSES[f.symbol],
        ours: false,
      })),
    ],
    openOrderSymbols: [...new Set(b.pending.map((e) => e.symbol))],
    pendingEntries: b.pending.map((e) => ({
      symbol: e.symbol,
      sector: b.sectorOf.get(e.symbol)!,
      notional: dec(e.qty * e.limit),
      recentCloses: CLOSES[e.symbol],
    })),
    foreignOrderSymbols: b.foreignOrders.map((o) => o.symbol),
    halted: b.halted,
    entriesAllowed: !b.cutoffPassed,
    tradingBlocked: b.tradingBlocked,
    nowMs: b.nowMs,
    cooldownUntilMs: b.cooldownUntilMs,
  };
}

// ---------------------------------------------------------------------------------------------
// Events.

export type Event =
  | { kind: 'batch'; cands: { sym: number; score: number; atrCents: number }[]; place: number }
  | { kind: 'fill'; pick: number; how: 'full' | 'partial' | 'cancel'; pct: number; belowCents: number }
  | { kind: 'move'; sym: number; bp: number }
  | { kind: 'stop'; pick: number; slipCents: number }
  | { kind: 'config'; limits: RiskLimits }
  | { kind: 'halt'; on: boolean }
  | { kind: 'block'; on: boolean }
  | { kind: 'cutoff' }
  | { kind: 'cooldown'; minutes: number }
  | { kind: 'tick'; minutes: number };

/** What a property sees of one batch: the book just before it, the context, and the decisions. */
export interface Observation {
  book: Book;
  context: RiskContext;
  candidates: RiskCandidate[];
  decisions: RiskDecision[];
  approved: RiskDecision[];
}

const CENT = 10_000n;
const cents = (c: number | bigint): Micros => BigInt(c) * CENT;

export function runDay(start: Book, events: readonly Event[], observe: (o: Observation) => void): void {
  // fast-check may hand the same drawn book to the predicate again (replay, shrinking): never mutate it.
  const b: Book = {
    ...start,
    price: new Map(start.price),
    positions: start.positions.map((p) => ({ ...p })),
    pending: start.pending.map((e) => ({ ...e })),
    foreign: start.foreign.map((f) => ({ ...f })),
  };
  for (const e of events) {
    switch (e.kind) {
      case 'batch': {
        const candidates = e.cands.map((c): RiskCandidate => {
          const symbol = SYMBOLS[c.sym]!;
          return {
            symbol,
            sector: b.sectorOf.get(symbol)!,
            entryPrice: centsText(b.price.get(symbol)!),
            compositeScore: c.score,
            atr: c.atrCents === 0 ? null : c.atrCents / 100,
            recentCloses: CLOSES[symbol],
          };
        });
        const context = contextOf(b);
        const decisions = validateRisk(candidates, context, b.limits);
        const approved = decisions.filter((d) => d.approved);
        observe({ book: b, context, candidates, decisions, approved });
        // Only some approvals become orders (a broker refusal, a quote that moved).
        approved.forEach((d, i) => {
          if ((e.place >> i) & 1) {
            b.pending.push({
              symbol: d.symbol,
              qty: BigInt(d.qty),
              limit: toMicros(d.limitPrice!),
              stop: toMicros(d.stopPrice!),
            });
          }
        });
        break;
      }
      case 'fill': {
        if (b.pending.length === 0) break;
        const i = e.pick % b.pending.length;
        const p = b.pending[i]!;
        if (e.how === 'cancel') {
          b.pending.splice(i, 1);
          break;
        }
        const qty = e.how === 'full' ? p.qty : (p.qty * BigInt(e.pct)) / 100n || 1n;
        // A marketable limit fills at or below its limit, and above the stop.
        let price = p.limit - cents(e.belowCents);
        if (price <= p.stop) price = p.limit;
        b.cash -= qty * price;
        const pos = b.positions.find((x) => x.symbol === p.symbol);
        if (pos) {
          pos.qty += qty;
          pos.cost += qty * price;
        } else b.positions.push({ symbol: p.symbol, qty, cost: qty * price, stop: p.stop });
        p.qty -= qty;
        if (p.qty === 0n) b.pending.splice(i, 1);
        break;
      }
      case 'move': {
        const s = e.sym < SYMBOLS.length ? SYMBOLS[e.sym]! : 'ZZZ';
        const c = ((b.price.get(s)! / CENT) * BigInt(10_000 + e.bp)) / 10_000n;
        b.price.set(s, cents(c < 100n ? 100n : c));
        break;
      }
      case 'stop': {
        if (b.positions.length === 0) break;
        const i = e.pick % b.positions.length;
        const p = b.positions[i]!;
        // Stops are market orders once triggered: they can fill below their price.
        let fill = p.stop - cents(e.slipCents);
        if (fill < CENT) fill = CENT;
        b.cash += p.qty * fill;
        b.realized += p.qty * fill - p.cost;
        b.positions.splice(i, 1);
        // The bracket's remaining entry is cancelled with it.
        b.pending = b.pending.filter((x) => x.symbol !== p.symbol);
        break;
      }
      case 'config':
        b.limits = e.limits;
        break;
      case 'halt':
        b.halted = e.on;
        break;
      case 'block':
        b.tradingBlocked = e.on;
        break;
      case 'cutoff':
        b.cutoffPassed = true;
        break;
      case 'cooldown':
        b.cooldownUntilMs = b.nowMs + e.minutes * 60_000;
        break;
      case 'tick':
        b.nowMs += e.minutes * 60_000;
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: limits within the config schemas' ranges, biased to where the rules bind. Each
// figure is one drawn integer mapped onto its range (log-uniform for amounts): a day is drawn
// 10,000 times per property, and fewer, flatter arbitraries keep that fast.

const SCALE = 1_000_000;
/** min..max (integers), log-uniform: small values as likely per decade as large ones. */
const logInt = (min: number, max: number) =>
  fc.integer({ min: 0, max: SCALE }).map((u) => Math.round(min * (max / min) ** (u / SCALE)));
/** min..max (integers), skewed toward min. */
const lowInt = (min: number, max: number) =>
  fc.integer({ min: 0, max: SCALE }).map((u) => min + Math.floor((max - min + 1) * (u / (SCALE + 1)) ** 3));
const centsToText = (c: number): string => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

export const limitsArb: fc.Arbitrary<RiskLimits> = fc
  .tuple(
    // daily_limits.max_loss: $1 .. $10,000,000.
    logInt(100, 1_000_000_000),
    lowInt(1, 50),
    // max_position_size: $1 .. $10,000,000, mostly where prices of $1 .. $2,000 fit.
    fc.oneof({ arbitrary: logInt(20_000, 5_000_000), weight: 4 }, logInt(100, 1_000_000_000)),
    // min_position_size as a percent of the max (the schema wants min ≤ max).
    lowInt(0, 100),
    logInt(1, 1000),
    // Half the days without margin (cash only).
    fc.integer({ min: -100, max: 100 }),
    // sector_limits.max_exposure_pct: 1 .. 100, log-uniform so the cap often binds.
    logInt(1, 100),
    fc.nat(15),
    fc.integer({ min: 0, max: 100 }),
    fc.nat(7),
    logInt(1, 500),
    // take_profit_pct: 0.1 .. 100, mostly above a few percent (below the entry offset no bracket is valid).
    fc.oneof({ arbitrary: logInt(20, 1000), weight: 4 }, logInt(1, 1000)),
    logInt(1, 100),
    fc.oneof(fc.constant(0), lowInt(0, 500)),
    lowInt(1, 10),
  )
  .map(
    ([
      maxLoss,
      maxPositions,
      maxSize,
      minPct,
      riskHundredths,
      margin,
      sectorPct,
      sectorBits,
      corr,
      flags,
      stopTenths,
      tpTenths,
      atrTenths,
      offset,
      topN,
    ]): RiskLimits => ({
      maxDailyLoss: centsToText(maxLoss),
      maxPositions,
      minPositionSize: centsToText(Math.floor((maxSize * minPct) / 100)),
      maxPositionSize: centsToText(maxSize),
      riskPerTradePct: riskHundredths / 100,
      marginBuyingPowerPct: Math.max(0, margin),
      maxSectorExposurePct: sectorPct,
      sectorsToLimit: SECTORS.filter((_, i) => (sectorBits >> i) & 1),
      maxCorrelation: corr / 100,
      correlationCheckEnabled: (flags & 1) === 1,
      correlationMissingData: flags & 2 ? 'reject' : 'allow',
      executeTopN: topN,
      stopLossPct: stopTenths / 10,
      takeProfitPct: tpTenths / 10,
      useAtrStops: (flags & 4) === 4,
      atrMultiplier: atrTenths / 10,
      entryLimitOffsetPct: offset / 100,
    }),
  );

/**
 * One drawn integer per candidate and per simple event, unpacked into the readable event (so a
 * counterexample prints as events, and shrinks toward symbol 0, score 0, no ATR, no slippage).
 */
const packed = <T>(sizes: readonly number[], make: (fields: number[]) => T): fc.Arbitrary<T> =>
  fc.nat(sizes.reduce((a, b) => a * b, 1) - 1).map((n) => {
    const fields: number[] = [];
    for (const size of sizes) {
      fields.push(n % size);
      n = Math.floor(n / size);
    }
    return make(fields);
  });

const candidateArb = packed([SYMBOLS.length, 101, 2_001], ([sym, score, atr]) => ({
  sym: sym!,
  score: score!,
  // 0: no ATR; otherwise cents, mostly under $5.
  atrCents: atr! < 1_000 ? 0 : Math.floor((atr! - 1_000) ** 2 / 500) + 1,
}));

const batchArb = fc
  .tuple(fc.array(candidateArb, { minLength: 1, maxLength: 4 }), fc.nat(63), fc.nat(63))
  // Most approvals are placed: a bit each, set three times in four.
  .map(([cands, a, b]): Event => ({ kind: 'batch', cands, place: a | b }));

const HOW = ['full', 'full', 'partial', 'cancel'] as const;

export const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { arbitrary: batchArb, weight: 20 },
  {
    arbitrary: packed([8, 4, 99, 6], ([pick, how, pct, below]) => ({
      kind: 'fill' as const,
      pick: pick!,
      how: HOW[how!]!,
      pct: pct! + 1,
      belowCents: below!,
    })),
    weight: 12,
  },
  {
    arbitrary: packed([SYMBOLS.length + 1, 4_001], ([sym, bp]) => ({
      kind: 'move' as const,
      sym: sym!,
      bp: bp! - 2_500,
    })),
    weight: 10,
  },
  {
    arbitrary: packed([8, 51], ([pick, slip]) => ({ kind: 'stop' as const, pick: pick!, slipCents: slip! })),
    weight: 6,
  },
  { arbitrary: limitsArb.map((limits) => ({ kind: 'config' as const, limits })), weight: 2 },
  { arbitrary: fc.boolean().map((on) => ({ kind: 'halt' as const, on })), weight: 1 },
  { arbitrary: fc.boolean().map((on) => ({ kind: 'block' as const, on })), weight: 1 },
  { arbitrary: fc.constant({ kind: 'cutoff' as const }), weight: 1 },
  { arbitrary: fc.nat(120).map((minutes) => ({ kind: 'cooldown' as const, minutes })), weight: 1 },
  {
    arbitrary: fc.integer({ min: 1, max: 90 }).map((minutes) => ({ kind: 'tick' as const, minutes })),
    weight: 4,
  },
);

/** 10:00 New York on 2026-11-24. */
const START_MS = Date.parse('2026-11-24T15:00:00.000Z');
const ALL = [...SYMBOLS, 'ZZZ', 'YYY'];

export const bookArb: fc.Arbitrary<Book> = fc
  .record({
    limits: limitsArb,
    // One base-4 digit per symbol.
    sectors: fc.nat(4 ** ALL.length - 1),
    prices: fc.array(logInt(100, 200_000), { minLength: ALL.length, maxLength: ALL.length }),
    cash: logInt(50_000, 50_000_000),
    // The day is under way: what earlier trades made or lost, as a percent of the max daily loss.
    realizedPct: fc.integer({ min: -105, max: 60 }),
    foreign: fc.array(fc.record({ i: fc.nat(FOREIGN.length - 1), qty: fc.integer({ min: 1, max: 300 }) }), {
      maxLength: 2,
    }),
    foreignOrders: fc.array(logInt(100, 2_000_000), { maxLength: 2 }),
  })
  .map(({ limits, sectors, prices, cash, realizedPct, foreign, foreignOrders }): Book => {
    const held = new Map<string, bigint>();
    for (const f of foreign) held.set(FOREIGN[f.i]!, (held.get(FOREIGN[f.i]!) ?? 0n) + BigInt(f.qty));
    return {
      limits,
      sectorOf: new Map(ALL.map((s, i) => [s, SECTORS[Math.floor(sectors / 4 ** i) % 4]!])),
      price: new Map(ALL.map((s, i) => [s, cents(prices[i]!)])),
      cash: cents(cash),
      realized: (toMicros(limits.maxDailyLoss) * BigInt(realizedPct)) / 100n,
      positions: [],
      pending: [],
      foreign: [...held].map(([symbol, qty]) => ({ symbol, qty })),
      foreignOrders: foreignOrders.map((c, i) => ({ symbol: `ORD${i}`, notional: cents(c) })),
      halted: false,
      cutoffPassed: false,
      tradingBlocked: false,
      nowMs: START_MS,
      cooldownUntilMs: null,
    };
  });

export const dayArb = fc.tuple(bookArb, fc.array(eventArb, { minLength: 1, maxLength: 10 }));

/**
 * validateRisk's newer rules: entries are marketable limits above the quote, sized as if they fill
 * at the limit; and the account's holdings and orders that are not Catalyst's count as exposure
 * but not as Catalyst's positions. (The older rules are in validateRisk.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMicros, percentOf, toMicros } from '../../src/domain/money';
import {
  bracketPrices,
  validateRisk,
  type RiskCandidate,
  type RiskContext,
  type RiskLimits,
  type RiskOpenPosition,
} from '../../src/domain/risk';
import { dated, EMPTY_BOOK } from './riskKit';

const limits: RiskLimits = {
  maxDailyLoss: '2000.00',
  maxPositions: 5,
  minPositionSize: '100.00',
  maxPositionSize: '5000.00',
  riskPerTradePct: 1,
  marginBuyingPowerPct: 0,
  maxSectorExposurePct: 40,
  sectorsToLimit: [],
  maxCorrelation: 0.7,
  correlationCheckEnabled: true,
  // Most of these books have no closes; the missing-data rule has its own tests.
  correlationMissingData: 'allow',
  executeTopN: 3,
  stopLossPct: 2,
  takeProfitPct: 6,
  useAtrStops: false,
  atrMultiplier: 1.5,
  entryLimitOffsetPct: 0.5,
};

const ctx: RiskContext = EMPTY_BOOK;

/** Limits under which only sizing and the bracket can refuse a candidate. */
const loose: RiskLimits = {
  ...limits,
  maxPositions: 50,
  executeTopN: 50,
  maxPositionSize: '10000000',
  minPositionSize: '0',
  maxSectorExposurePct: 100,
  correlationCheckEnabled: false,
  takeProfitPct: 10,
};

const cand = (symbol: string, over: Partial<RiskCandidate> = {}): RiskCandidate => ({
  symbol,
  sector: 'Technology',
  entryPrice: '50.00',
  compositeScore: 50,
  ...over,
});

const CENT = 10_000n;
const SUB_CENT = 100n;

/**
 * quote × (1 + hundredths/10,000), rounded up to the tick — a cent at or above $1, $0.0001 below —
 * computed exactly in micros.
 */
function expectedLimit(quote: string, hundredthsOfPct: number): bigint {
  const scaled = toMicros(quote) * BigInt(10_000 + hundredthsOfPct); // micros × 10,000
  const tick = scaled >= 1_000_000n * 10_000n ? CENT : SUB_CENT;
  const unit = tick * 10_000n;
  return ((scaled + unit - 1n) / unit) * tick;
}

const quoteArb = fc.oneof(
  fc.integer({ min: 100, max: 700_000 }).map((c) => formatMicros(BigInt(c) * CENT, 2)),
  fc.integer({ min: 1000, max: 9999 }).map((u) => formatMicros(BigInt(u) * SUB_CENT, 4)),
);
const offsetArb = fc.integer({ min: 0, max: 500 }); // hundredths of a percent: 0 .. 5 %

describe('validateRisk: entries are marketable limits sized at the limit', () => {
  it('the limit is the quote plus the offset, rounded up to the tick', () => {
    fc.assert(
      fc.property(quoteArb, offsetArb, (quote, k) => {
        const [d] = validateRisk([cand('AAA', { entryPrice: quote })], ctx, {
          ...loose,
          entryLimitOffsetPct: k / 100,
        });
        fc.pre(d!.approved);
        expect(toMicros(d!.limitPrice!)).toBe(expectedLimit(quote, k));
        expect(d!.reasons).toContain(
          `entry limit ${d!.limitPrice} (quote ${quote}), stop ${d!.stopPrice}, target ${d!.takeProfitPrice}`,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('prices of a dollar or more always get a decision with a cent limit; an offset of 0 is the quote', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 700_000 }), offsetArb, (c, k) => {
        const quote = formatMicros(BigInt(c) * CENT, 2);
        const [d] = validateRisk([cand('AAA', { entryPrice: quote })], ctx, {
          ...loose,
          entryLimitOffsetPct: k / 100,
        });
        expect(d!.approved, d!.reasons.join('; ')).toBe(true);
        expect(d!.limitPrice).toMatch(/^\d+\.\d\d$/);
        if (k === 0) expect(d!.limitPrice).toBe(quote);
      }),
    );
  });

  it('sizes at the limit: qty × (limit − stop) within the risk budget, one more share over a cap', () => {
    fc.assert(
      fc.property(
        quoteArb,
        offsetArb,
        fc.integer({ min: 1_000, max: 1_000_000 }),
        fc.integer({ min: 10, max: 500 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (quote, k, equity, riskHundredths, maxSize, bp) => {
          const lim = {
            ...loose,
            entryLimitOffsetPct: k / 100,
            riskPerTradePct: riskHundredths / 100,
            maxPositionSize: String(maxSize),
          };
          const context = { ...ctx, equity: String(equity), buyingPower: String(bp) };
          const [d] = validateRisk([cand('AAA', { entryPrice: quote })], context, lim);
          fc.pre(d!.approved);
          const limit = toMicros(d!.limitPrice!);
          const stop = toMicros(d!.stopPrice!);
          const qty = BigInt(d!.qty);
          const budget = percentOf(toMicros(context.equity), lim.riskPerTradePct);
          expect(limit).toBe(expectedLimit(quote, k));
          expect(toMicros(d!.notional)).toBe(qty * limit);
          expect(toMicros(d!.riskAmount)).toBe(qty * (limit - stop));
          expect(qty * (limit - stop)).toBeLessThanOrEqual(budget);
          expect(qty * limit).toBeLessThanOrEqual(toMicros(lim.maxPositionSize));
          expect(qty * limit).toBeLessThanOrEqual(toMicros(context.buyingPower));
          // No P&L and no open stops: the whole max daily loss is the loss budget.
          expect(qty * (limit - stop)).toBeLessThanOrEqual(toMicros(lim.maxDailyLoss));
          // Whole shares, as many as the caps allow.
          const more = qty + 1n;
          expect(
            more * (limit - stop) > budget ||
              more * limit > toMicros(lim.maxPositionSize) ||
              more * limit > toMicros(context.buyingPower) ||
              more * (limit - stop) > toMicros(lim.maxDailyLoss),
          ).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a higher offset never buys more shares, and never risks more than the budget', () => {
    fc.assert(
      fc.property(quoteArb, offsetArb, offsetArb, (quote, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const decide = (k: number) =>
          validateRisk([cand('AAA', { entryPrice: quote })], ctx, {
            ...limits,
            takeProfitPct: 10,
            entryLimitOffsetPct: k / 100,
          })[0]!;
        const low = decide(lo);
        const high = decide(hi);
        fc.pre(low.approved && high.approved);
        expect(high.qty).toBeLessThanOrEqual(low.qty);
        expect(toMicros(high.limitPrice!)).toBeGreaterThanOrEqual(toMicros(low.limitPrice!));
      }),
    );
  });

  it('refuses when the stop and target are not a cent either side of the limit', () => {
    const decide = (takeProfitPct: number, offset: number) =>
      validateRisk([cand('AAA', { entryPrice: '50.00' })], ctx, {
        ...limits,
        takeProfitPct,
        entryLimitOffsetPct: offset,
      })[0]!;
    // Target 51.00 (2 % of 50). An offset of 1.9 % makes the limit 50.95: a cent under is fine.
    expect(decide(2, 1.9)).toMatchObject({ approved: true, limitPrice: '50.95', takeProfitPrice: '51.00' });
    // 1.99 % → 50.9950, rounded up to 51.00: the target is no longer above the limit.
    const refused = decide(2, 1.99);
    expect(refused).toMatchObject({
      approved: false,
      qty: 0,
      limitPrice: null,
      stopPrice: null,
      notional: '0.00',
    });
    expect(refused.reasons).toEqual([
      'no valid bracket: stop 49.00 and target 51.00 must be a cent either side of the entry limit 51.00',
    ]);
    expect(decide(2, 5).approved).toBe(false);
  });

  it('property: approved exactly when the legs from the quote straddle the limit by a cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 700_000 }),
        offsetArb,
        fc.integer({ min: 10, max: 800 }),
        (c, k, tpHundredths) => {
          const quote = formatMicros(BigInt(c) * CENT, 2);
          const takeProfitPct = tpHundredths / 100;
          const [d] = validateRisk([cand('AAA', { entryPrice: quote })], ctx, {
            ...loose,
            takeProfitPct,
            entryLimitOffsetPct: k / 100,
          });
          const legs = bracketPrices({
            entryPrice: quote,
            side: 'buy',
            stopLossPct: loose.stopLossPct,
            takeProfitPct,
          });
          const limit = expectedLimit(quote, k);
          const straddles =
            toMicros(legs.takeProfitPrice) >= limit + CENT && toMicros(legs.stopPrice) <= limit - CENT;
          expect(d!.approved, d!.reasons.join('; ')).toBe(straddles);
          if (!straddles) expect(d!.reasons[0]).toMatch(/must be a cent either side of the entry limit/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('buying power is checked against a share at the limit, not the quote', () => {
    // $50.00 quote, 1 % offset: a share costs $50.50 at the limit.
    const [short] = validateRisk(
      [cand('AAA')],
      { ...ctx, buyingPower: '50.49' },
      { ...loose, entryLimitOffsetPct: 1 },
    );
    expect(short!.reasons).toEqual(['buying power exhausted: $50.49 left, one share costs $50.50']);
    const [enough] = validateRisk(
      [cand('AAA')],
      { ...ctx, buyingPower: '50.50' },
      { ...loose, entryLimitOffsetPct: 1 },
    );
    expect(enough).toMatchObject({ approved: true, qty: 1, limitPrice: '50.50', notional: '50.50' });
  });
});

describe('validateRisk: holdings and orders that are not Catalyst’s', () => {
  const SECTORS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11', 'S12'];
  const held = (symbol: string, ours: boolean, over: Partial<RiskOpenPosition> = {}): RiskOpenPosition => ({
    symbol,
    sector: `H-${symbol}`,
    marketValue: '1000.00',
    ours,
    ...over,
  });
  const fresh = (n: number) =>
    Array.from({ length: n }, (_, i) => cand(`N${i}`, { sector: SECTORS[i]!, compositeScore: 90 - i }));

  it('only Catalyst’s own positions and orders fill max_positions; the account’s others do not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        (maxPositions, own, foreign, ownOrders, foreignOrders, topN) => {
          const positions = [
            ...Array.from({ length: own }, (_, i) => held(`OWN${i}`, true)),
            ...Array.from({ length: foreign }, (_, i) => held(`HAND${i}`, false)),
          ];
          const context: RiskContext = {
            ...ctx,
            openPositions: positions,
            openOrderSymbols: Array.from({ length: ownOrders }, (_, i) => `ORD${i}`),
            foreignOrderSymbols: Array.from({ length: foreignOrders }, (_, i) => `FORD${i}`),
          };
          const decisions = validateRisk(fresh(10), context, {
            ...limits,
            maxPositions,
            executeTopN: topN,
            maxSectorExposurePct: 100,
          });
          const room = Math.max(0, maxPositions - own - ownOrders);
          expect(decisions.filter((d) => d.approved)).toHaveLength(Math.min(topN, room));
          // Had they all been Catalyst's, the same book leaves less room (the old rule).
          const allOurs = validateRisk(
            fresh(10),
            { ...context, openPositions: positions.map((p) => ({ ...p, ours: true })) },
            { ...limits, maxPositions, executeTopN: topN, maxSectorExposurePct: 100 },
          );
          expect(allOurs.filter((d) => d.approved)).toHaveLength(
            Math.min(topN, Math.max(0, maxPositions - own - foreign - ownOrders)),
          );
        },
      ),
    );
  });

  it('ownership changes nothing but the position count: exposure, correlation and duplicates are the same', () => {
    const closes = [100, 101, 99, 102, 104, 103, 106, 105, 108, 110];
    const position = fc.record({
      symbol: fc.constantFrom('A', 'B', 'C', 'D'),
      sector: fc.constantFrom('Technology', 'Energy'),
      marketValue: fc.integer({ min: 0, max: 3_000_000 }).map((c) => formatMicros(BigInt(c) * CENT, 2)),
      recentCloses: fc.constantFrom(undefined, dated(closes), dated(closes.map((x) => 300 - x))),
    });
    const candidate = fc.record({
      symbol: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      sector: fc.constantFrom('Technology', 'Energy'),
      entryPrice: fc.integer({ min: 1_000, max: 50_000 }).map((c) => formatMicros(BigInt(c) * CENT, 2)),
      compositeScore: fc.integer({ min: 0, max: 100 }),
      recentCloses: fc.constantFrom(
        undefined,
        dated(closes.map((x) => x * 2)),
        dated(closes.map((x) => 300 - x)),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(position, { maxLength: 4 }),
        fc.array(candidate, { maxLength: 6 }),
        (positions, cands) => {
          const lim = { ...limits, maxPositions: 50, executeTopN: 10 };
          const ours = validateRisk(
            cands,
            { ...ctx, equity: '30000', openPositions: positions.map((p) => ({ ...p, ours: true })) },
            lim,
          );
          const theirs = validateRisk(
            cands,
            { ...ctx, equity: '30000', openPositions: positions.map((p) => ({ ...p, ours: false })) },
            lim,
          );
          expect(theirs).toEqual(ours);
        },
      ),
    );
  });

  it('a symbol a person holds is never entered, and its value counts toward the sector limit', () => {
    const [dup, sector] = validateRisk(
      [cand('AAPL', { compositeScore: 90 }), cand('MSFT', { compositeScore: 80 })],
      {
        ...ctx,
        equity: '20000',
        openPositions: [held('AAPL', false, { sector: 'Technology', marketValue: '4000.00' })],
      },
      { ...limits, entryLimitOffsetPct: 0 },
    );
    expect(dup!.reasons).toEqual(['duplicate symbol: already holding or ordering AAPL']);
    // 40 % of $20,000 is $8,000: the $4,000 held by hand + a $5,000 entry would exceed it.
    expect(sector!.reasons).toEqual([
      'sector Technology 45.0% of equity with this trade, over the 40% limit',
    ]);
  });

  it('a symbol with someone else’s open order is never entered, and the order is not a position', () => {
    const decisions = validateRisk(
      [cand('GTC', { compositeScore: 90, sector: 'S1' }), cand('NEW', { compositeScore: 80, sector: 'S2' })],
      { ...ctx, foreignOrderSymbols: ['GTC', 'X1', 'X2', 'X3'] },
      { ...limits, maxPositions: 1 },
    );
    expect(decisions.map((d) => [d.symbol, d.approved])).toEqual([
      ['GTC', false],
      ['NEW', true],
    ]);
    expect(decisions[0]!.reasons).toEqual(['duplicate symbol: already holding or ordering GTC']);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOf, sumMicros, toMicros } from '../../src/domain/money';
import { validateRisk, type RiskCandidate, type RiskContext, type RiskLimits } from '../../src/domain/risk';
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
  entryLimitOffsetPct: 0,
};

const ctx: RiskContext = EMPTY_BOOK;

const cand = (symbol: string, compositeScore: number, over: Partial<RiskCandidate> = {}): RiskCandidate => ({
  symbol,
  sector: 'Technology',
  entryPrice: '50.00',
  compositeScore,
  ...over,
});

describe('validateRisk', () => {
  it('approves the best candidates with sizes, brackets and reasons', () => {
    const [d] = validateRisk(
      [cand('AAPL', 80)],
      { ...ctx, equity: '9600.00' },
      { ...limits, maxPositionSize: '50000', maxSectorExposurePct: 100 },
    );
    expect(d).toMatchObject({
      symbol: 'AAPL',
      approved: true,
      qty: 96,
      stopPrice: '49.00',
      takeProfitPrice: '53.00',
      notional: '4800.00',
      riskAmount: '96.00',
    });
    expect(d!.reasons[0]).toBe('risk $96.00 = 1.0% of equity (budget 1%)');
  });

  it('returns decisions in score order and caps approvals at execute_top_n', () => {
    const decisions = validateRisk(
      [
        cand('D', 60, { sector: 'S4' }),
        cand('A', 90, { sector: 'S1' }),
        cand('C', 70, { sector: 'S3' }),
        cand('B', 80, { sector: 'S2' }),
      ],
      ctx,
      limits,
    );
    expect(decisions.map((d) => [d.symbol, d.approved])).toEqual([
      ['A', true],
      ['B', true],
      ['C', true],
      ['D', false],
    ]);
    expect(decisions[3]!.reasons).toEqual(['execute_top_n reached: 3 already approved this cycle']);
  });

  it('rejects everything when halted, after the cut-off or at the daily loss limit', () => {
    expect(validateRisk([cand('A', 90)], { ...ctx, halted: true }, limits)[0]!.reasons).toEqual([
      'trading is halted (emergency stop or cooldown)',
    ]);
    expect(validateRisk([cand('A', 90)], { ...ctx, entriesAllowed: false }, limits)[0]!.reasons[0]).toMatch(
      /cut-off/,
    );
    const atLimit = validateRisk([cand('A', 90)], { ...ctx, dailyPnl: '-2000.00' }, limits)[0]!;
    expect(atLimit.approved).toBe(false);
    expect(atLimit.reasons).toEqual(['daily loss limit reached: P&L -$2,000.00 at or below -$2,000.00']);
    // Short of the limit the day may still lose a cent: less than one share's risk ($1.00).
    expect(validateRisk([cand('A', 90)], { ...ctx, dailyPnl: '-1999.99' }, limits)[0]!.reasons).toEqual([
      "sizing: remaining daily loss budget $0.01 is less than one share's risk $1.00 (entry 50.00, stop 49.00); P&L -$1,999.99, open stop risk $0.00, limit $2,000.00",
    ]);
    expect(validateRisk([cand('A', 90)], { ...ctx, dailyPnl: '-1998.00' }, limits)[0]).toMatchObject({
      approved: true,
      qty: 2,
      notional: '100.00',
    });
  });

  it("refuses every entry while the broker blocks the account or forbids a pattern day trader's day trades", () => {
    expect(validateRisk([cand('A', 90)], { ...ctx, tradingBlocked: true }, limits)[0]!.reasons).toEqual([
      'the broker account is blocked from trading',
    ]);
    const pdt = { ...ctx, patternDayTrader: true, equity: '24999.99' };
    expect(validateRisk([cand('A', 90)], pdt, limits)[0]!.reasons).toEqual([
      'pattern day trader with equity $24,999.99 below $25,000: day trades are not allowed, and every entry is one',
    ]);
    expect(validateRisk([cand('A', 90)], { ...pdt, equity: '25000.00' }, limits)[0]!.approved).toBe(true);
    expect(
      validateRisk([cand('A', 90)], { ...ctx, patternDayTrader: false, equity: '20000' }, limits)[0]!
        .approved,
    ).toBe(true);
  });

  it('counts open positions, pending orders and earlier approvals against max positions', () => {
    const open = ['P1', 'P2', 'P3'].map((symbol) => ({ symbol, sector: `X${symbol}`, marketValue: '1000' }));
    const decisions = validateRisk(
      [cand('A', 90, { sector: 'S1' }), cand('B', 80, { sector: 'S2' })],
      { ...ctx, openPositions: open, openOrderSymbols: ['P1', 'Q1'] },
      limits,
    );
    expect(decisions.map((d) => d.approved)).toEqual([true, false]);
    expect(decisions[1]!.reasons[0]).toBe(
      'max concurrent positions reached: 4 open or pending + 1 approved of 5',
    );
  });

  it('rejects duplicates: held, ordered, or twice in the batch', () => {
    const decisions = validateRisk(
      [
        cand('HELD', 90, { sector: 'S1' }),
        cand('ORD', 80, { sector: 'S2' }),
        cand('NEW', 70, { sector: 'S3' }),
        cand('NEW', 60, { sector: 'S3' }),
      ],
      {
        ...ctx,
        openPositions: [{ symbol: 'HELD', sector: 'S1', marketValue: '1000' }],
        openOrderSymbols: ['ORD'],
      },
      { ...limits, executeTopN: 5, maxPositions: 10 },
    );
    expect(decisions.map((d) => d.approved)).toEqual([false, false, true, false]);
    expect(decisions[0]!.reasons).toEqual(['duplicate symbol: already holding or ordering HELD']);
    expect(decisions[1]!.reasons).toEqual(['duplicate symbol: already holding or ordering ORD']);
    expect(decisions[3]!.reasons).toEqual(['duplicate candidate: NEW already decided in this batch']);
  });

  it('limits sector exposure, counting earlier approvals', () => {
    // 40 % of $20,000 = $8,000: an open $4,000 + one $5,000 approval would exceed it.
    const decisions = validateRisk(
      [cand('A', 90), cand('B', 80, { sector: 'Energy' })],
      {
        ...ctx,
        equity: '20000',
        openPositions: [{ symbol: 'MSFT', sector: 'Technology', marketValue: '4000' }],
      },
      limits,
    );
    expect(decisions[0]!.approved).toBe(false);
    expect(decisions[0]!.reasons).toEqual([
      'sector Technology 45.0% of equity with this trade, over the 40% limit',
    ]);
    expect(decisions[1]!.approved).toBe(true);
    // Only the listed sectors are limited when sectors_to_limit is set.
    const unlisted = validateRisk(
      [cand('A', 90)],
      {
        ...ctx,
        equity: '20000',
        openPositions: [{ symbol: 'MSFT', sector: 'Technology', marketValue: '4000' }],
      },
      { ...limits, sectorsToLimit: ['Financial'] },
    );
    expect(unlisted[0]!.approved).toBe(true);
  });

  it('rejects candidates correlated with a holding; unknown correlations follow missing_data', () => {
    const closes = [100, 101, 99, 102, 104, 103, 106, 105, 108, 110];
    const twin = dated(closes.map((c) => c * 2 + 0.01));
    const opposite = dated(closes.map((c) => 300 - c));
    const open = [{ symbol: 'MSFT', sector: 'S0', marketValue: '1000', recentCloses: dated(closes) }];
    const batch = [
      cand('TWIN', 90, { sector: 'S1', recentCloses: twin }),
      cand('OPP', 80, { sector: 'S2', recentCloses: opposite }),
      cand('NONE', 70, { sector: 'S3' }),
    ];
    const [a, b, c] = validateRisk(
      batch,
      { ...ctx, openPositions: open },
      { ...limits, correlationMissingData: 'reject' },
    );
    expect(a!.approved).toBe(false);
    expect(a!.reasons[0]).toMatch(/^correlation 1.00 with MSFT exceeds 0.7$/);
    expect(b!.approved).toBe(true);
    // OPP is approved before NONE is judged: NONE's correlation with both is unknown.
    expect(c!.approved).toBe(false);
    expect(c!.reasons).toEqual([
      'correlation with MSFT unknown (no recent closes for NONE); refused by correlation.missing_data: reject',
      'correlation with OPP unknown (no recent closes for NONE); refused by correlation.missing_data: reject',
    ]);
    const allowed = validateRisk(batch, { ...ctx, openPositions: open }, limits)[2]!;
    expect(allowed.approved).toBe(true);
    expect(allowed.reasons).toContain(
      'correlation with MSFT unknown (no recent closes for NONE); allowed by correlation.missing_data: allow',
    );
    // Disabled check: approved.
    expect(
      validateRisk(
        [cand('TWIN', 90, { sector: 'S1', recentCloses: twin })],
        { ...ctx, openPositions: open },
        { ...limits, correlationCheckEnabled: false },
      )[0]!.approved,
    ).toBe(true);
  });

  it('decrements buying power across approvals', () => {
    const decisions = validateRisk(
      [cand('A', 90, { sector: 'S1' }), cand('B', 80, { sector: 'S2' }), cand('C', 70, { sector: 'S3' })],
      { ...ctx, buyingPower: '7000' },
      limits,
    );
    expect(decisions.map((d) => [d.approved, d.notional])).toEqual([
      [true, '5000.00'],
      [true, '2000.00'],
      [false, '0.00'],
    ]);
    expect(decisions[2]!.reasons).toEqual(['buying power exhausted: $0.00 left, one share costs $50.00']);
  });

  it('reports sizing and bracket failures', () => {
    const [big, atr] = validateRisk(
      [
        cand('BIG', 90, { entryPrice: '6000', sector: 'S1' }),
        cand('ATR', 80, { entryPrice: '10', atr: 9, sector: 'S2' }),
      ],
      ctx,
      { ...limits, useAtrStops: true },
    );
    expect(big!.reasons).toEqual(['sizing: one share at $6,000.00 exceeds the max position size $5,000.00']);
    expect(atr!.reasons[0]).toMatch(/^no valid bracket: stop distance/);
  });

  it('property: never approves more than the limits allow', () => {
    const sectors = ['Technology', 'Energy', 'Financial', 'Healthcare'];
    const candidate = fc.record({
      symbol: fc.stringMatching(/^[A-E]{1,2}$/),
      sector: fc.constantFrom(...sectors),
      entryPrice: fc.integer({ min: 100, max: 700_000 }).map((c) => (c / 100).toFixed(2)),
      compositeScore: fc.double({ min: 0, max: 100, noNaN: true }),
      atr: fc.option(fc.double({ min: 0.01, max: 20, noNaN: true }), { nil: undefined }),
    });
    const position = fc.record({
      symbol: fc.stringMatching(/^[A-E]{1,2}$/),
      sector: fc.constantFrom(...sectors),
      marketValue: fc.integer({ min: 0, max: 2_000_000 }).map((c) => (c / 100).toFixed(2)),
    });
    const arbLimits = fc.record({
      maxPositions: fc.integer({ min: 1, max: 8 }),
      executeTopN: fc.integer({ min: 1, max: 5 }),
      maxSectorExposurePct: fc.integer({ min: 5, max: 100 }),
      maxPositionSize: fc.integer({ min: 100, max: 20_000 }).map(String),
      riskPerTradePct: fc.double({ min: 0.1, max: 5, noNaN: true }),
      useAtrStops: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(candidate, { maxLength: 12 }),
        fc.array(position, { maxLength: 5 }),
        fc.integer({ min: 1_000, max: 200_000 }),
        fc.integer({ min: 0, max: 400_000 }),
        arbLimits,
        (cands, positions, equityDollars, bpDollars, l) => {
          const lim = { ...limits, ...l };
          const context = {
            ...ctx,
            equity: String(equityDollars),
            buyingPower: String(bpDollars),
            openPositions: positions,
          };
          const decisions = validateRisk(cands, context, lim);
          expect(decisions).toHaveLength(cands.length);
          const approved = decisions.filter((d) => d.approved);
          const openCount = new Set(positions.map((p) => p.symbol)).size;
          expect(approved.length).toBeLessThanOrEqual(lim.executeTopN);
          expect(openCount + approved.length).toBeLessThanOrEqual(Math.max(lim.maxPositions, openCount));
          expect(new Set(approved.map((d) => d.symbol)).size).toBe(approved.length);
          for (const d of approved) expect(positions.some((p) => p.symbol === d.symbol)).toBe(false);
          const notional = sumMicros(approved.map((d) => toMicros(d.notional)));
          expect(notional).toBeLessThanOrEqual(toMicros(context.buyingPower));
          const budget = percentOf(toMicros(context.equity), lim.riskPerTradePct);
          for (const d of approved) {
            expect(d.qty).toBeGreaterThan(0);
            expect(toMicros(d.notional)).toBeLessThanOrEqual(toMicros(lim.maxPositionSize));
            expect(toMicros(d.notional)).toBeGreaterThanOrEqual(toMicros(lim.minPositionSize));
            expect(toMicros(d.riskAmount)).toBeLessThanOrEqual(budget);
            expect(toMicros(d.stopPrice!)).toBeLessThan(toMicros(d.notional) / BigInt(d.qty)); // entry = notional ÷ qty
          }
          const cap = percentOf(toMicros(context.equity), lim.maxSectorExposurePct);
          for (const sector of sectors) {
            const added = sumMicros(
              approved.filter((d) => d.sector === sector).map((d) => toMicros(d.notional)),
            );
            if (added === 0n) continue;
            const existing = sumMicros(
              positions.filter((p) => p.sector === sector).map((p) => toMicros(p.marketValue)),
            );
            expect(existing + added).toBeLessThanOrEqual(cap);
          }
          for (let i = 1; i < decisions.length; i++) {
            expect(decisions[i - 1]!.compositeScore).toBeGreaterThanOrEqual(decisions[i]!.compositeScore);
          }
          for (const d of decisions) expect(d.reasons.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

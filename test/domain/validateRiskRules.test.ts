/**
 * validateRisk's budget and book rules: the day's loss budget, the money that may be spent (cash
 * or a share of buying power), pending entries as exposure, correlation by date with an explicit
 * missing-data rule, and the cooldown gate. One $50.00 candidate (stop $49.00: $1.00 of risk a
 * share, max size 100 shares) is the yardstick throughout.
 */
import { describe, expect, it } from 'vitest';
import { sumMicros, toMicros } from '../../src/domain/money';
import {
  validateRisk,
  type RiskCandidate,
  type RiskContext,
  type RiskDecision,
  type RiskLimits,
} from '../../src/domain/risk';
import { dated, EMPTY_BOOK } from './riskKit';

const limits: RiskLimits = {
  maxDailyLoss: '2000.00',
  maxPositions: 10,
  minPositionSize: '100.00',
  maxPositionSize: '5000.00',
  riskPerTradePct: 1,
  marginBuyingPowerPct: 0,
  maxSectorExposurePct: 100,
  sectorsToLimit: [],
  maxCorrelation: 0.7,
  correlationCheckEnabled: false,
  correlationMissingData: 'reject',
  executeTopN: 10,
  stopLossPct: 2,
  takeProfitPct: 6,
  useAtrStops: false,
  atrMultiplier: 1.5,
  entryLimitOffsetPct: 0,
};

const ctx: RiskContext = EMPTY_BOOK;

let score = 100;
const cand = (symbol: string, over: Partial<RiskCandidate> = {}): RiskCandidate => ({
  symbol,
  sector: `S-${symbol}`,
  entryPrice: '50.00',
  compositeScore: score--,
  ...over,
});

const one = (c: Partial<RiskContext>, l: Partial<RiskLimits> = {}, over: Partial<RiskCandidate> = {}) =>
  validateRisk([cand('AAA', over)], { ...ctx, ...c }, { ...limits, ...l })[0]!;

const summary = (d: RiskDecision) =>
  d.approved ? `${d.qty} shares, ${d.reasons[1]}` : d.reasons.join(' | ');

describe('the daily loss budget: max daily loss + P&L − open stop risk − this batch’s risk', () => {
  it.each([
    [
      'no loss, no open stops',
      '0',
      undefined,
      '100 shares, 100 shares × limit 50.00 = $5,000.00, limited by max position size',
    ],
    [
      '$100 left: the max size still binds',
      '-1900',
      '0',
      '100 shares, 100 shares × limit 50.00 = $5,000.00, limited by max position size',
    ],
    ['$60 left', '-1900', '40', '60 shares, 60 shares × limit 50.00 = $3,000.00, limited by loss budget'],
    [
      'a profit enlarges the budget',
      '500',
      '2450',
      '50 shares, 50 shares × limit 50.00 = $2,500.00, limited by loss budget',
    ],
    [
      'a negative open stop risk counts as 0',
      '-1950',
      '-500',
      '50 shares, 50 shares × limit 50.00 = $2,500.00, limited by loss budget',
    ],
    [
      'less than one share’s risk left',
      '-1900',
      '99.50',
      "sizing: remaining daily loss budget $0.50 is less than one share's risk $1.00 (entry 50.00, stop 49.00); P&L -$1,900.00, open stop risk $99.50, limit $2,000.00",
    ],
    [
      'below the min position size',
      '-1900',
      '98',
      'sizing: position $100.00 (2 shares, limited by loss budget) is below the min position size $100.01; P&L -$1,900.00, open stop risk $98.00, limit $2,000.00',
    ],
    [
      'exactly used up',
      '-1900',
      '100',
      'daily loss budget used up: P&L -$1,900.00, open stop risk $100.00, limit $2,000.00',
    ],
    [
      'over-committed',
      '-1900',
      '150',
      'daily loss budget used up: P&L -$1,900.00, open stop risk $150.00, limit $2,000.00',
    ],
    [
      'the limit itself is reached',
      '-2000',
      '0',
      'daily loss limit reached: P&L -$2,000.00 at or below -$2,000.00',
    ],
  ])('%s (P&L %s, open stop risk %s)', (_name, dailyPnl, openStopRisk, expected) => {
    const min = _name === 'below the min position size' ? { minPositionSize: '100.01' } : {};
    const d = one({ dailyPnl, ...(openStopRisk === undefined ? {} : { openStopRisk }) }, min);
    expect(summary(d)).toBe(expected);
  });

  it('each approval’s risk is taken from the budget before the next candidate', () => {
    const context = { ...ctx, dailyPnl: '-1700', openStopRisk: '50' };
    const decisions = validateRisk([cand('A'), cand('B'), cand('C'), cand('D')], context, limits);
    expect(decisions.map((d) => [d.symbol, d.qty, d.riskAmount])).toEqual([
      ['A', 100, '100.00'],
      ['B', 100, '100.00'],
      ['C', 50, '50.00'],
      ['D', 0, '0.00'],
    ]);
    expect(decisions[2]!.reasons[1]).toMatch(/limited by loss budget$/);
    expect(decisions[3]!.reasons).toEqual([
      'daily loss budget used up: P&L -$1,700.00, open stop risk $50.00, risk approved this batch $250.00, limit $2,000.00',
    ]);
    // The invariant: P&L − open stop risk − Σ approved risk ≥ −max daily loss.
    const risk = sumMicros(decisions.map((d) => toMicros(d.riskAmount)));
    expect(toMicros(context.dailyPnl) - toMicros(context.openStopRisk) - risk).toBe(
      -toMicros(limits.maxDailyLoss),
    );
  });

  it('sizes at the entry limit: the offset is part of each share’s risk', () => {
    // Limit 50.50, stop 49.00 (2 % of the quote): $1.50 a share; $60 left → 40 shares.
    const d = one({ dailyPnl: '-1940' }, { entryLimitOffsetPct: 1 });
    expect(d).toMatchObject({ approved: true, qty: 40, limitPrice: '50.50', riskAmount: '60.00' });
  });
});

describe('the money to spend: cash less open buy orders, or a share of buying power', () => {
  it.each([
    [
      'no cash given: the buying power (as before)',
      { buyingPower: '3000' },
      0,
      '60 shares, 60 shares × limit 50.00 = $3,000.00, limited by buying power',
    ],
    ['cash', { cash: '3000' }, 0, '60 shares, 60 shares × limit 50.00 = $3,000.00, limited by cash'],
    [
      'cash less open buy orders',
      { cash: '3000', pendingBuyNotional: '1000' },
      0,
      '40 shares, 40 shares × limit 50.00 = $2,000.00, limited by cash',
    ],
    [
      'cash taken by open buy orders',
      { cash: '3000', pendingBuyNotional: '3000' },
      0,
      'cash exhausted: $0.00 left, one share costs $50.00',
    ],
    [
      'cash short of a share',
      { cash: '3000', pendingBuyNotional: '2990' },
      0,
      'cash exhausted: $10.00 left, one share costs $50.00',
    ],
    [
      'negative cash (a margin debt)',
      { cash: '-500' },
      0,
      'cash exhausted: -$500.00 left, one share costs $50.00',
    ],
    [
      'cash for one share, under the min size',
      { cash: '99' },
      0,
      'sizing: position $50.00 (1 shares, limited by cash) is below the min position size $100.00',
    ],
    [
      '50 % of buying power, whatever the cash',
      { cash: '100', buyingPower: '8000' },
      50,
      '80 shares, 80 shares × limit 50.00 = $4,000.00, limited by buying power (50% share)',
    ],
    [
      'the buying power share ignores open orders (the broker nets them)',
      { cash: '0', pendingBuyNotional: '9999', buyingPower: '2000' },
      100,
      '40 shares, 40 shares × limit 50.00 = $2,000.00, limited by buying power (100% share)',
    ],
    [
      'a share too small for one share',
      { buyingPower: '99' },
      50,
      'buying power (50% share) exhausted: $49.50 left, one share costs $50.00',
    ],
  ] as const)('%s', (_name, money, marginBuyingPowerPct, expected) => {
    expect(summary(one(money, { marginBuyingPowerPct }))).toBe(expected);
  });

  it('each approval spends from it before the next candidate', () => {
    const decisions = validateRisk(
      [cand('A'), cand('B'), cand('C')],
      { ...ctx, cash: '9000', pendingBuyNotional: '2000' },
      limits,
    );
    expect(decisions.map(summary)).toEqual([
      '100 shares, 100 shares × limit 50.00 = $5,000.00, limited by max position size',
      '40 shares, 40 shares × limit 50.00 = $2,000.00, limited by cash',
      'cash exhausted: $0.00 left, one share costs $50.00',
    ]);
  });
});

describe('Catalyst’s pending entries count as exposure', () => {
  const tech = (symbol: string, notional: string) => ({ symbol, sector: 'Technology', notional });
  const techCand = cand('NEW', { sector: 'Technology' });
  // 40 % of $20,000 = $8,000; the candidate is $5,000.
  const capped = { ...limits, maxSectorExposurePct: 40 };
  const decide = (c: Partial<RiskContext>, l: RiskLimits = capped) =>
    validateRisk([techCand], { ...ctx, equity: '20000', ...c }, l)[0]!;

  it.each<[string, Partial<RiskContext>, string]>([
    [
      'a pending entry in the sector',
      { pendingEntries: [tech('PEND', '3000.01')] },
      'sector Technology 40.0% of equity with this trade, over the 40% limit',
    ],
    ['exactly at the cap', { pendingEntries: [tech('PEND', '3000')] }, 'approved'],
    [
      'a pending entry in another sector',
      { pendingEntries: [{ symbol: 'PEND', sector: 'Energy', notional: '3001' }] },
      'approved',
    ],
    [
      'a partly filled entry: the filled part held, the rest pending',
      {
        openPositions: [{ symbol: 'PART', sector: 'Technology', marketValue: '2000' }],
        pendingEntries: [tech('PART', '2000')],
      },
      'sector Technology 45.0% of equity with this trade, over the 40% limit',
    ],
  ])('%s', (_name, c, expected) => {
    const d = decide(c);
    expect(d.approved ? 'approved' : d.reasons.join(' | ')).toBe(expected);
  });

  it('a pending entry’s symbol is taken and counts toward max positions, once', () => {
    const pending = { pendingEntries: [tech('PEND', '1000')] };
    expect(validateRisk([cand('PEND')], { ...ctx, ...pending }, limits)[0]!.reasons).toEqual([
      'duplicate symbol: already holding or ordering PEND',
    ]);
    const both = { ...ctx, ...pending, openOrderSymbols: ['PEND'] };
    const decisions = validateRisk([cand('A'), cand('B')], both, { ...limits, maxPositions: 2 });
    expect(decisions.map((d) => d.approved)).toEqual([true, false]);
    expect(decisions[1]!.reasons).toEqual([
      'max concurrent positions reached: 1 open or pending + 1 approved of 2',
    ]);
  });
});

describe('correlation by date, with an explicit rule for unknown correlations', () => {
  const closes = [100, 101, 99, 102, 104, 103, 106, 105, 108, 110];
  const jan = dated(closes);
  const twinJan = dated(closes.map((c) => c * 3));
  const check = { ...limits, correlationCheckEnabled: true };
  const holding = (symbol: string, recentCloses = jan) => ({
    symbol,
    sector: 'S0',
    marketValue: '1000',
    recentCloses,
  });
  const decide = (over: Partial<RiskCandidate>, c: Partial<RiskContext>, l: Partial<RiskLimits> = {}) =>
    validateRisk([cand('NEW', over)], { ...ctx, ...c }, { ...check, ...l })[0]!;

  it.each([
    ['a twin', twinJan, [holding('MSFT')], 'correlation 1.00 with MSFT exceeds 0.7'],
    // By index the twin's stale closes (a day short) would be compared a day apart, and pass.
    [
      'a twin whose closes stop a day earlier',
      twinJan,
      [holding('MSFT', jan.slice(0, -1))],
      'correlation 1.00 with MSFT exceeds 0.7',
    ],
    [
      'no closes for the candidate',
      undefined,
      [holding('MSFT')],
      'correlation with MSFT unknown (no recent closes for NEW); refused by correlation.missing_data: reject',
    ],
    [
      'no closes for the holding',
      twinJan,
      [{ symbol: 'MSFT', sector: 'S0', marketValue: '1000' }],
      'correlation with MSFT unknown (no recent closes for MSFT); refused by correlation.missing_data: reject',
    ],
    [
      'closes of other dates',
      dated(closes, '2026-02-01'),
      [holding('MSFT')],
      'correlation with MSFT unknown (0 common dated returns, need 3); refused by correlation.missing_data: reject',
    ],
    [
      'two common returns',
      dated(closes.slice(0, 3), '2026-01-08'),
      [holding('MSFT')],
      'correlation with MSFT unknown (2 common dated returns, need 3); refused by correlation.missing_data: reject',
    ],
    [
      'a flat candidate',
      dated(closes.map(() => 100)),
      [holding('MSFT')],
      'correlation with MSFT unknown (returns constant over the 9 common dates); refused by correlation.missing_data: reject',
    ],
    [
      'a zero close',
      dated([...closes.slice(0, 5), 0, ...closes.slice(6)]),
      [holding('MSFT')],
      'correlation with MSFT unknown (a close that is not a positive number); refused by correlation.missing_data: reject',
    ],
  ])('%s', (_name, recentCloses, openPositions, expected) => {
    const d = decide(recentCloses ? { recentCloses } : {}, { openPositions });
    expect(d.approved).toBe(false);
    expect(d.reasons).toEqual([expected]);
  });

  it('allow: approved, and the reasons say which correlation is unknown and why', () => {
    const d = decide(
      { recentCloses: dated(closes.map((c) => 300 - c)) },
      {
        openPositions: [holding('MSFT'), { symbol: 'HAND', sector: 'S0', marketValue: '1', ours: false }],
      },
      { correlationMissingData: 'allow' },
    );
    expect(d.approved).toBe(true);
    expect(d.reasons.filter((r) => r.includes('correlation'))).toEqual([
      'highest correlation -1.00 with MSFT (limit 0.7)',
      'correlation with HAND unknown (no recent closes for HAND); allowed by correlation.missing_data: allow',
    ]);
  });

  it('pending entries and earlier approvals are judged like holdings', () => {
    const withPending = decide(
      { recentCloses: twinJan },
      { pendingEntries: [{ symbol: 'PEND', sector: 'S9', notional: '500' }] },
    );
    expect(withPending.reasons).toEqual([
      'correlation with PEND unknown (no recent closes for PEND); refused by correlation.missing_data: reject',
    ]);
    const pendingTwin = decide(
      { recentCloses: twinJan },
      {
        pendingEntries: [{ symbol: 'PEND', sector: 'S9', notional: '500', recentCloses: jan }],
      },
    );
    expect(pendingTwin.reasons).toEqual(['correlation 1.00 with PEND exceeds 0.7']);
    const [first, second] = validateRisk(
      [cand('FIRST', { recentCloses: jan }), cand('SECOND', { recentCloses: twinJan })],
      ctx,
      check,
    );
    expect(first!.approved).toBe(true);
    expect(second!.reasons).toEqual(['correlation 1.00 with FIRST exceeds 0.7']);
  });

  it('a symbol held and pending (partly filled) is judged once, with whichever has closes', () => {
    const d = decide(
      { recentCloses: dated(closes.map((c) => 300 - c)) },
      {
        openPositions: [holding('PART')],
        pendingEntries: [{ symbol: 'PART', sector: 'S0', notional: '500' }],
      },
    );
    expect(d.approved).toBe(true);
    expect(d.reasons.filter((r) => r.includes('correlation'))).toEqual([
      'highest correlation -1.00 with PART (limit 0.7)',
    ]);
  });

  it('nothing held: nothing to correlate with, and no note', () => {
    const d = decide({}, {});
    expect(d.approved).toBe(true);
    expect(d.reasons.some((r) => r.includes('correlation'))).toBe(false);
  });
});

describe('the cooldown gate', () => {
  const END = Date.parse('2026-11-24T15:30:00.000Z');
  it.each([
    ['before the end', END - 1, END, 'cooldown after an emergency stop until 2026-11-24T15:30:00.000Z'],
    ['at the end', END, END, 'approved'],
    ['after the end', END + 60_000, END, 'approved'],
    ['no cooldown', END, null, 'approved'],
    ['no cooldown and no clock', undefined, undefined, 'approved'],
    [
      'a cooldown but no clock',
      undefined,
      END,
      'cooldown after an emergency stop until 2026-11-24T15:30:00.000Z, and the current time is not known',
    ],
    ['an unusable end', END, Number.NaN, 'cooldown after an emergency stop until an unknown time (NaN)'],
  ])('%s', (_name, nowMs, cooldownUntilMs, expected) => {
    const c: Partial<RiskContext> = {};
    if (nowMs !== undefined) c.nowMs = nowMs;
    if (cooldownUntilMs !== undefined) c.cooldownUntilMs = cooldownUntilMs;
    const decisions = validateRisk([cand('A'), cand('B')], { ...ctx, ...c }, limits);
    for (const d of decisions) expect(d.approved ? 'approved' : d.reasons.join(' | ')).toBe(expected);
  });

  it('every gate that applies is given, in one decision', () => {
    const d = one({
      halted: true,
      entriesAllowed: false,
      tradingBlocked: true,
      nowMs: 0,
      cooldownUntilMs: 1,
      dailyPnl: '-1990',
      openStopRisk: '10',
    });
    expect(d.reasons).toEqual([
      'trading is halted (emergency stop or cooldown)',
      'cooldown after an emergency stop until 1970-01-01T00:00:00.001Z',
      'no new entries: past the no-new-entries cut-off or entries paused',
      'the broker account is blocked from trading',
      'daily loss budget used up: P&L -$1,990.00, open stop risk $10.00, limit $2,000.00',
    ]);
  });
});

describe('a malformed quote', () => {
  it('is refused with its reason, never thrown', () => {
    expect(one({}, {}, { entryPrice: 'n/a' }).reasons).toEqual([
      'no valid bracket: not a decimal amount: "n/a"',
    ]);
  });
});

/**
 * The risk manager's gate between scored candidates and orders. Candidates are judged one by one
 * in score order, and each approval is counted against the limits before the next candidate is
 * judged (positions, sector exposure, money to spend, loss budget, correlation), so a batch can
 * never approve together what it would refuse one at a time. Every decision carries its reasons,
 * approved or not.
 */
import { microsToDecimal, microsToNumber, percentOf, roundPrice, toMicros, type Micros } from '../money';
import { bracketInMicros, priceText } from './bracketPrices';
import { datedReturns, type DatedClose } from './correlation';
import { checkCorrelation } from './correlationCheck';
import { pctText } from './format';
import { dayGates, lossBudgetGate } from './gates';
import type { Held } from './held';
import { lossBudgetOf, lossBudgetText, remainingLossBudget } from './lossBudget';
import { checkSectorExposure } from './sectorExposure';
import { limitName, sizeInMicros, usd } from './sizePosition';
import { spendableOf } from './spendable';
import type { RiskCandidate, RiskContext, RiskDecision, RiskLimits } from './types';

export function validateRisk(
  candidates: readonly RiskCandidate[],
  ctx: RiskContext,
  limits: RiskLimits,
): RiskDecision[] {
  const equity = toMicros(ctx.equity);
  const spendable = spendableOf(ctx, limits);
  const budget = lossBudgetOf(ctx, limits);
  const pending = ctx.pendingEntries ?? [];
  const closedFor = dayGates(ctx);
  const minSize = toMicros(limits.minPositionSize);
  const maxSize = toMicros(limits.maxPositionSize);
  // Returns are only needed, and only worth computing, when the correlation is checked.
  const returnsOf = (closes: readonly DatedClose[] | undefined): ReadonlyMap<string, number> | null =>
    closes && limits.correlationCheckEnabled ? datedReturns(closes) : null;

  const held: Held[] = [
    ...ctx.openPositions.map((p) => ({
      symbol: p.symbol,
      sector: p.sector,
      exposure: abs(toMicros(p.marketValue)),
      returns: returnsOf(p.recentCloses),
    })),
    ...pending.map((e) => ({
      symbol: e.symbol,
      sector: e.sector,
      exposure: abs(toMicros(e.notional)),
      returns: returnsOf(e.recentCloses),
    })),
  ];
  const taken = new Set<string>([
    ...ctx.openPositions.map((p) => p.symbol),
    ...ctx.openOrderSymbols,
    ...pending.map((e) => e.symbol),
    ...(ctx.foreignOrderSymbols ?? []),
  ]);
  const openCount = new Set([
    ...ctx.openPositions.filter((p) => p.ours !== false).map((p) => p.symbol),
    ...ctx.openOrderSymbols,
    ...pending.map((e) => e.symbol),
  ]).size;
  const decided = new Set<string>();
  let approvals = 0;

  // One risk budget for the batch (sizing refuses an unusable percent with its own reason).
  const riskBudget =
    limits.riskPerTradePct > 0 && Number.isFinite(limits.riskPerTradePct)
      ? percentOf(equity, limits.riskPerTradePct)
      : undefined;

  const ordered = [...candidates].sort(byScoreThenSymbol);
  return ordered.map((c): RiskDecision => {
    // Stage 1: the whole day is closed to entries; nothing else matters.
    const budgetGate = lossBudgetGate(budget);
    if (closedFor.length > 0 || budgetGate)
      return rejected(c, budgetGate ? [...closedFor, budgetGate] : closedFor);

    // Stage 2: room in the batch and the book for this symbol.
    const duplicateInBatch = decided.has(c.symbol);
    decided.add(c.symbol);
    const capacity: string[] = [];
    if (approvals >= limits.executeTopN)
      capacity.push(`execute_top_n reached: ${limits.executeTopN} already approved this cycle`);
    if (openCount + approvals >= limits.maxPositions) {
      capacity.push(
        `max concurrent positions reached: ${openCount} open or pending + ${approvals} approved of ${limits.maxPositions}`,
      );
    }
    if (duplicateInBatch) capacity.push(`duplicate candidate: ${c.symbol} already decided in this batch`);
    else if (taken.has(c.symbol)) capacity.push(`duplicate symbol: already holding or ordering ${c.symbol}`);
    if (capacity.length > 0) return rejected(c, capacity);

    // Stage 3: prices and size.
    let quote: Micros;
    let stop: Micros;
    let target: Micros;
    try {
      quote = toMicros(c.entryPrice);
      ({ stop, target } = bracketInMicros({
        entry: quote,
        side: 'buy',
        stopLossPct: limits.stopLossPct,
        takeProfitPct: limits.takeProfitPct,
        atr: limits.useAtrStops ? c.atr : null,
        atrMultiplier: limits.atrMultiplier,
      }));
    } catch (err) {
      return rejected(c, [`no valid bracket: ${(err as Error).message.replace(/^bracketPrices: /, '')}`]);
    }
    const limit = entryLimit(quote, limits.entryLimitOffsetPct);
    if (target < limit + CENT || stop > limit - CENT) {
      return rejected(c, [
        `no valid bracket: stop ${priceText(stop)} and target ${priceText(target)} must be a cent either side of the entry limit ${priceText(limit)}`,
      ]);
    }
    if (spendable.left < limit) {
      return rejected(c, [
        `${spendable.label} exhausted: ${usd(spendable.left)} left, one share costs ${usd(limit)}`,
      ]);
    }
    const size = sizeInMicros({
      equity,
      riskBudget,
      spendable: spendable.left,
      spendableLabel: spendable.label,
      entry: limit,
      stop,
      riskPerTradePct: limits.riskPerTradePct,
      minSize,
      maxSize,
      lossBudget: remainingLossBudget(budget),
    });
    if (!('limitedBy' in size)) {
      const why = size.binding === 'loss_budget' ? `; ${lossBudgetText(budget)}` : '';
      return rejected(c, [`sizing: ${size.reason}${why}`]);
    }
    const { notional, riskAmount: risk } = size;

    // Stage 4: concentration against the book, pending entries and this batch's approvals.
    const mine = returnsOf(c.recentCloses);
    const sector = checkSectorExposure(c.sector, notional, held, equity, limits);
    const correlation = checkCorrelation({ symbol: c.symbol, returns: mine }, held, limits);
    const refusals = [...sector.refusals, ...correlation.refusals];
    if (refusals.length > 0) return rejected(c, refusals);

    const [limitPrice, stopPrice, takeProfitPrice] = [priceText(limit), priceText(stop), priceText(target)];
    approvals += 1;
    spendable.left -= notional;
    budget.approvedRisk += risk;
    taken.add(c.symbol);
    held.push({ symbol: c.symbol, sector: c.sector, exposure: notional, returns: mine });
    return {
      symbol: c.symbol,
      sector: c.sector,
      compositeScore: c.compositeScore,
      approved: true,
      qty: Number(size.qty),
      limitPrice,
      stopPrice,
      takeProfitPrice,
      notional: microsToDecimal(notional),
      riskAmount: microsToDecimal(risk),
      reasons: [
        `risk ${usd(risk)} = ${pctText(risk, equity)} of equity (budget ${limits.riskPerTradePct}%)`,
        `${size.qty} shares × limit ${limitPrice} = ${usd(notional)}, limited by ${limitName(size.limitedBy, spendable.label)}`,
        `entry limit ${limitPrice} (quote ${c.entryPrice}), stop ${stopPrice}, target ${takeProfitPrice}`,
        ...sector.notes,
        ...correlation.notes,
      ],
    };
  });
}

const CENT: Micros = 10_000n;

const rejected = (c: RiskCandidate, reasons: string[]): RiskDecision => ({
  symbol: c.symbol,
  sector: c.sector,
  compositeScore: c.compositeScore,
  approved: false,
  qty: 0,
  limitPrice: null,
  stopPrice: null,
  takeProfitPrice: null,
  notional: '0.00',
  riskAmount: '0.00',
  reasons,
});

/** The marketable limit of an entry: the quote plus the offset, rounded up to the tick. */
function entryLimit(quote: Micros, offsetPct: number): Micros {
  const price = microsToNumber(quote);
  return toMicros(roundPrice(offsetPct > 0 ? price * (1 + offsetPct / 100) : price, 'up'));
}

function byScoreThenSymbol(a: RiskCandidate, b: RiskCandidate): number {
  const sa = Number.isFinite(a.compositeScore) ? a.compositeScore : -Infinity;
  const sb = Number.isFinite(b.compositeScore) ? b.compositeScore : -Infinity;
  if (sa !== sb) return sb - sa;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

const abs = (m: Micros): Micros => (m < 0n ? -m : m);

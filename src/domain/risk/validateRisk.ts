/**
 * The risk manager's gate between scored candidates and orders. Candidates are judged one by one
 * in score order, and each approval is counted against the limits before the next candidate is
 * judged (positions, sector exposure, buying power, correlation), so a batch can never approve
 * together what it would refuse one at a time. Every decision carries its reasons, approved or not.
 */
import {
  microsToDecimal,
  microsToNumber,
  percentOf,
  roundPrice,
  sumMicros,
  toMicros,
  type Micros,
} from '../money';
import { bracketPrices } from './bracketPrices';
import { pearsonCorrelation, returnsFromCloses } from './correlation';
import { sizePosition, usd } from './sizePosition';

export interface RiskCandidate {
  symbol: string;
  sector: string;
  /** Expected entry (latest price); the bracket legs and size are computed from it. */
  entryPrice: string;
  compositeScore: number;
  atr?: number | null;
  /** Recent closes, oldest first, for the correlation check. */
  recentCloses?: number[];
}

export interface RiskOpenPosition {
  symbol: string;
  sector: string;
  marketValue: string;
  recentCloses?: number[];
  /**
   * False for holdings that are not Catalyst's (bought by hand, carried over): they count as
   * exposure (sector, correlation, no second position in the symbol) but not toward max_positions,
   * which limits Catalyst's own concurrent positions. Default true.
   */
  ours?: boolean;
}

export interface RiskContext {
  equity: string;
  buyingPower: string;
  /** Today's realized + unrealized P&L. */
  dailyPnl: string;
  openPositions: RiskOpenPosition[];
  /** Symbols with Catalyst's open orders (pending entries count as positions). */
  openOrderSymbols: string[];
  /** Symbols with open orders that are not Catalyst's: never entered, not counted as positions. */
  foreignOrderSymbols?: string[];
  halted: boolean;
  /** False after the no-new-entries cut-off (and while entries are paused). */
  entriesAllowed: boolean;
  /** The broker's account flags: every entry is refused while trading is blocked. */
  tradingBlocked?: boolean;
  /**
   * Flagged a pattern day trader: below $25,000 of equity FINRA's rule forbids day trades, and
   * every Catalyst entry is one (it flattens before the close), so none is placed.
   */
  patternDayTrader?: boolean;
}

/** FINRA's minimum equity for a pattern day trader's day trades. */
export const PATTERN_DAY_TRADER_MIN_EQUITY = '25000';

/** The risk parameters and the trading-config values the risk manager applies (settings map their YAML onto this). */
export interface RiskLimits {
  /** Positive amount; entries stop once the day's P&L is at or below its negative. */
  maxDailyLoss: string;
  maxPositions: number;
  minPositionSize: string;
  maxPositionSize: string;
  riskPerTradePct: number;
  maxSectorExposurePct: number;
  /** Sectors the exposure limit applies to; empty means every sector. */
  sectorsToLimit: string[];
  maxCorrelation: number;
  correlationCheckEnabled: boolean;
  /** Approvals per batch (the trading config's execute_top_n). */
  executeTopN: number;
  stopLossPct: number;
  takeProfitPct: number;
  useAtrStops: boolean;
  atrMultiplier: number;
  /**
   * Entries are marketable limit orders this percent above the quote. Sizing assumes the fill at
   * the limit, so the loss to the stop can never exceed the risk budget whatever the fill. 0 = at the quote.
   */
  entryLimitOffsetPct: number;
}

export interface RiskDecision {
  symbol: string;
  sector: string;
  compositeScore: number;
  approved: boolean;
  /** 0 when rejected. */
  qty: number;
  /** The entry's limit price (null when rejected). */
  limitPrice: string | null;
  /** Null when rejected. */
  stopPrice: string | null;
  takeProfitPrice: string | null;
  /** "0.00" when rejected. */
  notional: string;
  riskAmount: string;
  reasons: string[];
}

interface Held {
  symbol: string;
  sector: string;
  exposure: Micros;
  returns: number[] | null;
}

export function validateRisk(
  candidates: readonly RiskCandidate[],
  ctx: RiskContext,
  limits: RiskLimits,
): RiskDecision[] {
  const equity = toMicros(ctx.equity);
  const dailyPnl = toMicros(ctx.dailyPnl);
  const maxDailyLoss = toMicros(limits.maxDailyLoss);
  let buyingPowerLeft = toMicros(ctx.buyingPower);

  const held: Held[] = ctx.openPositions.map((p) => ({
    symbol: p.symbol,
    sector: p.sector,
    exposure: abs(toMicros(p.marketValue)),
    returns: p.recentCloses ? returnsFromCloses(p.recentCloses) : null,
  }));
  const taken = new Set<string>([
    ...ctx.openPositions.map((p) => p.symbol),
    ...ctx.openOrderSymbols,
    ...(ctx.foreignOrderSymbols ?? []),
  ]);
  const openCount = new Set([
    ...ctx.openPositions.filter((p) => p.ours !== false).map((p) => p.symbol),
    ...ctx.openOrderSymbols,
  ]).size;
  const decided = new Set<string>();
  let approvals = 0;

  const ordered = [...candidates].sort(byScoreThenSymbol);
  return ordered.map((c): RiskDecision => {
    const reject = (reasons: string[]): RiskDecision => ({
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

    // Stage 1: the whole day is closed to entries; nothing else matters.
    const gates: string[] = [];
    if (ctx.halted) gates.push('trading is halted (emergency stop or cooldown)');
    if (!ctx.entriesAllowed) gates.push('no new entries: past the no-new-entries cut-off or entries paused');
    if (ctx.tradingBlocked) gates.push('the broker account is blocked from trading');
    if (ctx.patternDayTrader && equity < toMicros(PATTERN_DAY_TRADER_MIN_EQUITY)) {
      gates.push(
        `pattern day trader with equity ${usd(equity)} below $25,000: day trades are not allowed, and every entry is one`,
      );
    }
    if (dailyPnl <= -maxDailyLoss) {
      gates.push(`daily loss limit reached: P&L ${usd(dailyPnl)} at or below ${usd(-maxDailyLoss)}`);
    }
    if (gates.length > 0) return reject(gates);

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
    if (capacity.length > 0) return reject(capacity);

    // Stage 3: prices and size.
    let stopPrice: string;
    let takeProfitPrice: string;
    try {
      ({ stopPrice, takeProfitPrice } = bracketPrices({
        entryPrice: c.entryPrice,
        side: 'buy',
        stopLossPct: limits.stopLossPct,
        takeProfitPct: limits.takeProfitPct,
        atr: limits.useAtrStops ? c.atr : null,
        atrMultiplier: limits.atrMultiplier,
      }));
    } catch (err) {
      return reject([`no valid bracket: ${(err as Error).message.replace(/^bracketPrices: /, '')}`]);
    }
    const limitPrice = entryLimit(c.entryPrice, limits.entryLimitOffsetPct);
    const limit = toMicros(limitPrice);
    if (toMicros(takeProfitPrice) < limit + CENT || toMicros(stopPrice) > limit - CENT) {
      return reject([
        `no valid bracket: stop ${stopPrice} and target ${takeProfitPrice} must be a cent either side of the entry limit ${limitPrice}`,
      ]);
    }
    if (buyingPowerLeft < limit) {
      return reject([`buying power exhausted: ${usd(buyingPowerLeft)} left, one share costs ${usd(limit)}`]);
    }
    const size = sizePosition({
      equity: ctx.equity,
      buyingPower: microsToDecimal(buyingPowerLeft),
      entryPrice: limitPrice,
      stopPrice,
      riskPerTradePct: limits.riskPerTradePct,
      minPositionSize: limits.minPositionSize,
      maxPositionSize: limits.maxPositionSize,
    });
    if (!('limitedBy' in size)) return reject([`sizing: ${size.reason}`]);
    const notional = toMicros(size.notional);

    // Stage 4: concentration against the book plus this batch's approvals.
    const concentration: string[] = [];
    const notes: string[] = [];
    if (sectorLimited(c.sector, limits)) {
      const sectorExposure =
        sumMicros(held.filter((h) => h.sector === c.sector).map((h) => h.exposure)) + notional;
      const cap = percentOf(equity, limits.maxSectorExposurePct);
      const line = `sector ${c.sector} ${pctText(sectorExposure, equity)} of equity with this trade`;
      if (sectorExposure > cap) concentration.push(`${line}, over the ${limits.maxSectorExposurePct}% limit`);
      else notes.push(`${line} (limit ${limits.maxSectorExposurePct}%)`);
    }
    if (limits.correlationCheckEnabled) {
      const mine = c.recentCloses ? returnsFromCloses(c.recentCloses) : null;
      let worst: { symbol: string; r: number } | null = null;
      for (const h of held) {
        const r = mine && h.returns ? pearsonCorrelation(mine, h.returns) : null;
        if (r !== null && (worst === null || r > worst.r)) worst = { symbol: h.symbol, r };
      }
      if (worst && worst.r > limits.maxCorrelation) {
        concentration.push(
          `correlation ${worst.r.toFixed(2)} with ${worst.symbol} exceeds ${limits.maxCorrelation}`,
        );
      } else if (worst) {
        notes.push(
          `highest correlation ${worst.r.toFixed(2)} with ${worst.symbol} (limit ${limits.maxCorrelation})`,
        );
      } else if (held.length > 0) {
        notes.push('correlation not checked: not enough recent closes');
      }
    }
    if (concentration.length > 0) return reject(concentration);

    approvals += 1;
    buyingPowerLeft -= notional;
    taken.add(c.symbol);
    held.push({
      symbol: c.symbol,
      sector: c.sector,
      exposure: notional,
      returns: c.recentCloses ? returnsFromCloses(c.recentCloses) : null,
    });
    return {
      symbol: c.symbol,
      sector: c.sector,
      compositeScore: c.compositeScore,
      approved: true,
      qty: size.qty,
      limitPrice,
      stopPrice,
      takeProfitPrice,
      notional: size.notional,
      riskAmount: size.riskAmount,
      reasons: [
        `risk ${usd(toMicros(size.riskAmount))} = ${pctText(toMicros(size.riskAmount), equity)} of equity (budget ${limits.riskPerTradePct}%)`,
        `${size.qty} shares × limit ${limitPrice} = ${usd(notional)}, limited by ${size.limitedBy.replace(/_/g, ' ')}`,
        `entry limit ${limitPrice} (quote ${c.entryPrice}), stop ${stopPrice}, target ${takeProfitPrice}`,
        ...notes,
      ],
    };
  });
}

const CENT: Micros = 10_000n;

/** The marketable limit of an entry: the quote plus the offset, rounded up to the tick. */
function entryLimit(quote: string, offsetPct: number): string {
  if (!(offsetPct > 0)) return roundPrice(microsToNumber(toMicros(quote)), 'up');
  return roundPrice(microsToNumber(toMicros(quote)) * (1 + offsetPct / 100), 'up');
}

function byScoreThenSymbol(a: RiskCandidate, b: RiskCandidate): number {
  const sa = Number.isFinite(a.compositeScore) ? a.compositeScore : -Infinity;
  const sb = Number.isFinite(b.compositeScore) ? b.compositeScore : -Infinity;
  if (sa !== sb) return sb - sa;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}

const sectorLimited = (sector: string, limits: RiskLimits): boolean =>
  limits.sectorsToLimit.length === 0 || limits.sectorsToLimit.includes(sector);

const abs = (m: Micros): Micros => (m < 0n ? -m : m);

/** part ÷ whole as a percent with one decimal ("12.5%"); whole ≤ 0 reads as "n/a". */
function pctText(part: Micros, whole: Micros): string {
  if (whole <= 0n) return 'n/a';
  const tenths = (part * 1000n + whole / 2n) / whole;
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/**
 * Per-symbol scan metrics from one market snapshot: how far it gapped, how it has moved since the
 * open, and how busy it is compared with a normal day at this time.
 */
import { gapScore, momentumScore, round4, volumeScore } from '../scoring';
import { expectedVolumeFraction } from './volumeCurve';

export interface ScanInput {
  symbol: string;
  /** Latest trade price. */
  price: number;
  /** Today's session open, high, low and cumulative volume so far. */
  open: number;
  high: number;
  low: number;
  volume: number;
  prevClose: number;
  prevVolume: number;
  /** Average full-day volume (e.g. 20-day); preferred over prevVolume as the baseline when known. */
  avgVolume?: number;
}

export interface ScanMetrics {
  symbol: string;
  price: number;
  /** Open vs previous close, percent. */
  gapPct: number;
  /** Price vs today's open, percent. */
  momentumPct: number;
  /** Price vs previous close, percent. */
  changePct: number;
  /** Today's high-low range as a percent of the open. */
  rangePct: number;
  /** Volume so far ÷ volume a normal day has traded by now (0 when there is no baseline). */
  relativeVolume: number;
  volume: number;
  /** price × volume traded so far today. */
  dollarVolume: number;
  /**
   * Typical full-day dollar volume: price × the larger of the baseline and today's projected volume.
   * The liquidity filter uses this, because at 09:35 today's dollar volume is tiny for every stock.
   */
  liquidityDollarVolume: number;
  /** Ranking score 0..100 combining momentum, relative volume and gap. */
  scanScore: number;
}

/** Weights of the scan score: the scanner looks for stocks moving now, on volume, helped by a gap. */
export const SCAN_SCORE_WEIGHTS = Object.freeze({ momentum: 0.4, volume: 0.35, gap: 0.25 });

/** True when the snapshot has the positive, finite prices the metrics divide by. */
export function isScannable(input: ScanInput): boolean {
  const positive = [input.price, input.open, input.prevClose];
  const nonNegative = [input.high, input.low, input.volume, input.prevVolume, input.avgVolume ?? 0];
  return (
    typeof input.symbol === 'string' &&
    input.symbol.length > 0 &&
    positive.every((x) => Number.isFinite(x) && x > 0) &&
    nonNegative.every((x) => Number.isFinite(x) && x >= 0)
  );
}

export function computeScanMetrics(input: ScanInput, sessionFractionElapsed: number): ScanMetrics {
  if (!isScannable(input)) {
    throw new RangeError(
      `scan input for ${JSON.stringify(input.symbol)} has missing or non-positive prices or volumes`,
    );
  }
  const { symbol, price, open, high, low, prevClose, volume } = input;
  const baseline = input.avgVolume !== undefined && input.avgVolume > 0 ? input.avgVolume : input.prevVolume;
  const expectedShare = expectedVolumeFraction(sessionFractionElapsed);
  const relativeVolume = baseline > 0 ? volume / (baseline * expectedShare) : 0;
  const projectedVolume = volume / expectedShare;

  const partial = {
    gapPct: pct(open, prevClose),
    momentumPct: pct(price, open),
    relativeVolume,
  };
  const scanScore = round4(
    SCAN_SCORE_WEIGHTS.momentum * momentumScore(partial) +
      SCAN_SCORE_WEIGHTS.volume * volumeScore(partial) +
      SCAN_SCORE_WEIGHTS.gap * gapScore(partial),
  );
  return {
    symbol,
    price,
    gapPct: round4(partial.gapPct),
    momentumPct: round4(partial.momentumPct),
    changePct: round4(pct(price, prevClose)),
    rangePct: round4(high >= low ? ((high - low) / open) * 100 : 0),
    relativeVolume: round4(relativeVolume),
    volume,
    dollarVolume: Math.round(price * volume * 100) / 100,
    liquidityDollarVolume: Math.round(price * Math.max(baseline, projectedVolume) * 100) / 100,
    scanScore,
  };
}

const pct = (value: number, base: number): number => ((value - base) / base) * 100;

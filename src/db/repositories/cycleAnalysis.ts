/**
 * The per-cycle analysis tables (news_sentiment, pattern_analysis, technical_indicators): each
 * stage replaces its own rows for the symbols it analysed, in one transaction, so a retried
 * activity leaves exactly one attempt's rows behind.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { chunked } from '../chunked';
import type { CatalystDb } from '../createDatabase';
import { measure } from '../decimal';
import { newsSentiment, patternAnalysis, technicalIndicators } from '../schema';
import { normalizeSymbol, securityIdsFor } from './securities';

type Num = number | null | undefined;

export interface NewsSentimentRow {
  symbol: string;
  headlineCount: number;
  /** Recency-weighted sentiment in [-1, 1]. */
  sentiment: Num;
  /** The news factor, 0..100. */
  newsScore: Num;
  catalystType: string | null;
  latestHeadline: string | null;
  latestPublishedAt: Date | null;
  details: Record<string, unknown>;
}

export interface PatternRow {
  symbol: string;
  pattern: string;
  direction: string;
  /** 0..1 */
  confidence: number;
  price: Num;
  detectedAt: Date | null;
  details: Record<string, unknown>;
}

export interface TechnicalRow {
  symbol: string;
  computedAt: Date;
  rsi: Num;
  macd: Num;
  macdSignal: Num;
  macdHistogram: Num;
  sma20: Num;
  ema9: Num;
  vwap: Num;
  atr: Num;
  bollingerUpper: Num;
  bollingerLower: Num;
  volumeRatio: Num;
  score: Num;
  details: Record<string, unknown>;
}

const CHUNK = 500;
const num = (x: Num, field: string): string | null => measure(x ?? null, field) ?? null;

type AnalysisTable = typeof newsSentiment | typeof patternAnalysis | typeof technicalIndicators;

async function replaceRows<R extends { symbol: string }>(
  db: CatalystDb,
  table: AnalysisTable,
  cycleId: string,
  symbols: readonly string[],
  rows: readonly R[],
  toValues: (row: R, securityId: number) => Record<string, unknown>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = await securityIdsFor(tx, [...symbols, ...rows.map((r) => r.symbol)]);
    const idList = [...new Set(symbols.map((s) => ids.get(normalizeSymbol(s))!))];
    for (const part of chunked(idList, CHUNK))
      await tx.delete(table).where(and(eq(table.cycleId, cycleId), inArray(table.securityId, part)));
    const values = rows.map((r) => ({ cycleId, ...toValues(r, ids.get(normalizeSymbol(r.symbol))!) }));
    for (const part of chunked(values, CHUNK)) await tx.insert(table as PgTable).values(part);
    return values.length;
  });
}

/** Every candidate the news stage scored, with or without headlines. */
export function recordNewsSentiment(
  db: CatalystDb,
  cycleId: string,
  rows: readonly NewsSentimentRow[],
): Promise<number> {
  return replaceRows(
    db,
    newsSentiment,
    cycleId,
    rows.map((r) => r.symbol),
    rows,
    (r, securityId) => ({
      securityId,
      headlineCount: r.headlineCount,
      sentimentScore: num(r.sentiment, `sentiment of ${r.symbol}`),
      catalystType: r.catalystType,
      catalystStrength: num(r.newsScore, `news score of ${r.symbol}`),
      latestHeadline: r.latestHeadline,
      latestPublishedAt: r.latestPublishedAt,
      details: r.details,
    }),
  );
}

/** The patterns found for `symbols` (a symbol without a pattern keeps no row). */
export function recordPatterns(
  db: CatalystDb,
  cycleId: string,
  symbols: readonly string[],
  rows: readonly PatternRow[],
): Promise<number> {
  return replaceRows(db, patternAnalysis, cycleId, symbols, rows, (r, securityId) => ({
    securityId,
    pattern: r.pattern,
    timeframe: '1Min',
    direction: r.direction,
    confidence: num(r.confidence, `confidence of ${r.symbol} ${r.pattern}`),
    price: num(r.price, `price of ${r.symbol}`),
    detectedAt: r.detectedAt,
    details: r.details,
  }));
}

export function recordTechnicals(
  db: CatalystDb,
  cycleId: string,
  rows: readonly TechnicalRow[],
): Promise<number> {
  return replaceRows(
    db,
    technicalIndicators,
    cycleId,
    rows.map((r) => r.symbol),
    rows,
    (r, securityId) => ({
      securityId,
      timeframe: '1Min',
      computedAt: r.computedAt,
      rsi: num(r.rsi, `rsi of ${r.symbol}`),
      macd: num(r.macd, `macd of ${r.symbol}`),
      macdSignal: num(r.macdSignal, `macd signal of ${r.symbol}`),
      macdHistogram: num(r.macdHistogram, `macd histogram of ${r.symbol}`),
      sma20: num(r.sma20, `sma20 of ${r.symbol}`),
      ema9: num(r.ema9, `ema9 of ${r.symbol}`),
      vwap: num(r.vwap, `vwap of ${r.symbol}`),
      atr: num(r.atr, `atr of ${r.symbol}`),
      bollingerUpper: num(r.bollingerUpper, `bollinger upper of ${r.symbol}`),
      bollingerLower: num(r.bollingerLower, `bollinger lower of ${r.symbol}`),
      volumeRatio: num(r.volumeRatio, `volume ratio of ${r.symbol}`),
      score: num(r.score, `technical score of ${r.symbol}`),
      details: r.details,
    }),
  );
}

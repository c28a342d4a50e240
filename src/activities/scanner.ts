/**
 * The scanner service: all tradable US equities → top N by momentum, relative volume and gap.
 * Writes every ranked row to scan_results and keeps the metrics in the worker cache.
 */
import { Context } from '@temporalio/activity';
import type { BrokerSnapshot } from '../broker/port';
import { upsertSecurities } from '../db/repositories/securities';
import { recordScanResults } from '../db/repositories/scanResults';
import { rankUniverse, type RankedScan, type ScanInput } from '../domain/scan';
import { momentumScore, volumeScore } from '../domain/scoring';
import { roundPrice } from '../domain/money';
import type { CycleRef, ScanOutcome } from './types';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { sessionOf } from './marketClock';
import type { ReferenceData } from './referenceData';

/** Exchanges whose common stocks the scanner considers. */
const US_EQUITY_EXCHANGES = new Set(['NYSE', 'NASDAQ', 'AMEX', 'ARCA', 'BATS', 'NYSEARCA']);

export function snapshotToScanInput(
  symbol: string,
  snap: BrokerSnapshot,
  ref: ReferenceData,
): ScanInput | null {
  const day = snap.dailyBar;
  const prev = snap.prevDailyBar;
  if (!day || !prev || !(snap.latestTradePrice > 0)) return null;
  return {
    symbol,
    price: snap.latestTradePrice,
    open: day.o,
    high: day.h,
    low: day.l,
    volume: day.v,
    prevClose: prev.c,
    prevVolume: prev.v,
    avgVolume: ref.get(symbol)?.avgVolume,
  };
}

export function createScannerActivities(deps: ActivityDeps, cache: MarketCache, ref: ReferenceData) {
  return {
    async scanUniverse(input: CycleRef): Promise<ScanOutcome> {
      const { trading } = deps.settings.current();
      let assets = cache.assets.get(input.tradingDate);
      if (!assets) {
        assets = (await deps.broker.listAssets()).filter(
          (a) => a.tradable && a.status === 'active' && US_EQUITY_EXCHANGES.has(a.exchange),
        );
        // Once per day and worker: the securities table learns the day's universe with its sectors.
        await upsertSecurities(
          deps.db,
          assets.map((a) => ({
            symbol: a.symbol,
            name: a.name,
            exchange: a.exchange,
            sector: ref.get(a.symbol)?.sector ?? null,
            industry: ref.get(a.symbol)?.industry ?? null,
          })),
        );
        cache.assets.set(input.tradingDate, assets);
      }
      Context.current().heartbeat('assets');
      const snapshots = await deps.broker.getSnapshots(assets.map((a) => a.symbol));
      Context.current().heartbeat('snapshots');
      const day = await sessionOf(deps, cache, input.tradingDate);
      const newest = Math.max(
        ...[...snapshots.values()].map((s) => Date.parse(s.latestTradeTime)).filter(Number.isFinite),
        day.openMs,
      );
      const fraction = (newest - day.openMs) / Math.max(1, day.closeMs - day.openMs);

      const inputs: ScanInput[] = [];
      for (const [symbol, snap] of snapshots) {
        const scanInput = snapshotToScanInput(symbol, snap, ref);
        if (scanInput) inputs.push(scanInput);
      }
      const ranked = rankUniverse(inputs, {
        topN: trading.scan.universe_top_n,
        minPrice: trading.scan.min_price,
        maxPrice: trading.scan.max_price,
        minDollarVolume: trading.scan.min_dollar_volume,
        sessionFractionElapsed: fraction,
      });
      cache.scan.set(input.cycleId, new Map(ranked.map((r) => [r.symbol, r])));
      await recordScanResults(deps.db, input.cycleId, ranked.map(scanRow));
      return { universe: assets.length, scanned: inputs.length, candidates: ranked.map((r) => r.symbol) };
    },
  };
}

function scanRow(r: RankedScan) {
  return {
    symbol: r.symbol,
    rank: r.rank,
    price: roundPrice(r.price),
    volume: Math.round(r.volume),
    gapPct: r.gapPct,
    momentumPct: r.momentumPct,
    relativeVolume: r.relativeVolume,
    momentumScore: momentumScore(r),
    volumeScore: volumeScore(r),
    stageReached: 'scan',
  };
}

/**
 * The scanner service: all tradable US equities → the top N by momentum, relative volume and gap.
 * The universe is split into chunks of symbols (in symbol order) that parallel activities scan,
 * on as many workers as there are; each keeps its chunk's top N, and the workflow merges them
 * (`mergeChunkScans`), which gives exactly the list of one pass over the whole universe.
 *
 * As of the cycle's minute: the session's elapsed share comes from the decision minute, not from
 * the newest trade seen. The snapshot API itself has no as-of parameter; on the simulator's driven
 * clock the venue stands at the minute, on a live venue a snapshot holds the trades up to the
 * request (moments after the minute). Nothing an order is sized or priced on comes from it: the
 * later stages re-derive every factor from bars that end before the minute.
 */
import type { BrokerAsset, BrokerSnapshot } from '../broker/port';
import { recordScanResults } from '../db/repositories/scanResults';
import { upsertSecurities } from '../db/repositories/securities';
import { roundPrice } from '../domain/money';
import { computeScanMetrics, isScannable, type ScanInput } from '../domain/scan';
import { cutStage, momentumScore, volumeScore } from '../domain/scoring';
import type { ActivityDeps } from './deps';
import { beat } from './heartbeat';
import type { MarketCache } from './marketCache';
import { sessionOf } from './marketClock';
import { knownSectorOf, type ReferenceData } from './referenceData';
import type { Candidate, ChunkScan, ScanChunkInput, ScanRow, StageRef, UniverseOutcome } from './types';

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

/** The session's elapsed share at the decision minute, in [0, 1]. */
export async function elapsedShare(
  deps: Pick<ActivityDeps, 'broker'>,
  cache: MarketCache,
  tradingDate: string,
  asOfMs: number,
): Promise<number> {
  const day = await sessionOf(deps, cache, tradingDate);
  const share = (asOfMs - day.openMs) / Math.max(1, day.closeMs - day.openMs);
  return Math.min(1, Math.max(0, share));
}

export function createScannerActivities(deps: ActivityDeps, cache: MarketCache, ref: ReferenceData) {
  /** The day's universe in symbol order; every worker derives the same chunks from it. */
  async function universe(tradingDate: string): Promise<BrokerAsset[]> {
    const cached = cache.assets.get(tradingDate);
    if (cached) return cached;
    const assets = (await deps.broker.listAssets())
      .filter((a) => a.tradable && a.status === 'active' && US_EQUITY_EXCHANGES.has(a.exchange))
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    // Once per day and worker: the securities table learns the day's universe with its sectors.
    const overrides = deps.settings.current().risk.sector_limits.sector_overrides;
    await upsertSecurities(
      deps.db,
      assets.map((a) => ({
        symbol: a.symbol,
        name: a.name,
        exchange: a.exchange,
        sector: knownSectorOf(ref, overrides, a.symbol) ?? null,
        industry: ref.get(a.symbol)?.industry ?? null,
      })),
    );
    cache.assets.set(tradingDate, assets);
    return assets;
  }

  return {
    async listUniverse(input: StageRef & { chunkSize: number }): Promise<UniverseOutcome> {
      if (!Number.isInteger(input.chunkSize) || input.chunkSize < 1)
        throw new RangeError(`chunkSize must be a positive integer: ${input.chunkSize}`);
      const assets = await universe(input.tradingDate);
      return {
        universe: assets.length,
        chunks: Math.ceil(assets.length / input.chunkSize),
        chunkSize: input.chunkSize,
      };
    },

    async scanChunk(input: ScanChunkInput): Promise<ChunkScan> {
      const { trading } = deps.settings.at(input.configVersion);
      const assets = await universe(input.tradingDate);
      const symbols = assets
        .slice(input.chunk * input.chunkSize, (input.chunk + 1) * input.chunkSize)
        .map((a) => a.symbol);
      beat(`chunk ${input.chunk}: ${symbols.length} symbols`);
      const [snapshots, share] = await Promise.all([
        deps.broker.getSnapshots(symbols),
        elapsedShare(deps, cache, input.tradingDate, input.asOfMs),
      ]);
      beat(`chunk ${input.chunk}: snapshots`);
      let scannable = 0;
      const eligible: ScanRow[] = [];
      for (const symbol of symbols) {
        const snap = snapshots.get(symbol);
        const scanInput = snap ? snapshotToScanInput(symbol, snap, ref) : null;
        if (!scanInput || !isScannable(scanInput)) continue;
        scannable++;
        if (scanInput.price < trading.scan.min_price || scanInput.price > trading.scan.max_price) continue;
        const m = computeScanMetrics(scanInput, share);
        if (m.liquidityDollarVolume < trading.scan.min_dollar_volume) continue;
        eligible.push({
          symbol,
          price: m.price,
          volume: Math.round(m.volume),
          gapPct: m.gapPct,
          momentumPct: m.momentumPct,
          relativeVolume: m.relativeVolume,
          scanScore: m.scanScore,
          momentumScore: momentumScore(m),
          volumeScore: volumeScore(m),
        });
      }
      return {
        symbols: symbols.length,
        scannable,
        eligible: eligible.length,
        top: cutStage(eligible, trading.scan.universe_top_n, [(r) => r.scanScore]),
        topN: trading.scan.universe_top_n,
      };
    },

    /** The scan's ranked list into scan_results; the later stages add their scores to these rows. */
    async recordScan(input: StageRef & { candidates: Candidate[] }): Promise<void> {
      // The universe's sectors are written once a day; the ranked rows' are refreshed each cycle,
      // so a sector override reloaded during the day shows on the rows that cycle records.
      const overrides = deps.settings.at(input.configVersion).risk.sector_limits.sector_overrides;
      await upsertSecurities(
        deps.db,
        input.candidates.map((c) => ({
          symbol: c.symbol,
          sector: knownSectorOf(ref, overrides, c.symbol) ?? null,
        })),
      );
      await recordScanResults(
        deps.db,
        input.cycleId,
        input.candidates.map((r) => ({
          symbol: r.symbol,
          rank: r.rank,
          price: roundPrice(r.price),
          volume: r.volume,
          gapPct: r.gapPct,
          momentumPct: r.momentumPct,
          relativeVolume: r.relativeVolume,
          scanScore: r.scanScore,
          momentumScore: r.momentumScore,
          volumeScore: r.volumeScore,
          stageReached: 'scan',
        })),
      );
    },
  };
}

/**
 * The guide's funnel, in its order: scanner (in parallel chunks) → news sentiment → patterns →
 * technical indicators → composite score. Each stage is one activity that reads as of the
 * decision minute, records its scores and returns its survivors; `funnel` holds the real counts.
 * Used by every trading cycle and by `catalyst scan` (the funnel without orders).
 */
import type { ScanRow, ScoringOutcome, StageRef } from '../activities/types';
import { mergeChunkScans, SCAN_CHUNK_SIZE, type MergedScan } from '../domain/scan/mergeChunks';
import { cycleStageOptions, scanChunkOptions, type DayActivities } from './dayActivities';
import type { CycleFunnel } from './messages';

type FunnelActivities = Pick<DayActivities, 'cycle'>;

export function emptyFunnel(): CycleFunnel {
  return {
    universe: 0,
    scanned: 0,
    news: 0,
    patterns: 0,
    technical: 0,
    scored: 0,
    riskApproved: 0,
    ordersPlaced: 0,
  };
}

export async function runFunnel(
  acts: FunnelActivities,
  speed: number,
  asOf: StageRef,
  funnel: CycleFunnel,
): Promise<ScoringOutcome> {
  const stage = (label: string, timeout?: string) =>
    cycleStageOptions(speed, `cycle ${asOf.cycleNumber}: ${label}`, timeout);
  const scan = await scanUniverse(acts, speed, asOf);
  funnel.universe = scan.universe;
  funnel.scanned = scan.candidates.length;
  await acts.cycle.recordScan.executeWithOptions(stage('record scan', '1 minute'), [
    { ...asOf, candidates: scan.candidates },
  ]);
  const news = await acts.cycle.scoreSentiment.executeWithOptions(stage(`news for ${funnel.scanned}`), [
    { ...asOf, candidates: scan.candidates },
  ]);
  funnel.news = news.candidates.length;
  const patterns = await acts.cycle.detectPatterns.executeWithOptions(stage(`patterns for ${funnel.news}`), [
    { ...asOf, candidates: news.candidates },
  ]);
  funnel.patterns = patterns.candidates.length;
  const technical = await acts.cycle.computeIndicators.executeWithOptions(
    stage(`indicators for ${funnel.patterns}`),
    [{ ...asOf, candidates: patterns.candidates }],
  );
  funnel.technical = technical.candidates.length;
  const scored = await acts.cycle.scoreCandidates.executeWithOptions(stage('composite score', '1 minute'), [
    { ...asOf, candidates: technical.candidates },
  ]);
  funnel.scored = scored.candidates.length;
  return scored;
}

/**
 * The scan fans out over chunks of the universe, one activity each, in parallel: more workers
 * scan faster, and a failed chunk retries alone. The merge is exact (see mergeChunkScans).
 */
async function scanUniverse(
  acts: FunnelActivities,
  speed: number,
  asOf: StageRef,
): Promise<MergedScan<ScanRow> & { universe: number }> {
  const n = asOf.cycleNumber;
  const universe = await acts.cycle.listUniverse.executeWithOptions(
    cycleStageOptions(speed, `cycle ${n}: list universe`, '1 minute'),
    [{ ...asOf, chunkSize: SCAN_CHUNK_SIZE }],
  );
  const chunks = await Promise.all(
    Array.from({ length: universe.chunks }, (_, chunk) =>
      acts.cycle.scanChunk.executeWithOptions(
        scanChunkOptions(speed, `cycle ${n}: scan chunk ${chunk + 1}/${universe.chunks}`),
        [{ ...asOf, chunk, chunkSize: universe.chunkSize }],
      ),
    ),
  );
  const topN = chunks.length ? Math.min(...chunks.map((c) => c.topN)) : 0;
  return { ...mergeChunkScans(chunks, topN), universe: universe.universe };
}

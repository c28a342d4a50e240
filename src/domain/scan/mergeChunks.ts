/**
 * The scan runs over the universe in chunks (parallel activities, possibly on several workers);
 * each chunk keeps its own top N. A symbol's scan score depends only on its own snapshot and the
 * cycle's minute, so the global top N is always inside the union of the chunks' top N lists, and
 * merging them gives exactly the list one pass over the whole universe would.
 */
/** Symbols per scan chunk: one snapshot request's worth (the adapter's batch), so a chunk is one broker call. */
export const SCAN_CHUNK_SIZE = 500;

export interface ChunkTop<T extends { symbol: string; scanScore: number }> {
  /** Symbols the chunk asked the broker for. */
  symbols: number;
  /** Of them, with usable data (a trade today, a previous close). */
  scannable: number;
  /** Of them, inside the price band and liquid enough. */
  eligible: number;
  top: readonly T[];
}

export interface MergedScan<T> {
  symbols: number;
  scannable: number;
  eligible: number;
  /** The best `topN`, best first, each with its 1-based rank. */
  candidates: (T & { rank: number })[];
}

export function mergeChunkScans<T extends { symbol: string; scanScore: number }>(
  chunks: readonly ChunkTop<T>[],
  topN: number,
): MergedScan<T> {
  const seen = new Set<string>();
  const all: T[] = [];
  for (const chunk of chunks)
    for (const row of chunk.top) {
      if (seen.has(row.symbol)) continue; // chunks never overlap; a repeated symbol is kept once
      seen.add(row.symbol);
      all.push(row);
    }
  all.sort((a, b) =>
    a.scanScore !== b.scanScore
      ? b.scanScore - a.scanScore
      : a.symbol < b.symbol
        ? -1
        : a.symbol > b.symbol
          ? 1
          : 0,
  );
  const sum = (f: (c: ChunkTop<T>) => number): number => chunks.reduce((s, c) => s + f(c), 0);
  return {
    symbols: sum((c) => c.symbols),
    scannable: sum((c) => c.scannable),
    eligible: sum((c) => c.eligible),
    candidates: all.slice(0, topN).map((row, i) => ({ ...row, rank: i + 1 })),
  };
}

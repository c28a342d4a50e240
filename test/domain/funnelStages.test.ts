/**
 * The funnel's pure cuts: the chunked scan merge equals one pass over the universe, each stage
 * keeps its best by its own evidence, and the composite ranking honours the minimum score.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeChunkScans, rankUniverse, type ScanInput } from '../../src/domain/scan';
import { cutStage, rankByComposite, DEFAULT_SCORE_WEIGHTS } from '../../src/domain/scoring';

const symbolArb = fc.stringMatching(/^[A-Z]{1,5}$/);
const inputArb: fc.Arbitrary<ScanInput> = fc.record({
  symbol: symbolArb,
  price: fc.double({ min: 1, max: 600, noNaN: true }),
  open: fc.double({ min: 1, max: 600, noNaN: true }),
  high: fc.double({ min: 1, max: 700, noNaN: true }),
  low: fc.double({ min: 0.5, max: 600, noNaN: true }),
  volume: fc.integer({ min: 0, max: 50_000_000 }),
  prevClose: fc.double({ min: 1, max: 600, noNaN: true }),
  prevVolume: fc.integer({ min: 0, max: 50_000_000 }),
});

describe('mergeChunkScans', () => {
  it('gives exactly the ranking of one pass over the whole universe, however it is chunked', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(inputArb, { selector: (i) => i.symbol, maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 50 }),
        (inputs, chunkSize, topN) => {
          const opts = {
            topN,
            minPrice: 5,
            maxPrice: 500,
            minDollarVolume: 1e6,
            sessionFractionElapsed: 0.3,
          };
          const whole = rankUniverse(inputs, opts);
          const chunks = [];
          for (let i = 0; i < inputs.length; i += chunkSize) {
            const part = inputs.slice(i, i + chunkSize);
            const top = rankUniverse(part, opts).map(({ rank: _rank, ...m }) => m);
            chunks.push({ symbols: part.length, scannable: part.length, eligible: top.length, top });
          }
          const merged = mergeChunkScans(chunks, topN);
          expect(merged.candidates.map((c) => [c.symbol, c.rank, c.scanScore])).toEqual(
            whole.map((c) => [c.symbol, c.rank, c.scanScore]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sums the chunks and keeps a symbol once', () => {
    const row = (symbol: string, scanScore: number) => ({ symbol, scanScore });
    const merged = mergeChunkScans(
      [
        { symbols: 3, scannable: 2, eligible: 2, top: [row('B', 70), row('A', 60)] },
        { symbols: 4, scannable: 4, eligible: 1, top: [row('C', 70), row('A', 10)] },
      ],
      10,
    );
    expect(merged).toMatchObject({ symbols: 7, scannable: 6, eligible: 3 });
    expect(merged.candidates.map((c) => `${c.rank}${c.symbol}`)).toEqual(['1B', '2C', '3A']);
  });
});

describe('cutStage', () => {
  it("keeps the best by the stage's factor, then earlier evidence, then symbol", () => {
    const items = [
      { symbol: 'D', own: 50, scan: 90 },
      { symbol: 'B', own: 80, scan: 10 },
      { symbol: 'A', own: 50, scan: 90 },
      { symbol: 'C', own: 50, scan: 95 },
    ];
    const cut = cutStage(items, 3, [(i) => i.own, (i) => i.scan]);
    expect(cut.map((i) => i.symbol)).toEqual(['B', 'C', 'A']);
    expect(cutStage(items, 0, [(i) => i.own])).toEqual([]);
    expect(() => cutStage(items, -1, [])).toThrow(RangeError);
  });
});

describe('rankByComposite', () => {
  const parts = (x: number) => ({ news: x, technical: x, momentum: x, volume: x });
  it('ranks by composite score, every candidate, and marks who clears the minimum', () => {
    const ranked = rankByComposite(
      [
        { symbol: 'LOW', x: 40 },
        { symbol: 'HI', x: 80 },
        { symbol: 'MID', x: 60 },
      ],
      (i) => parts(i.x),
      DEFAULT_SCORE_WEIGHTS,
      60,
    );
    expect(ranked.map((r) => [r.item.symbol, r.finalRank, r.composite, r.clearsMinimum])).toEqual([
      ['HI', 1, 80, true],
      ['MID', 2, 60, true],
      ['LOW', 3, 40, false],
    ]);
  });

  it('never lets a candidate below the minimum through, and never drops one above it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ symbol: symbolArb, x: fc.double({ min: 0, max: 100, noNaN: true }) }), {
          selector: (i) => i.symbol,
        }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (items, min) => {
          const ranked = rankByComposite(items, (i) => parts(i.x), DEFAULT_SCORE_WEIGHTS, min);
          expect(ranked.map((r) => r.finalRank)).toEqual(items.map((_, i) => i + 1));
          for (const r of ranked) expect(r.clearsMinimum).toBe(r.composite >= min);
          const scores = ranked.map((r) => r.composite);
          expect(scores).toEqual([...scores].sort((a, b) => b - a));
        },
      ),
    );
  });
});

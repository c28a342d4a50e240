/**
 * Properties on any input: the score is a finite number in [-1, 1], and scoring is linear in the
 * text's length (news bodies or junk from a feed must not stall a trading cycle).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEUTRAL_BAND, aggregateSentiment, newsFactor, scoreHeadline } from '../../../src/domain/sentiment';

/** Words that trigger every rule: phrases, negators, intensifiers, contrasts, clause breaks. */
const VOCABULARY = (
  "acme beats misses estimates raises cuts guidance price target not no longer fails to never doesn't " +
  'sharply slightly record loss revenue but despite however fda approves complete response letter be ' +
  'acquired talks ended lawsuit dismissal of offering at a discount premium ceo steps down chapter 11 ' +
  'shares surge plunge short squeeze dividend , ; - . $1.2b q3 beat-and-raise'
).split(' ');

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
  fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 60 }).map((words) => words.join(' ')),
);

const inRange = (x: number): boolean => Number.isFinite(x) && x >= -1 && x <= 1;

describe('scoreHeadline on any input', () => {
  it('returns a finite score in [-1, 1] and the label the score implies', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { score, label } = scoreHeadline(text);
        expect(inRange(score)).toBe(true);
        expect(label).toBe(
          score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral',
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('scores the empty string as neutral 0', () => {
    expect(scoreHeadline('')).toEqual({ score: 0, label: 'neutral', catalyst: null, matched: [] });
  });

  const megabyte = (unit: string): string => unit.repeat(Math.ceil(1_000_000 / unit.length));
  const shapes: [string, string][] = [
    ['headlines', 'Acme fails to beat estimates but raises guidance sharply, shares surge; '],
    ['one long token', 'a'],
    ['one hyphenated compound', 'beat-'],
    ['negators only', 'not '],
    ['contrasts and intensifiers', 'but sharply '],
    ['phrase starts whose gaps never close', 'raises x y z '],
    ['punctuation', ',.;'],
    ['astral characters', '😀é中'],
  ];

  it.each(shapes)('is finite on 1 MB of %s', (_, unit) => {
    expect(inRange(scoreHeadline(megabyte(unit)).score)).toBe(true);
  });

  it('takes linear time: 1 MB costs about four times 256 KB, not sixteen', () => {
    const unit = shapes[0]![1];
    const fastest = (text: string): number =>
      Math.min(
        ...[0, 1, 2].map(() => {
          const started = performance.now();
          scoreHeadline(text);
          return performance.now() - started;
        }),
      );
    const quarter = fastest(unit.repeat(Math.ceil(250_000 / unit.length)));
    const full = fastest(megabyte(unit));
    console.log(`scoreHeadline: 256 KB ${quarter.toFixed(0)} ms, 1 MB ${full.toFixed(0)} ms`);
    expect(full / quarter).toBeLessThan(8);
    expect(full).toBeLessThan(5_000);
  });
});

describe('aggregateSentiment and newsFactor on any input', () => {
  const headline = fc.record({
    headline: anyText,
    publishedAtMs: fc.integer({ min: 0, max: 10 * 86_400_000 }),
  });

  it('stay in range and count only what was published by the decision minute', () => {
    fc.assert(
      fc.property(
        fc.array(headline, { maxLength: 12 }),
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        (headlines, asOfMs, halfLifeMs) => {
          const s = aggregateSentiment(headlines, asOfMs, halfLifeMs);
          expect(inRange(s.score)).toBe(true);
          expect(s.headlineCount).toBe(headlines.filter((h) => h.publishedAtMs <= asOfMs).length);
          const factor = newsFactor(s.score, s.headlineCount);
          expect(factor).toBeGreaterThanOrEqual(0);
          expect(factor).toBeLessThanOrEqual(100);
          if (s.headlineCount === 0) expect(factor).toBe(50);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('newsFactor stays in [0, 100] for any score and count', () => {
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: -5, max: 1000 }), (score, count) => {
        const factor = newsFactor(score, count);
        expect(factor >= 0 && factor <= 100).toBe(true);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HALF_LIFE_MS,
  aggregateSentiment,
  newsFactor,
  scoreHeadline,
} from '../../../src/domain/sentiment';

const MINUTE = 60_000;
const AS_OF = Date.UTC(2026, 10, 2, 15, 0);
const GOOD = 'Acme beats third-quarter estimates, raises full-year guidance';
const BAD = 'Acme receives complete response letter from FDA';
const DULL = 'Acme to present at upcoming investor conference';

const at = (headline: string, minutesBefore: number) => ({
  headline,
  publishedAtMs: AS_OF - minutesBefore * MINUTE,
});

describe('aggregateSentiment', () => {
  it('with no news is neutral 0 with nothing to show', () => {
    expect(aggregateSentiment([], AS_OF)).toEqual({
      score: 0,
      label: 'neutral',
      headlineCount: 0,
      latestHeadline: null,
      latestPublishedAtMs: null,
      catalyst: null,
      strongest: null,
    });
  });

  it('one headline is its own score', () => {
    const s = aggregateSentiment([at(GOOD, 30)], AS_OF);
    expect(s.score).toBeCloseTo(scoreHeadline(GOOD).score, 12);
    expect(s).toMatchObject({
      label: 'positive',
      headlineCount: 1,
      latestHeadline: GOOD,
      catalyst: 'earnings',
    });
  });

  it('ignores headlines published after the decision minute (the as-of contract)', () => {
    const before = [at(GOOD, 30)];
    const later = [
      { headline: BAD, publishedAtMs: AS_OF + 1 },
      { headline: BAD, publishedAtMs: AS_OF + 60 * MINUTE },
    ];
    expect(aggregateSentiment([...before, ...later], AS_OF)).toEqual(aggregateSentiment(before, AS_OF));
    expect(aggregateSentiment(later, AS_OF).headlineCount).toBe(0);
  });

  it('counts a headline published exactly at the decision minute', () => {
    expect(aggregateSentiment([at(BAD, 0)], AS_OF)).toMatchObject({ headlineCount: 1, label: 'negative' });
  });

  it('weights recent news more: the later of two opposite headlines wins', () => {
    const goodLater = aggregateSentiment([at(BAD, 240), at(GOOD, 5)], AS_OF);
    const badLater = aggregateSentiment([at(GOOD, 240), at(BAD, 5)], AS_OF);
    expect(goodLater.score).toBeGreaterThan(0);
    expect(badLater.score).toBeLessThan(0);
    expect(goodLater.latestHeadline).toBe(GOOD);
    expect(goodLater.strongest).toBe(GOOD);
  });

  it('a headline one half-life older weighs half', () => {
    const g = scoreHeadline(GOOD).score;
    const b = scoreHeadline(BAD).score;
    const s = aggregateSentiment([at(GOOD, 0), at(BAD, DEFAULT_HALF_LIFE_MS / MINUTE)], AS_OF);
    expect(s.score).toBeCloseTo((g + 0.5 * b) / 1.5, 12);
  });

  it('the half-life is a parameter: a long one makes ages matter little', () => {
    const headlines = [at(BAD, 240), at(GOOD, 5)];
    const patient = aggregateSentiment(headlines, AS_OF, 1000 * DEFAULT_HALF_LIFE_MS);
    const mean = (scoreHeadline(GOOD).score + scoreHeadline(BAD).score) / 2;
    expect(patient.score).toBeCloseTo(mean, 2);
    expect(() => aggregateSentiment(headlines, AS_OF, 0)).toThrow(RangeError);
  });

  it('news many half-lives old still counts when it is all there is', () => {
    const s = aggregateSentiment([at(BAD, 365 * 24 * 60)], AS_OF);
    expect(s.score).toBeCloseTo(scoreHeadline(BAD).score, 12);
  });

  it('neutral news dilutes a story; the catalyst is the strongest headline', () => {
    const s = aggregateSentiment([at(DULL, 10), at(BAD, 10), at(DULL, 10)], AS_OF);
    expect(s.score).toBeCloseTo(scoreHeadline(BAD).score / 3, 12);
    expect(s).toMatchObject({ headlineCount: 3, catalyst: 'fda', strongest: BAD });
  });

  it('reports a zero-tone catalyst when no headline has tone', () => {
    const s = aggregateSentiment([at('Acme declares quarterly dividend of $0.20', 10)], AS_OF);
    expect(s).toMatchObject({ score: 0, label: 'neutral', catalyst: 'dividend' });
  });
});

describe('newsFactor', () => {
  it('no news is exactly 50 whatever the score says', () => {
    expect(newsFactor(0, 0)).toBe(50);
    expect(newsFactor(0.9, 0)).toBe(50);
    expect(newsFactor(aggregateSentiment([], AS_OF).score, 0)).toBe(50);
  });

  it('neutral news is 50, good above, bad below', () => {
    expect(newsFactor(0, 3)).toBe(50);
    expect(newsFactor(0.8, 1)).toBeGreaterThan(50);
    expect(newsFactor(-0.8, 1)).toBeLessThan(50);
  });

  it('one headline moves it at most halfway; more agreeing headlines move it further', () => {
    expect(newsFactor(1, 1)).toBe(75);
    expect(newsFactor(-1, 1)).toBe(25);
    expect(newsFactor(0.6, 3)).toBeGreaterThan(newsFactor(0.6, 1));
    expect(newsFactor(1, 1_000_000)).toBeLessThanOrEqual(100);
    expect(newsFactor(-1, 1_000_000)).toBeGreaterThanOrEqual(0);
  });
});

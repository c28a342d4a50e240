import { describe, expect, it } from 'vitest';
import { NEUTRAL_BAND, scoreHeadline } from '../../../src/domain/sentiment';
import { tokenize } from '../../../src/domain/sentiment/tokenize';

const score = (text: string): number => scoreHeadline(text).score;
const label = (text: string): string => scoreHeadline(text).label;

describe('tokenize', () => {
  it('keeps finance tokens whole and lower-cases them', () => {
    expect(tokenize('Acme Q3 EPS $1.2B beat-and-raise; S&P 500 adds it').map((t) => t.text)).toEqual([
      'acme',
      'q3',
      'eps',
      '$1.2b',
      'beat-and-raise',
      's&p',
      '500',
      'adds',
      'it',
    ]);
  });

  it('drops the possessive, keeps contractions, straightens curly apostrophes', () => {
    expect(tokenize('Acme’s drug doesn’t work').map((t) => t.text)).toEqual([
      'acme',
      'drug',
      "doesn't",
      'work',
    ]);
  });

  it('marks clause breaks at punctuation, not at inner punctuation of a token', () => {
    const tokens = tokenize('Acme beats, cuts 1,200 jobs - shares fall');
    expect(tokens.filter((t) => t.clauseStart).map((t) => t.text)).toEqual(['cuts', 'shares']);
  });

  it('stems for lookup', () => {
    expect(tokenize('raises raised').map((t) => t.stem)).toEqual(['rais', 'rais']);
  });
});

describe('lexicon', () => {
  it('corrects AFINN where market news means something else', () => {
    expect(label('Acme shares surge')).toBe('positive');
    expect(label('Acme shares plunge')).toBe('negative');
    expect(label('Acme declares quarterly dividend of $0.25 per share')).toBe('neutral');
    expect(label('Acme upgraded to Overweight')).toBe('positive');
  });

  it('finds inflections through the stem', () => {
    expect(score('Acme plummets')).toBeLessThan(0);
    expect(score('Acme plummeted')).toBeLessThan(0);
  });
});

describe('negation', () => {
  it('"fails to beat" is a miss', () => {
    expect(label('Acme fails to beat quarterly estimates')).toBe('negative');
    expect(score('Acme fails to beat quarterly estimates')).toBeCloseTo(
      -score('Acme beats quarterly estimates'),
    );
  });

  it('"no longer expects losses" reads positive', () => {
    expect(label('Acme no longer expects full-year losses')).toBe('positive');
  });

  it('"not as bad as feared" is relief, weaker than a beat', () => {
    const relief = score('Acme margins not as bad as feared');
    expect(relief).toBeGreaterThan(NEUTRAL_BAND);
    expect(relief).toBeLessThan(score('Acme beats estimates'));
  });

  it('a plain "not" softens as well as flips', () => {
    expect(-score('Acme results not good')).toBeLessThan(score('Acme results good'));
  });

  it('reaches a few tokens, but not across a clause break', () => {
    expect(score('Acme no longer expects to turn profitable')).toBeLessThan(0);
    expect(score('Acme says no, profits strong')).toBeGreaterThan(0);
  });

  it('a phrase never reaches past a negator ("contract not renewed")', () => {
    expect(label('Acme hospital contract not renewed')).toBe('negative');
  });
});

describe('intensifiers', () => {
  it('boosters make the news bigger, dampeners smaller', () => {
    const plain = score('Acme shares fall');
    expect(score('Acme shares fall sharply')).toBeLessThan(plain);
    expect(score('Acme shares fall slightly')).toBeGreaterThan(plain);
    expect(score('Acme shares fall slightly')).toBeLessThan(0);
  });

  it('"record" scales a loss; "record revenue" is a phrase of its own', () => {
    expect(score('Acme posts record loss')).toBeLessThan(score('Acme posts loss'));
    expect(label('Acme posts record revenue')).toBe('positive');
  });

  it('carry no tone alone', () => {
    expect(score('sharply significantly slightly')).toBe(0);
  });
});

describe('finance phrases', () => {
  const cases: [string, 'positive' | 'negative' | 'neutral', string | null][] = [
    ['Acme Q3 EPS $1.10 Beats $1.02 Estimate', 'positive', 'earnings'],
    ['Acme misses third-quarter estimates', 'negative', 'earnings'],
    ['Acme sales fall short of forecasts', 'negative', 'earnings'],
    ['Acme raises FY2026 sales guidance', 'positive', 'guidance'],
    ['Acme cuts full-year outlook', 'negative', 'guidance'],
    ['Acme reaffirms full-year guidance', 'neutral', 'guidance'],
    ['Harbor Research upgrades Acme to Buy', 'positive', 'analyst'],
    ['Acme price target lowered to $20 at Harbor Research', 'negative', 'analyst'],
    ["FDA approves Acme's arthritis drug", 'positive', 'fda'],
    ['Acme receives complete response letter', 'negative', 'fda'],
    ['FDA places clinical hold on Acme trial', 'negative', 'fda'],
    ['Acme to be acquired for $30 per share in cash', 'positive', 'm&a'],
    ['Acme says merger talks have ended', 'negative', 'm&a'],
    ['Acme wins dismissal of securities lawsuit', 'positive', 'legal'],
    ['Acme faces SEC probe', 'negative', 'legal'],
    ['Acme recalls 10,000 heaters', 'negative', 'recall'],
    ['Acme prices public offering at a discount', 'negative', 'offering'],
    ['Acme closes strategic investment at a premium', 'positive', 'offering'],
    ['Acme prices $400 million senior notes offering', 'neutral', 'offering'],
    ['Acme wins $90 million Navy contract', 'positive', 'contract'],
    ['Acme loses contract with largest customer', 'negative', 'contract'],
    ['Acme announces $1 billion share buyback', 'positive', 'buyback'],
    ['Acme CEO steps down unexpectedly', 'negative', 'management'],
    ['Acme names new chief financial officer', 'neutral', 'management'],
    ['Acme files for Chapter 11', 'negative', 'bankruptcy'],
    ['Auditor raises going-concern doubt at Acme', 'negative', 'bankruptcy'],
    ['Acme receives Nasdaq delisting notice', 'negative', 'listing'],
    ['Acme suspends dividend', 'negative', 'dividend'],
    ['Acme raises quarterly dividend 10%', 'positive', 'dividend'],
    ['Acme to join S&P 500', 'positive', 'index'],
    ['Acme cuts costs by $50 million', 'positive', 'restructuring'],
    ['Acme jumps in short squeeze', 'positive', null],
    ['Trading halted in Acme, news pending', 'neutral', 'halt'],
    ['Acme is pleased to announce its annual meeting date', 'neutral', null],
  ];
  it.each(cases)('%s → %s (%s)', (text, expected, catalyst) => {
    const result = scoreHeadline(text);
    expect(result.label).toBe(expected);
    expect(result.catalyst).toBe(catalyst);
  });

  it('phrases win over their words and are listed as matched', () => {
    expect(scoreHeadline('Acme cuts costs, boosts margins').matched).toEqual(['cuts costs', 'boosts']);
  });

  it('reports the negated phrase with its negator', () => {
    expect(scoreHeadline('Acme fails to beat estimates').matched).toEqual(['fails to … beat estimates']);
  });
});

describe('contrast', () => {
  it('what follows "but" decides', () => {
    expect(label('Acme beats on EPS but cuts guidance')).toBe('negative');
    expect(label('Acme misses on revenue but raises guidance')).toBe('positive');
  });

  it('what follows "despite" counts less', () => {
    expect(label('Acme beats estimates despite weak consumer backdrop')).toBe('positive');
  });
});

describe('label', () => {
  it('a single mild word stays inside the neutral band', () => {
    expect(Math.abs(score('Acme expands'))).toBeLessThan(NEUTRAL_BAND);
    expect(label('Acme expands')).toBe('neutral');
  });

  it('text without tone scores exactly 0', () => {
    expect(scoreHeadline('Acme to report Q3 2026 results')).toEqual({
      score: 0,
      label: 'neutral',
      catalyst: null,
      matched: [],
    });
  });
});

/**
 * News sentiment accuracy: Catalyst's finance-aware scorer against plain AFINN (the `sentiment`
 * package) and VADER on the labelled headlines of data/sentiment (accuracy and per-label recall
 * on each half; the rules were tuned on the tune half only), plus headlines scored per second.
 * Run: `node --import tsx bench/sentiment.ts` (one JSON line; see RESULTS.md).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sentiment from 'sentiment';
import vader from 'vader-sentiment';
import { scoreHeadline, type SentimentLabel } from '../src/domain/sentiment';
import type { SubBench } from './index';
import { loadLabelledHeadlines, type LabelledHeadline, type Split } from '../test/domain/sentiment/headlines';

type Classifier = (headline: string) => SentimentLabel;

interface HalfResult {
  accuracy: number;
  recall: Record<SentimentLabel, number>;
}

export interface SentimentBench {
  headlines: Record<Split, number>;
  accuracy: Record<'catalyst' | 'afinn' | 'vader', Record<Split, HalfResult>>;
  catalystHeadlinesPerSecond: number;
}

const afinn = new Sentiment();

const CLASSIFIERS: Record<keyof SentimentBench['accuracy'], Classifier> = {
  catalyst: (h) => scoreHeadline(h).label,
  // AFINN has no neutral band: any nonzero sum has a sign.
  afinn: (h) => {
    const score = afinn.analyze(h).score;
    return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
  },
  // The VADER authors' thresholds on the compound score.
  vader: (h) => {
    const compound = vader.SentimentIntensityAnalyzer.polarity_scores(h).compound;
    return compound >= 0.05 ? 'positive' : compound <= -0.05 ? 'negative' : 'neutral';
  },
};

const round = (x: number): number => Math.round(x * 1000) / 1000;

function evaluate(classify: Classifier, rows: readonly LabelledHeadline[]): HalfResult {
  const recallOf = (label: SentimentLabel): number => {
    const ofLabel = rows.filter((r) => r.label === label);
    return round(ofLabel.filter((r) => classify(r.headline) === label).length / ofLabel.length);
  };
  return {
    accuracy: round(rows.filter((r) => classify(r.headline) === r.label).length / rows.length),
    recall: { positive: recallOf('positive'), negative: recallOf('negative'), neutral: recallOf('neutral') },
  };
}

/** Scores every headline again and again for about a second, after a warm-up pass. */
function headlinesPerSecond(rows: readonly LabelledHeadline[]): number {
  for (const r of rows) scoreHeadline(r.headline);
  let scored = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    for (const r of rows) scoreHeadline(r.headline);
    scored += rows.length;
  }
  return Math.round(scored / ((performance.now() - started) / 1000));
}

export function runSentimentBench(): SentimentBench {
  const rows = loadLabelledHeadlines();
  const half = (split: Split) => rows.filter((r) => r.split === split);
  const both = (classify: Classifier): Record<Split, HalfResult> => ({
    test: evaluate(classify, half('test')),
    tune: evaluate(classify, half('tune')),
  });
  return {
    headlines: { test: half('test').length, tune: half('tune').length },
    accuracy: {
      catalyst: both(CLASSIFIERS.catalyst),
      afinn: both(CLASSIFIERS.afinn),
      vader: both(CLASSIFIERS.vader),
    },
    catalystHeadlinesPerSecond: headlinesPerSecond(rows),
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export const sentimentBench: SubBench = {
  name: 'sentiment',
  summary: 'news sentiment accuracy on the held-out headlines: ours vs AFINN vs VADER',
  async run(log) {
    log('sentiment: scoring the labelled headlines…');
    const r = runSentimentBench();
    const row = (name: string, k: keyof SentimentBench['accuracy']) =>
      `| ${name} | ${pct(r.accuracy[k].test.accuracy)} | ${pct(r.accuracy[k].tune.accuracy)} |`;
    const table = [
      `### News sentiment accuracy (${r.headlines.test} test / ${r.headlines.tune} tune headlines)`,
      '',
      '| implementation | test half | tune half |',
      '| --- | --: | --: |',
      row('Catalyst', 'catalyst'),
      row('AFINN (sentiment)', 'afinn'),
      row('VADER (vader-sentiment)', 'vader'),
      '',
      `${r.catalystHeadlinesPerSecond.toLocaleString('en-US')} headlines per second (Catalyst).`,
    ].join('\n');
    return { json: r as unknown as Record<string, unknown>, table };
  },
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.stdout.write(`${JSON.stringify(runSentimentBench())}\n`);

/**
 * The labelled finance headlines of data/sentiment/finance-headlines.tsv, written for this
 * project (invented companies, no published data set): columns split, label, headline.
 * Each label alternates between the halves: rules and the neutral band are tuned on "tune",
 * accuracy is reported on "test". Labels say what a trader would do with the headline alone
 * ("beats on EPS but cuts guidance" is negative; a dividend at the usual rate is neutral).
 * Read by the accuracy test and by bench/sentiment.ts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SentimentLabel } from '../../../src/domain/sentiment';

export type Split = 'tune' | 'test';

export interface LabelledHeadline {
  split: Split;
  label: SentimentLabel;
  headline: string;
}

export const HEADLINES_FILE = resolve(import.meta.dirname, '../../../data/sentiment/finance-headlines.tsv');

const SPLITS: readonly string[] = ['tune', 'test'];
const LABELS: readonly string[] = ['positive', 'negative', 'neutral'];

export function loadLabelledHeadlines(file = HEADLINES_FILE): LabelledHeadline[] {
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n');
  if (header !== 'split\tlabel\theadline')
    throw new Error(`${file}: unexpected header ${JSON.stringify(header)}`);
  return lines
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const [split, label, headline, extra] = line.split('\t');
      if (!split || !SPLITS.includes(split) || !label || !LABELS.includes(label) || !headline || extra)
        throw new Error(
          `${file}:${i + 2}: expected split<TAB>label<TAB>headline, got ${JSON.stringify(line)}`,
        );
      return { split: split as Split, label: label as SentimentLabel, headline };
    });
}

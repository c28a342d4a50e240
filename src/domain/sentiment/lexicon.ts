/**
 * Word valences: AFINN-165 (financial market news edition) corrected by FINANCE_WORDS. A word
 * is looked up as written, then by its Porter stem, so "plunges" finds "plunge" and "approved"
 * finds "approve" without listing every inflection.
 */
import { afinn165FinancialMarketNews } from 'afinn-165-financialmarketnews';
import { stemmer } from 'stemmer';
import { FINANCE_WORDS } from './financeWords';
import type { Token } from './tokenize';

/** AFINN minus every inflection of a corrected word, so "tops" cannot keep AFINN's +2 once "top" is 0. */
function buildWords(): Map<string, number> {
  const correctedStems = new Set(Object.keys(FINANCE_WORDS).map((w) => stemmer(w)));
  const words = new Map(
    Object.entries(afinn165FinancialMarketNews).filter(([w]) => !correctedStems.has(stemmer(w))),
  );
  for (const [w, v] of Object.entries(FINANCE_WORDS)) words.set(w, v);
  return words;
}

/** Words that share a stem get their mean: the stem stands for all of them. */
function buildStems(words: ReadonlyMap<string, number>): Map<string, number> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const [w, v] of words) {
    const s = sums.get(stemmer(w)) ?? { total: 0, count: 0 };
    sums.set(stemmer(w), { total: s.total + v, count: s.count + 1 });
  }
  return new Map([...sums].map(([stem, s]) => [stem, s.total / s.count]));
}

const WORDS = buildWords();
const STEMS = buildStems(WORDS);

function lookup(text: string, stem: string): number | undefined {
  return WORDS.get(text) ?? STEMS.get(stem);
}

/** Valence of one token, 0 when unknown. An unknown compound ("better-than-expected") sums its parts. */
export function wordValence(token: Token): number {
  const known = lookup(token.text, token.stem);
  if (known !== undefined) return known;
  if (!token.text.includes('-')) return 0;
  return token.text.split('-').reduce((sum, part) => sum + (lookup(part, stemmer(part)) ?? 0), 0);
}

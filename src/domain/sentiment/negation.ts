/**
 * Negators and how hard they flip what follows. "Fails to beat" is a miss, as bad as the beat
 * would have been good, so failure-type negators flip fully; a plain "not" softens as well as
 * flips ("not as bad as feared" is mild relief, not good news), the way VADER scales by -0.74.
 */
import type { Token } from './tokenize';

export interface Negator {
  /** Tokens the negator itself spans. */
  length: number;
  /** Multiplies the valence of the first scored word or phrase in its scope. */
  weight: number;
}

/** Tokens after a negator in which it still reaches a scored word or phrase (same clause). */
export const NEGATION_WINDOW = 4;

const FLIP = -1;
const SOFT_FLIP = -0.75;

// "No longer expects X" says the opposite of X is now expected: a full flip.
const TWO_WORD: Readonly<Record<string, number>> = {
  'fail to': FLIP,
  'fails to': FLIP,
  'failed to': FLIP,
  'unable to': FLIP,
  'lack of': FLIP,
  'failure to': FLIP,
  'no longer': FLIP,
};

const ONE_WORD: Readonly<Record<string, number>> = {
  not: SOFT_FLIP,
  no: SOFT_FLIP,
  never: SOFT_FLIP,
  without: SOFT_FLIP,
  nor: SOFT_FLIP,
  neither: SOFT_FLIP,
  cannot: SOFT_FLIP,
  lacks: FLIP,
};

export function negatorAt(tokens: readonly Token[], i: number): Negator | null {
  const first = tokens[i]!;
  const second = tokens[i + 1];
  if (second && !second.clauseStart) {
    const weight = TWO_WORD[`${first.text} ${second.text}`];
    if (weight !== undefined) return { length: 2, weight };
  }
  const weight = ONE_WORD[first.text] ?? (first.text.endsWith("n't") ? SOFT_FLIP : undefined);
  return weight === undefined ? null : { length: 1, weight };
}

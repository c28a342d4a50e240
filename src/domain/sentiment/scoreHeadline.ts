/**
 * One headline → a score in [-1, 1], a label, the catalyst it announces and what was matched.
 * Phrases are read first, then single words; negators, intensifiers and contrast words then
 * scale the valence of the phrase or word they govern, and the sum is squashed into [-1, 1].
 */
import type { Catalyst } from './financePhrases';
import { INTENSIFIER_REACH, intensifierOf } from './intensifiers';
import { wordValence } from './lexicon';
import { NEGATION_WINDOW, negatorAt } from './negation';
import { phraseAt } from './phraseMatcher';
import { tokenize, type Token } from './tokenize';

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface HeadlineScore {
  /** In [-1, 1]. */
  score: number;
  label: SentimentLabel;
  catalyst: Catalyst | null;
  /**
   * The phrases and words read, in order, with their negator ("fails to … beat estimates");
   * zero-tone phrases that name a catalyst ("dividend") are listed too.
   */
  matched: string[];
}

/**
 * |score| below this reads as neutral. Tuned on the tune half of data/sentiment: one mild word
 * (valence ±1, score ±0.25) stays neutral, one clear phrase or two mild words do not.
 */
export const NEUTRAL_BAND = 0.3;

/** Squashing constant: valence α^½ ≈ 3.9 maps to 0.71, as in VADER. */
const ALPHA = 15;

/**
 * "Beats on EPS but cuts guidance": what follows "but" decides the trade. What follows
 * "despite" is the concession and counts less.
 */
const CONTRAST: Readonly<Record<string, Omit<Contrast, 'at'>>> = {
  but: { before: 0.5, after: 1.5 },
  however: { before: 0.5, after: 1.5 },
  despite: { before: 1.5, after: 0.5 },
};

interface Unit {
  start: number;
  end: number;
  valence: number;
  catalyst: Catalyst | null;
  text: string;
}

/** A negator ending at token `end`. */
interface Negation {
  end: number;
  factor: number;
  text: string;
}

/** An intensifier at token `at`. */
interface Intensifier {
  at: number;
  factor: number;
}

interface Contrast {
  at: number;
  before: number;
  after: number;
}

interface UnitIndex {
  byStart: ReadonlyMap<number, Unit>;
  byEnd: ReadonlyMap<number, Unit>;
}

interface Reading {
  units: Unit[];
  negators: Negation[];
  intensifiers: Intensifier[];
  contrasts: Contrast[];
}

const spanText = (tokens: readonly Token[], start: number, end: number): string =>
  tokens
    .slice(start, end + 1)
    .map((t) => t.text)
    .join(' ');

/** One pass left to right: at each token the longest phrase wins, then negators, intensifiers, words. */
function read(tokens: readonly Token[]): Reading {
  const reading: Reading = { units: [], negators: [], intensifiers: [], contrasts: [] };
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i]!;
    const phrase = phraseAt(tokens, i);
    if (phrase) {
      const { valence, catalyst } = phrase.phrase;
      reading.units.push({
        start: i,
        end: phrase.end,
        valence,
        catalyst,
        text: spanText(tokens, i, phrase.end),
      });
      i = phrase.end + 1;
      continue;
    }
    const negator = negatorAt(tokens, i);
    if (negator) {
      const end = i + negator.length - 1;
      reading.negators.push({ end, factor: negator.weight, text: spanText(tokens, i, end) });
      i = end + 1;
      continue;
    }
    const factor = intensifierOf(token.text);
    const contrast = CONTRAST[token.text];
    const valence = wordValence(token);
    if (factor !== undefined) reading.intensifiers.push({ at: i, factor });
    else if (contrast) reading.contrasts.push({ at: i, ...contrast });
    else if (valence !== 0)
      reading.units.push({ start: i, end: i, valence, catalyst: null, text: token.text });
    i++;
  }
  return reading;
}

/** Tokens `from` < `to` both exist with no clause break after `from` up to `to`. */
function sameClause(tokens: readonly Token[], from: number, to: number): boolean {
  if (from < 0 || to >= tokens.length) return false;
  for (let p = from + 1; p <= to; p++) if (tokens[p]!.clauseStart) return false;
  return true;
}

/** Each negator flips the first word or phrase that starts within its window. */
function applyNegation(tokens: readonly Token[], reading: Reading, units: UnitIndex): void {
  for (const neg of reading.negators)
    for (let p = neg.end + 1; p <= neg.end + NEGATION_WINDOW && p < tokens.length; p++) {
      if (tokens[p]!.clauseStart) break;
      const unit = units.byStart.get(p);
      if (unit) {
        unit.valence *= neg.factor;
        unit.text = `${neg.text} … ${unit.text}`;
        break;
      }
    }
}

/** An intensifier scales the nearest word or phrase after it, else the one just before it. */
function applyIntensifiers(tokens: readonly Token[], reading: Reading, units: UnitIndex): void {
  for (const int of reading.intensifiers) {
    let unit: Unit | undefined;
    for (let d = 1; d <= INTENSIFIER_REACH && !unit; d++)
      if (sameClause(tokens, int.at, int.at + d)) unit = units.byStart.get(int.at + d);
    for (let d = 1; d <= INTENSIFIER_REACH && !unit; d++)
      if (sameClause(tokens, int.at - d, int.at)) unit = units.byEnd.get(int.at - d);
    if (unit) unit.valence *= int.factor;
  }
}

/** The last contrast word splits the headline; one is all a headline has in practice. */
function applyContrast(reading: Reading): void {
  const contrast = reading.contrasts.at(-1);
  if (!contrast) return;
  for (const unit of reading.units)
    unit.valence *= unit.start > contrast.at ? contrast.after : contrast.before;
}

export function labelOf(score: number): SentimentLabel {
  if (score >= NEUTRAL_BAND) return 'positive';
  if (score <= -NEUTRAL_BAND) return 'negative';
  return 'neutral';
}

/** The catalyst of the strongest phrase that names one; a zero-valence one ("declares dividend") still counts. */
function catalystOf(units: readonly Unit[]): Catalyst | null {
  let best: Unit | null = null;
  for (const unit of units)
    if (unit.catalyst && (best === null || Math.abs(unit.valence) > Math.abs(best.valence))) best = unit;
  return best?.catalyst ?? null;
}

export function scoreHeadline(text: string): HeadlineScore {
  const tokens = tokenize(text);
  const reading = read(tokens);
  const units: UnitIndex = {
    byStart: new Map(reading.units.map((u) => [u.start, u])),
    byEnd: new Map(reading.units.map((u) => [u.end, u])),
  };
  applyNegation(tokens, reading, units);
  applyIntensifiers(tokens, reading, units);
  applyContrast(reading);
  const total = reading.units.reduce((sum, u) => sum + u.valence, 0);
  const score = total / Math.sqrt(total * total + ALPHA);
  return {
    score,
    label: labelOf(score),
    catalyst: catalystOf(reading.units),
    matched: reading.units.map((u) => u.text),
  };
}

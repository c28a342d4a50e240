/**
 * Finds FINANCE_PHRASES in a token list. Phrases are indexed by the stems of their first slot,
 * so each token tries only the few phrases that can start there: the work per token is bounded
 * and a whole text is scanned in linear time.
 */
import { stemmer } from 'stemmer';
import { FINANCE_PHRASES, type FinancePhrase } from './financePhrases';
import { negatorAt } from './negation';
import type { Token } from './tokenize';

/** Tokens a "~" lets pass between two slots. */
const MAX_GAP = 3;

interface Slot {
  stems: ReadonlySet<string>;
  gapBefore: boolean;
}

interface CompiledPhrase {
  phrase: FinancePhrase;
  slots: readonly Slot[];
}

export interface PhraseMatch {
  phrase: FinancePhrase;
  /** Index of the last token the phrase covers. */
  end: number;
}

function compile(phrase: FinancePhrase): CompiledPhrase {
  const slots: Slot[] = [];
  let gapBefore = false;
  for (const part of phrase.pattern.split(' ')) {
    if (part === '~') {
      gapBefore = true;
      continue;
    }
    slots.push({ stems: new Set(part.split('|').map((w) => stemmer(w))), gapBefore });
    gapBefore = false;
  }
  return { phrase, slots };
}

function buildIndex(): Map<string, CompiledPhrase[]> {
  const index = new Map<string, CompiledPhrase[]>();
  for (const compiled of FINANCE_PHRASES.map(compile))
    for (const stem of compiled.slots[0]!.stems) index.set(stem, [...(index.get(stem) ?? []), compiled]);
  return index;
}

const INDEX = buildIndex();

/**
 * End index when `slots[k..]` match from token `at`, else -1. A gap never crosses a clause break
 * or a negator: "contract not renewed" must not read as "contract … renewed".
 */
function matchFrom(tokens: readonly Token[], slots: readonly Slot[], k: number, at: number): number {
  if (k === slots.length) return at - 1;
  const slot = slots[k]!;
  const lastStart = slot.gapBefore ? at + MAX_GAP : at;
  for (let p = at; p <= lastStart; p++) {
    const token = tokens[p];
    if (!token || token.clauseStart) return -1;
    if (slot.stems.has(token.stem)) {
      const end = matchFrom(tokens, slots, k + 1, p + 1);
      if (end >= 0) return end;
    }
    if (negatorAt(tokens, p)) return -1;
  }
  return -1;
}

/** The longest phrase starting at token `i` (the first listed on a tie), or null. */
export function phraseAt(tokens: readonly Token[], i: number): PhraseMatch | null {
  let best: PhraseMatch | null = null;
  for (const compiled of INDEX.get(tokens[i]!.stem) ?? []) {
    const end = matchFrom(tokens, compiled.slots, 1, i + 1);
    if (end >= 0 && (best === null || end > best.end)) best = { phrase: compiled.phrase, end };
  }
  return best;
}

/**
 * Headline text → lower-case tokens with their Porter stems. Tokens keep what carries meaning
 * in finance news ("q3", "$1.2b", "s&p", "beat-and-raise", "doesn't"); punctuation between
 * tokens marks a clause break, because negation and multi-word phrases do not reach across one.
 */
import { stemmer } from 'stemmer';

export interface Token {
  /** Lower-case, curly apostrophes straightened, possessive "'s" removed. */
  text: string;
  /** Porter stem of `text`, so "raises", "raised" and "raise" meet one lexicon or phrase entry. */
  stem: string;
  /** Punctuation such as , ; : ( or a dash separates this token from the one before. */
  clauseStart: boolean;
}

// Letters, digits and $, joined by single inner punctuation ("1.2b", "s&p", "10-k"): no nested
// quantifier can backtrack, so matching stays linear on any input.
const TOKEN = /[\p{L}\p{N}$]+(?:['.,&/-][\p{L}\p{N}]+)*%?/gu;
// A sentence or clause boundary between two tokens; a lone hyphen counts only with spaces round it.
const CLAUSE_BREAK = /[,;:!?()[\]"|—–.]|\s-\s/;

export function tokenize(text: string): Token[] {
  const normalised = text.toLowerCase().replace(/[‘’`]/g, "'");
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of normalised.matchAll(TOKEN)) {
    const raw = match[0];
    const word = raw.endsWith("'s") ? raw.slice(0, -2) : raw;
    tokens.push({
      text: word,
      stem: stemmer(word),
      clauseStart: tokens.length > 0 && CLAUSE_BREAK.test(normalised.slice(previousEnd, match.index)),
    });
    previousEnd = match.index + raw.length;
  }
  return tokens;
}

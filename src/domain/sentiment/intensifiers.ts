/**
 * Words that make the news next to them bigger or smaller: "shares plunge sharply", "record
 * loss", "slightly below estimates". They carry no tone of their own, only a multiplier.
 */

/** How far (in tokens, same clause) an intensifier reaches for the word or phrase it scales. */
export const INTENSIFIER_REACH = 2;

const MULTIPLIERS: Readonly<Record<string, number>> = {
  sharply: 1.5,
  sharp: 1.5,
  significantly: 1.5,
  substantially: 1.5,
  dramatically: 1.5,
  massive: 1.5,
  huge: 1.5,
  steep: 1.5,
  steeply: 1.5,
  deeply: 1.5,
  record: 1.5,
  deep: 1.3,
  big: 1.3,
  well: 1.3,
  far: 1.3,
  strongly: 1.3,
  heavily: 1.3,
  surprise: 1.3,
  unexpected: 1.3,
  unexpectedly: 1.3,
  abruptly: 1.3,
  immediately: 1.3,
  slightly: 0.5,
  slight: 0.5,
  marginally: 0.5,
  mildly: 0.5,
  modestly: 0.6,
  modest: 0.6,
  somewhat: 0.6,
  partially: 0.6,
  partly: 0.6,
};

export function intensifierOf(word: string): number | undefined {
  return MULTIPLIERS[word];
}

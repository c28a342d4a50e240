/** Finance-aware news sentiment: pure functions over headline text, no I/O. */
export {
  scoreHeadline,
  labelOf,
  NEUTRAL_BAND,
  type HeadlineScore,
  type SentimentLabel,
} from './scoreHeadline';
export {
  aggregateSentiment,
  newsFactor,
  DEFAULT_HALF_LIFE_MS,
  type DatedHeadline,
  type SymbolSentiment,
} from './aggregateSentiment';
export type { Catalyst } from './financePhrases';

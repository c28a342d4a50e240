/**
 * The candlestick patterns detectPatterns looks for, as data: adding one is a line here.
 *
 * `reliability` is the pattern's weight before its bars are sized against their context
 * (candleConfidence). The order follows the usual ranking of reversal patterns: three-bar patterns
 * with confirmation built in (stars, soldiers, crows) above two-bar ones (engulfing) above the
 * confirmed single-bar rejections (hammer, shooting star) above inside bars (harami); a doji is
 * neutral and weighs little, it only says a move paused.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { DOJI_SPAN, isDoji } from './doji';
import { ENGULFING_SPAN, isBearishEngulfing, isBullishEngulfing } from './engulfing';
import { HAMMER_SPAN, isHammer, isShootingStar } from './hammer';
import { HARAMI_SPAN, isBearishHarami, isBullishHarami } from './harami';
import { SOLDIERS_SPAN, isThreeBlackCrows, isThreeWhiteSoldiers } from './soldiersAndCrows';
import { STAR_SPAN, isEveningStar, isMorningStar } from './stars';
import type { PatternDirection } from './types';

export interface CandlestickDef {
  /** Stored name (pattern_analysis.pattern). */
  name: string;
  /** Human wording for reasons. */
  label: string;
  direction: PatternDirection;
  /** Bars in the pattern, ending at the index the detector is given. */
  span: number;
  reliability: number;
  detect: (bars: OhlcvBars, i: number) => boolean;
}

export const CANDLESTICKS: readonly CandlestickDef[] = [
  {
    name: 'morning_star',
    label: 'morning star',
    direction: 'bullish',
    span: STAR_SPAN,
    reliability: 0.7,
    detect: isMorningStar,
  },
  {
    name: 'evening_star',
    label: 'evening star',
    direction: 'bearish',
    span: STAR_SPAN,
    reliability: 0.7,
    detect: isEveningStar,
  },
  {
    name: 'three_white_soldiers',
    label: 'three white soldiers',
    direction: 'bullish',
    span: SOLDIERS_SPAN,
    reliability: 0.7,
    detect: isThreeWhiteSoldiers,
  },
  {
    name: 'three_black_crows',
    label: 'three black crows',
    direction: 'bearish',
    span: SOLDIERS_SPAN,
    reliability: 0.7,
    detect: isThreeBlackCrows,
  },
  {
    name: 'bullish_engulfing',
    label: 'bullish engulfing',
    direction: 'bullish',
    span: ENGULFING_SPAN,
    reliability: 0.6,
    detect: isBullishEngulfing,
  },
  {
    name: 'bearish_engulfing',
    label: 'bearish engulfing',
    direction: 'bearish',
    span: ENGULFING_SPAN,
    reliability: 0.6,
    detect: isBearishEngulfing,
  },
  {
    name: 'hammer',
    label: 'hammer',
    direction: 'bullish',
    span: HAMMER_SPAN,
    reliability: 0.55,
    detect: isHammer,
  },
  {
    name: 'shooting_star',
    label: 'shooting star',
    direction: 'bearish',
    span: HAMMER_SPAN,
    reliability: 0.55,
    detect: isShootingStar,
  },
  {
    name: 'bullish_harami',
    label: 'bullish harami',
    direction: 'bullish',
    span: HARAMI_SPAN,
    reliability: 0.45,
    detect: isBullishHarami,
  },
  {
    name: 'bearish_harami',
    label: 'bearish harami',
    direction: 'bearish',
    span: HARAMI_SPAN,
    reliability: 0.45,
    detect: isBearishHarami,
  },
  { name: 'doji', label: 'doji', direction: 'neutral', span: DOJI_SPAN, reliability: 0.3, detect: isDoji },
];

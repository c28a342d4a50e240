/** The guide's indicator periods: one list for the technicalindicators pass and the fast kernels. */
export const INDICATOR_PERIODS = Object.freeze({
  rsi: 14,
  emaFast: 9,
  emaSlow: 21,
  macdFast: 12,
  macdSlow: 26,
  macdSignal: 9,
  atr: 14,
  bollinger: 20,
  bollingerStdDev: 2,
});

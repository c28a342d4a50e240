import type { GoLiveCheck } from './check';
import { dollars } from './dollars';
import { formatMicros, sumMicros, toMicros } from '../money';
import type { ClosedTrade } from './record';

export const MIN_AVERAGE_TRADE = toMicros('50');

/** The mean realized P&L per closed trade must be above $50. */
export function checkAverageTrade(trades: ClosedTrade[]): GoLiveCheck {
  const n = BigInt(trades.length);
  const total = sumMicros(trades.map((t) => t.realizedPnl));
  // total / n > 50 compared as total > 50 · n: exact, no division rounding at the threshold.
  const pass = n > 0n && total > MIN_AVERAGE_TRADE * n;
  const average = n > 0n ? total / n : 0n;
  return {
    name: 'average_trade',
    status: pass ? 'pass' : 'fail',
    detail:
      n > 0n
        ? `average trade ${dollars(average)} (${dollars(total)} over ${n} trades) ${pass ? '>' : '≤'} ${dollars(MIN_AVERAGE_TRADE)}`
        : `average trade: no closed paper trades (needs > ${dollars(MIN_AVERAGE_TRADE)})`,
    value: n > 0n ? formatMicros(average, 2) : null,
    threshold: formatMicros(MIN_AVERAGE_TRADE, 2),
  };
}

import type { GoLiveCheck } from './check';
import type { ClosedTrade } from './record';

/** A trade wins when it made money; a scratch (exactly 0) is not a win. */
export function checkWinRate(trades: ClosedTrade[]): GoLiveCheck {
  const wins = trades.filter((t) => t.realizedPnl > 0n).length;
  const n = trades.length;
  // Strictly above half, in whole numbers: 50 % exactly does not pass.
  const pass = n > 0 && wins * 2 > n;
  const pct = n ? ((wins * 100) / n).toFixed(1) : '0.0';
  return {
    name: 'win_rate',
    status: pass ? 'pass' : 'fail',
    detail: n
      ? `win rate ${pct} % (${wins}/${n}) ${pass ? '>' : '≤'} 50 %`
      : 'win rate: no closed paper trades (needs > 50 %)',
    value: n ? wins / n : null,
    threshold: 0.5,
  };
}

import type { GoLiveCheck } from './check';
import { dollars } from './dollars';
import { formatMicros, toMicros, type Micros } from '../money';
import type { ClosedTrade } from './record';

export const MAX_DAILY_DRAWDOWN = toMicros('500');

/**
 * Peak-to-trough of one day's cumulative realized P&L, trade by trade in close order. The day
 * starts at 0, so a first trade that loses $600 is a $600 drawdown.
 */
export function dayDrawdown(trades: ClosedTrade[]): Micros {
  const ordered = [...trades].sort(
    (a, b) =>
      (a.closedAtMs ?? Number.MAX_SAFE_INTEGER) - (b.closedAtMs ?? Number.MAX_SAFE_INTEGER) || a.id - b.id,
  );
  let cumulative = 0n;
  let peak = 0n;
  let worst = 0n;
  for (const t of ordered) {
    cumulative += t.realizedPnl;
    if (cumulative > peak) peak = cumulative;
    if (peak - cumulative > worst) worst = peak - cumulative;
  }
  return worst;
}

/** Every day's drawdown must stay below $500; a day is one account's trades of one date. */
export function checkDailyDrawdown(trades: ClosedTrade[]): GoLiveCheck {
  const byDay = new Map<string, { date: string; trades: ClosedTrade[] }>();
  for (const t of trades) {
    const key = `${t.accountId}|${t.tradingDate}`;
    const day = byDay.get(key) ?? { date: t.tradingDate, trades: [] };
    day.trades.push(t);
    byDay.set(key, day);
  }
  const days = [...byDay.values()]
    .map((d) => ({ date: d.date, drawdown: dayDrawdown(d.trades) }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const worst = days.reduce<{ date: string; drawdown: Micros } | null>(
    (w, d) => (w === null || d.drawdown > w.drawdown ? d : w),
    null,
  );
  const over = days.filter((d) => d.drawdown >= MAX_DAILY_DRAWDOWN);
  const pass = over.length === 0;
  const max = worst?.drawdown ?? 0n;
  return {
    name: 'max_daily_drawdown',
    status: pass ? 'pass' : 'fail',
    detail: pass
      ? `max daily drawdown ${dollars(max)}${worst ? ` (${worst.date})` : ''} < ${dollars(MAX_DAILY_DRAWDOWN)}`
      : `max daily drawdown ${dollars(max)} on ${worst!.date} ≥ ${dollars(MAX_DAILY_DRAWDOWN)} (${over.length} day(s) at or over: ${over.map((d) => `${d.date} ${dollars(d.drawdown)}`).join(', ')})`,
    value: formatMicros(max, 2),
    threshold: formatMicros(MAX_DAILY_DRAWDOWN, 2),
  };
}

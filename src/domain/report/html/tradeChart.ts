/**
 * One bar per trade, in the order they were entered: its realized P&L left (loss) or right (gain)
 * of zero, labelled with the symbol, the time and why it ended, so the day's story reads top to
 * bottom and the outliers stand out.
 */
import { microsToNumber, toMicros } from '../../money';
import type { Trade } from '../reportTypes';
import { linearScale } from './chartScale';
import { COLOURS, axisUsd, esc, nyTime, px, usd } from './html';

const WIDTH = 960;
const LABEL = 230;
const VALUE = 96;
const ROW = 26;
const TOP = 10;

export function renderTradeChart(trades: readonly Trade[]): string {
  const shown = trades.filter((t) => t.closedQuantity > 0);
  if (shown.length === 0) return `<p class="empty">No trades closed.</p>`;
  const pnl = shown.map((t) => microsToNumber(toMicros(t.realizedPnl)));
  const x = linearScale(pnl, LABEL, WIDTH - VALUE);
  const height = TOP + shown.length * ROW + 24;
  const zero = x(0);
  const rows = shown
    .map((t, i) => {
      const value = pnl[i]!;
      const yMid = TOP + i * ROW + ROW / 2;
      const left = Math.min(x(value), zero);
      const width = Math.max(2, Math.abs(x(value) - zero));
      const sign = value >= 0 ? 'win' : 'loss';
      const reason = t.exitReason ?? (t.status === 'open' ? 'open' : '—');
      const label = `${t.symbol} · ${nyTime(t.openedAt)}`;
      return (
        `<g class="trade-row">` +
        `<text class="trade-label" x="8" y="${px(yMid + 4)}">${esc(label)}</text>` +
        `<text class="trade-reason reason-${esc(reason.replace(/\s+/g, '-'))}" x="${LABEL - 10}" y="${px(yMid + 4)}" text-anchor="end">${esc(reason)}</text>` +
        `<rect class="trade-bar ${sign}" x="${px(left)}" y="${px(yMid - 8)}" width="${px(width)}" height="16" rx="3" fill="${sign === 'win' ? COLOURS.win : COLOURS.loss}">` +
        `<title>${esc(`${t.symbol} ${t.closedQuantity} sh, ${usd(t.realizedPnl, { signed: true })}, exit: ${reason}`)}</title></rect>` +
        `<text class="trade-value ${sign}" x="${WIDTH - VALUE + 8}" y="${px(yMid + 4)}">${esc(usd(t.realizedPnl, { signed: true }))}</text>` +
        `</g>`
      );
    })
    .join('');
  return (
    `<svg class="chart trade-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="P&amp;L per trade">` +
    x.ticks
      .map(
        (t) =>
          `<line class="${t === 0 ? 'zero' : 'grid'}" x1="${px(x(t))}" x2="${px(x(t))}" y1="${TOP - 4}" y2="${height - 20}"/>` +
          `<text class="tick" x="${px(x(t))}" y="${height - 6}" text-anchor="middle">${esc(axisUsd(t))}</text>`,
      )
      .join('') +
    rows +
    `</svg>`
  );
}

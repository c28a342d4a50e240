/**
 * The trades as a table, each with its "why": the factor scores that ranked it in its cycle (a
 * small bar per factor, 0–100) and what the risk manager said when it sized it.
 */
import type { Trade, TradeFactors } from '../reportTypes';
import { COLOURS, duration, esc, nyTime, price, px, signClass, usd } from './html';

const FACTORS: readonly { key: keyof Omit<TradeFactors, 'finalRank'>; short: string; name: string }[] = [
  { key: 'composite', short: 'C', name: 'composite' },
  { key: 'news', short: 'N', name: 'news' },
  { key: 'technical', short: 'T', name: 'technical' },
  { key: 'pattern', short: 'P', name: 'pattern' },
  { key: 'momentum', short: 'M', name: 'momentum' },
  { key: 'volume', short: 'V', name: 'volume' },
];

const BAR = 14;
const GAP = 6;
const HEIGHT = 40;

function factorBars(factors: TradeFactors): string {
  const width = FACTORS.length * (BAR + GAP);
  const bars = FACTORS.map((f, i) => {
    const value = factors[f.key];
    const x = i * (BAR + GAP);
    const h = value === null ? 0 : Math.max(1.5, (Math.min(100, Math.max(0, value)) / 100) * HEIGHT);
    const bar =
      value === null
        ? `<rect class="factor-missing" x="${x}" y="${HEIGHT - 1.5}" width="${BAR}" height="1.5" fill="${COLOURS.grid}"/>`
        : `<rect class="factor-bar factor-${f.key}" x="${x}" y="${px(HEIGHT - h)}" width="${BAR}" height="${px(h)}" rx="2" fill="${f.key === 'composite' ? COLOURS.accent : '#9aa7f0'}"><title>${esc(`${f.name} ${value.toFixed(1)}`)}</title></rect>`;
    return (
      `<rect x="${x}" y="0" width="${BAR}" height="${HEIGHT}" fill="#f1f3f8" rx="2"/>` +
      bar +
      `<text class="factor-key" x="${x + BAR / 2}" y="${HEIGHT + 11}" text-anchor="middle">${f.short}</text>`
    );
  }).join('');
  return `<svg class="factors" viewBox="0 0 ${width} ${HEIGHT + 13}" width="${width}" height="${HEIGHT + 13}" role="img" aria-label="factor scores">${bars}</svg>`;
}

function why(t: Trade): string {
  const { factors, riskReasons, riskApproved } = t.why;
  if (!factors && riskReasons.length === 0)
    return `<span class="muted">no scan row for this entry (adopted from the broker)</span>`;
  const scores = factors
    ? `<div class="why-scores">${factorBars(factors)}<div class="why-numbers">` +
      `<b>${esc(factors.composite?.toFixed(1) ?? '—')}</b> composite` +
      (factors.finalRank !== null ? ` · rank ${esc(factors.finalRank)}` : '') +
      `<br><span class="muted">news ${esc(factors.news?.toFixed(0) ?? '—')} · tech ${esc(factors.technical?.toFixed(0) ?? '—')} · pattern ${esc(factors.pattern?.toFixed(0) ?? '—')} · mom ${esc(factors.momentum?.toFixed(0) ?? '—')} · vol ${esc(factors.volume?.toFixed(0) ?? '—')}</span>` +
      `</div></div>`
    : '';
  const risk =
    riskReasons.length > 0
      ? `<ul class="reasons${riskApproved === false ? ' rejected' : ''}">${riskReasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`
      : '';
  return scores + risk;
}

export function renderTradeTable(trades: readonly Trade[]): string {
  if (trades.length === 0) return `<p class="empty">No trades.</p>`;
  const rows = trades
    .map((t) => {
      const reason = t.exitReason ?? (t.status === 'open' ? 'open' : '—');
      const qty =
        t.openQuantity > 0
          ? `${t.closedQuantity}/${t.quantity} <span class="badge open">${t.openQuantity} open</span>`
          : `${t.quantity}`;
      return (
        `<tr class="trade">` +
        `<td class="nowrap"><b class="symbol">${esc(t.symbol)}</b><div class="muted">${esc(t.tradingDate)} · c${esc(t.cycle ?? '?')}</div></td>` +
        `<td class="nowrap">${esc(nyTime(t.openedAt))} → ${esc(nyTime(t.closedAt))}<div class="muted">${esc(duration(t.holdSeconds))}</div></td>` +
        `<td class="num">${qty}</td>` +
        `<td class="num">${esc(price(t.entryPrice))}<div class="muted">stop ${esc(price(t.stopPrice))}</div><div class="muted">target ${esc(price(t.takeProfitPrice))}</div></td>` +
        `<td class="num">${esc(price(t.exitPrice))}</td>` +
        `<td class="num pnl ${signClass(t.realizedPnl)}">${esc(usd(t.realizedPnl, { signed: true }))}</td>` +
        `<td><span class="badge reason-${esc(reason.replace(/\s+/g, '-'))}">${esc(reason)}</span></td>` +
        `<td class="why">${why(t)}</td>` +
        `</tr>`
      );
    })
    .join('');
  return (
    `<table class="trades"><thead><tr><th>symbol</th><th>held</th><th class="num">qty</th><th class="num">entry</th>` +
    `<th class="num">exit</th><th class="num">P&amp;L</th><th>exit reason</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

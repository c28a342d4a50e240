/**
 * What the risk manager decided and what went wrong: approvals against rejections, why candidates
 * were refused (bars by kind of reason), every decision on request, and the risk events in the
 * order they were recorded.
 */
import type { ReportRiskEvent, RiskDecisionSummary } from '../reportTypes';
import { COLOURS, esc, nyTime, px } from './html';

const WIDTH = 960;
const LABEL = 300;
const ROW = 24;

function reasonBars(summary: RiskDecisionSummary): string {
  if (summary.rejectionReasons.length === 0) return '';
  const max = Math.max(...summary.rejectionReasons.map((r) => r.count));
  const full = WIDTH - LABEL - 60;
  const height = summary.rejectionReasons.length * ROW + 6;
  const rows = summary.rejectionReasons
    .map((r, i) => {
      const y = 3 + i * ROW;
      const w = Math.max(3, (r.count / max) * full);
      const label = r.reason.length > 46 ? `${r.reason.slice(0, 45)}…` : r.reason;
      return (
        `<text class="stage-label" x="${LABEL - 10}" y="${y + 15}" text-anchor="end">${esc(label)}<title>${esc(r.reason)}</title></text>` +
        `<rect class="reason-bar" x="${LABEL}" y="${y + 3}" width="${px(w)}" height="${ROW - 8}" rx="3" fill="${COLOURS.loss}" fill-opacity="0.75"/>` +
        `<text class="funnel-count" x="${px(LABEL + w + 8)}" y="${y + 15}">${r.count}</text>`
      );
    })
    .join('');
  return `<svg class="chart reason-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Rejections by reason">${rows}</svg>`;
}

export function renderRiskDecisions(summary: RiskDecisionSummary): string {
  if (summary.judged === 0) return `<p class="empty">The risk manager judged no candidates.</p>`;
  const rows = summary.decisions
    .map(
      (d) =>
        `<tr><td>${esc(d.tradingDate)} c${esc(d.cycleNumber ?? '?')}</td><td><b>${esc(d.symbol)}</b></td>` +
        `<td class="num">${esc(d.compositeScore?.toFixed(1) ?? '—')}</td>` +
        `<td><span class="badge ${d.approved ? 'approved' : 'rejected'}">${d.approved ? 'approved' : 'rejected'}</span></td>` +
        `<td><ul class="reasons">${d.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></td></tr>`,
    )
    .join('');
  return (
    `<p class="lead"><b>${summary.judged}</b> candidates judged: <b class="win">${summary.approved}</b> approved, ` +
    `<b class="loss">${summary.rejected}</b> rejected.</p>` +
    reasonBars(summary) +
    `<details><summary>Every decision (${summary.judged})</summary>` +
    `<table class="decisions"><thead><tr><th>cycle</th><th>symbol</th><th class="num">composite</th><th>decision</th><th>reasons</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></details>`
  );
}

export function renderRiskEvents(events: readonly ReportRiskEvent[]): string {
  if (events.length === 0) return `<p class="empty">No risk events.</p>`;
  const rows = events
    .map(
      (e) =>
        `<tr class="risk-event"><td><span class="badge severity-${esc(e.severity.toLowerCase())}">${esc(e.severity)}</span></td>` +
        `<td>${esc(e.eventType)}</td><td>${esc(e.symbol ?? '')}</td><td>${esc(e.message)}</td>` +
        `<td class="muted">${esc(e.tradingDate)} ${esc(nyTime(e.recordedAt))}</td></tr>`,
    )
    .join('');
  return (
    `<table class="events"><thead><tr><th>severity</th><th>event</th><th>symbol</th><th>message</th><th>recorded (wall clock)</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`
  );
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched, so
 * it opens from disk, from a mail attachment or an archive years later and looks the same. A pure
 * function of the report: the same report gives the same bytes.
 */
import type { DailyReport, ReportFigures } from '../reportTypes';
import { renderEquityChart } from './equityChart';
import { renderFunnelChart } from './funnelChart';
import { duration, esc, percent, signClass, usd } from './html';
import { renderRiskDecisions, renderRiskEvents } from './riskSection';
import { renderTradeChart } from './tradeChart';
import { renderTradeTable } from './tradeTable';

const STYLE = `
:root { color-scheme: light; --ink:#1d2433; --muted:#6b7385; --line:#e4e7ee; --win:#1f9d55; --loss:#d64545; --accent:#3b5bdb; }
* { box-sizing: border-box; }
body { margin:0; background:#f4f6fb; color:var(--ink); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width:1040px; margin:0 auto; padding:28px 24px 48px; }
header h1 { margin:0; font-size:26px; letter-spacing:-0.01em; }
header .sub { color:var(--muted); margin-top:4px; }
.chips { margin-top:10px; display:flex; flex-wrap:wrap; gap:6px; }
.chip { background:#fff; border:1px solid var(--line); border-radius:999px; padding:2px 10px; font-size:12px; color:var(--muted); }
.chip.halted { background:#fdecec; border-color:#f3b7b7; color:#a32121; font-weight:600; }
section { background:#fff; border:1px solid var(--line); border-radius:12px; padding:18px 20px; margin-top:18px; box-shadow:0 1px 2px rgba(20,30,60,.04); }
section h2 { margin:0 0 12px; font-size:17px; }
section h3 { margin:16px 0 6px; font-size:13px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.04em; }
.figures { display:grid; grid-template-columns:repeat(auto-fill,minmax(150px,1fr)); gap:10px; }
.figure { border:1px solid var(--line); border-radius:10px; padding:10px 12px; }
.figure .label { color:var(--muted); font-size:12px; }
.figure .value { font-size:21px; font-weight:650; font-variant-numeric:tabular-nums; margin-top:2px; }
.figure.hero { grid-column:span 2; background:linear-gradient(135deg,#f7f9ff,#eef2ff); }
.figure.hero .value { font-size:30px; }
.figure .note { color:var(--muted); font-size:12px; }
.win { color:var(--win); } .loss { color:var(--loss); } .flat { color:var(--ink); } .muted { color:var(--muted); }
svg.chart { width:100%; height:auto; display:block; }
svg text { font-family:inherit; fill:var(--ink); }
svg .tick, svg .cycle-time, svg .cycle-duration, svg .factor-key, svg .muted { fill:var(--muted); font-size:11px; }
svg .grid { stroke:var(--line); stroke-width:1; }
svg .zero { stroke:#9aa3b5; stroke-width:1.2; }
svg .stage-label, svg .trade-label { font-size:12px; }
svg .trade-reason { font-size:11px; fill:var(--muted); font-style:italic; }
svg .trade-value { font-size:12px; font-variant-numeric:tabular-nums; font-weight:600; }
svg .trade-value.win { fill:var(--win); } svg .trade-value.loss { fill:var(--loss); }
svg .equity-point.win { fill:var(--win); } svg .equity-point.loss { fill:var(--loss); }
svg .equity-point { stroke:#fff; stroke-width:1.5; }
svg .funnel-count { font-size:11px; font-variant-numeric:tabular-nums; paint-order:stroke; stroke:#fff; stroke-width:3px; stroke-linejoin:round; }
svg .cycle-label { font-weight:650; font-size:12px; }
svg .cycle-failed { fill:var(--loss); font-size:11px; }
svg .empty-note { fill:var(--muted); font-size:14px; }
table { width:100%; border-collapse:collapse; font-size:13px; }
th { text-align:left; color:var(--muted); font-weight:600; font-size:12px; border-bottom:1px solid var(--line); padding:6px 8px; }
td { border-bottom:1px solid #f0f2f6; padding:8px; vertical-align:top; }
.nowrap { white-space:nowrap; }
.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.pnl { font-weight:650; }
.badge { display:inline-block; border-radius:6px; padding:1px 7px; font-size:12px; background:#eef0f5; color:var(--ink); white-space:nowrap; }
.badge.reason-target, .badge.approved { background:#e3f6ec; color:#13663a; }
.badge.reason-stop, .badge.rejected { background:#fdecec; color:#a32121; }
.badge.reason-max-hold { background:#fff4dc; color:#8a5a00; }
.badge.reason-flatten { background:#eef0f5; color:#3d4559; }
.badge.reason-emergency, .badge.severity-critical { background:#a32121; color:#fff; }
.badge.severity-warning { background:#fff4dc; color:#8a5a00; }
.badge.severity-info { background:#e8eefc; color:#2b4bb8; }
.badge.open { background:#e8eefc; color:#2b4bb8; }
td.why { min-width:260px; }
.why-scores { display:flex; gap:10px; align-items:flex-end; }
.why-numbers { font-size:12px; }
ul.reasons { margin:4px 0 0; padding-left:16px; font-size:12px; color:var(--muted); }
ul.reasons.rejected { color:#a32121; }
p.empty { color:var(--muted); font-style:italic; margin:6px 0; }
p.lead { margin:0 0 10px; }
details summary { cursor:pointer; color:var(--accent); margin-top:8px; }
footer { color:var(--muted); font-size:12px; margin-top:22px; text-align:center; }
`;

function figureCard(
  label: string,
  value: string,
  opts: { cls?: string; note?: string; hero?: boolean } = {},
): string {
  return (
    `<div class="figure${opts.hero ? ' hero' : ''}"><div class="label">${esc(label)}</div>` +
    `<div class="value ${opts.cls ?? ''}">${esc(value)}</div>` +
    (opts.note ? `<div class="note">${esc(opts.note)}</div>` : '') +
    `</div>`
  );
}

function renderFigures(f: ReportFigures, report: DailyReport): string {
  const reasons = Object.entries(f.exitReasons)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n} ${r}`)
    .join(' · ');
  const durations = report.cycleDurations;
  return (
    `<div class="figures">` +
    figureCard('realized P&L', usd(f.totalPnl, { signed: true }), {
      cls: signClass(f.totalPnl),
      hero: true,
      note: `${f.wins} won · ${f.losses} lost${f.openTrades ? ` · ${f.openTrades} still open` : ''}`,
    }) +
    figureCard('trades', String(f.trades), { note: reasons || 'none closed' }) +
    figureCard('win rate', percent(f.winRate)) +
    figureCard('profit factor', f.profitFactor === null ? '—' : f.profitFactor.toFixed(2), {
      note:
        f.profitFactor === null ? 'no losing trade' : `${usd(f.grossProfit)} won / ${usd(f.grossLoss)} lost`,
    }) +
    figureCard('average P&L', usd(f.averagePnl, { signed: true }), { cls: signClass(f.averagePnl) }) +
    figureCard('largest win', usd(f.largestWin, { signed: true }), { cls: f.largestWin ? 'win' : '' }) +
    figureCard('largest loss', usd(f.largestLoss, { signed: true }), { cls: f.largestLoss ? 'loss' : '' }) +
    figureCard('max intraday drawdown', usd(f.maxIntradayDrawdown), {
      cls: f.maxIntradayDrawdown === '0.00' ? '' : 'loss',
      note: 'peak to trough of realized P&L',
    }) +
    figureCard('peak exposure', usd(f.peakExposure), { note: 'cost of shares held' }) +
    figureCard('cycles', String(report.cycles.length), {
      note: `avg ${duration(durations.averageSeconds)}, longest ${duration(durations.longestSeconds)}`,
    }) +
    `</div>`
  );
}

function renderHeader(report: DailyReport): string {
  const span = report.from === report.to ? report.from : `${report.from} – ${report.to}`;
  const chips = report.days
    .map(
      (d) =>
        `<span class="chip${d.halted ? ' halted' : ''}" title="${esc(d.workflowId)}">${esc(d.tradingDate)} · ${esc(d.mode)} · ${esc(d.status)}` +
        `${d.halted ? ` · halted${d.haltReason ? `: ${esc(d.haltReason)}` : ''}` : ''}</span>`,
    )
    .join('');
  return (
    `<header><h1>Catalyst · ${esc(span)}</h1>` +
    `<div class="sub">What Catalyst did, and why${report.venue ? ` — ${esc(report.venue)}` : ''}. Times are New York market time.</div>` +
    (chips ? `<div class="chips">${chips}</div>` : '') +
    `</header>`
  );
}

export function renderReportHtml(report: DailyReport): string {
  const span = report.from === report.to ? report.from : `${report.from} – ${report.to}`;
  const noTrades = report.trades.length === 0;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(`Catalyst report ${span}`)}</title><style>${STYLE}</style></head><body><main>` +
    renderHeader(report) +
    `<section class="key-figures"><h2>Key figures</h2>${renderFigures(report.figures, report)}` +
    (noTrades ? `<p class="empty no-trades">No trades in this period.</p>` : '') +
    `</section>` +
    `<section class="equity"><h2>Realized equity</h2>${renderEquityChart(report)}</section>` +
    `<section class="per-trade"><h2>P&amp;L per trade</h2>${renderTradeChart(report.trades)}</section>` +
    `<section class="trade-list"><h2>Trades and why</h2>${renderTradeTable(report.trades)}</section>` +
    `<section class="funnel"><h2>Funnel</h2>${renderFunnelChart(report.funnel, report.cycles)}</section>` +
    `<section class="risk"><h2>Risk decisions</h2>${renderRiskDecisions(report.risk)}</section>` +
    `<section class="risk-events"><h2>Risk events</h2>${renderRiskEvents(report.riskEvents)}</section>` +
    `<footer>catalyst report · ${esc(span)} · from the orders, positions, cycles and risk records in Catalyst's database</footer>` +
    `</main></body></html>\n`
  );
}

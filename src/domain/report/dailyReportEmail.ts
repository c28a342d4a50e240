/**
 * The daily report email after the close: the key figures in the body, so the inbox answers "how
 * did today go?" without opening anything; the HTML page (renderReportHtml) goes as an attachment.
 */
import { EXIT_REASONS } from './exitReason';
import { duration, percent, usd } from './html/html';
import type { DailyReport } from './reportTypes';

export interface DailyReportEmail {
  subject: string;
  body: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function dailyReportEmail(report: DailyReport, attachmentName: string): DailyReportEmail {
  const f = report.figures;
  const venue = report.venue ? ` (${report.venue})` : '';
  const halted = report.days.filter((d) => d.halted);
  const unfinished = report.days.filter((d) => d.status !== 'completed');
  const subject =
    `Daily report ${report.from}${venue}: ${plural(f.trades, 'trade')}, P&L ${usd(f.totalPnl, { signed: true })}` +
    (halted.length > 0 ? ', HALTED' : '');
  const reasons = EXIT_REASONS.filter((r) => f.exitReasons[r] > 0).map((r) => `${r} ${f.exitReasons[r]}`);
  const ordersPlaced = report.funnel.find((s) => s.stage === 'orders')?.total ?? 0;
  const lines = [
    `Catalyst's trading day ${report.from}${venue}.`,
    '',
    `Trades:            ${f.trades}${f.openTrades > 0 ? ` (${f.openTrades} still open)` : ''}`,
    `Total P&L:         ${usd(f.totalPnl, { signed: true })}`,
    `Win rate:          ${percent(f.winRate)} (${f.wins} won, ${f.losses} lost)`,
    `Average trade:     ${usd(f.averagePnl, { signed: true })}`,
    `Largest win:       ${usd(f.largestWin, { signed: true })}`,
    `Largest loss:      ${usd(f.largestLoss, { signed: true })}`,
    `Profit factor:     ${f.profitFactor === null ? '—' : f.profitFactor.toFixed(2)}`,
    `Max drawdown:      ${usd(f.maxIntradayDrawdown)}`,
    `Peak exposure:     ${usd(f.peakExposure)}`,
    `Exits:             ${reasons.length > 0 ? reasons.join(', ') : 'none'}`,
    `Cycles:            ${report.cycles.length} (average ${duration(report.cycleDurations.averageSeconds)})`,
    `Orders placed:     ${ordersPlaced}`,
    `Risk decisions:    ${report.risk.approved} approved, ${report.risk.rejected} rejected`,
  ];
  for (const d of halted) lines.push(`HALTED:            ${d.haltReason ?? 'no reason given'}`);
  for (const d of unfinished) lines.push(`Day status:        ${d.status}`);
  lines.push(
    '',
    `The full report with its charts is attached (${attachmentName}); \`catalyst report --date ${report.from}\` prints it again.`,
  );
  return { subject, body: lines.join('\n') };
}

/**
 * sendDailyReport: after the close, the day's report (the same one `catalyst report` builds, from
 * the database alone) written as its HTML page and emailed through the alert path with the page
 * attached and the key figures in the body. With SMTP unset it lands in the outbox like any alert.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readReportData } from '../db/repositories/reportData';
import { buildReport } from '../domain/report/buildReport';
import { dailyReportEmail } from '../domain/report/dailyReportEmail';
import { renderReportHtml } from '../domain/report/html/renderReportHtml';
import type { AlertSender } from './alerts';
import type { ActivityDeps } from './deps';
import type { DailyReportInput, DailyReportOutcome } from './types';
import { workflowRun } from './workflowRun';

/** Beside the outbox by default: `$CATALYST_HOME/reports`, where `catalyst report --open` writes too. */
export const reportsDirOf = (deps: Pick<ActivityDeps, 'outboxDir' | 'reportsDir'>): string =>
  deps.reportsDir ?? join(dirname(deps.outboxDir), 'reports');

export function createDailyReportActivities(deps: ActivityDeps, sender: AlertSender) {
  return {
    async sendDailyReport(input: DailyReportInput): Promise<DailyReportOutcome> {
      const { workflowId, runId } = workflowRun();
      const range = { from: input.tradingDate, to: input.tradingDate, venue: input.venue };
      const report = buildReport(await readReportData(deps.db, range), range);
      const name = `report-${input.tradingDate}-${input.venue}.html`;
      const htmlFile = join(reportsDirOf(deps), name);
      mkdirSync(dirname(htmlFile), { recursive: true });
      // Whole or not at all: a retry rewrites it, and the mail never attaches half a page.
      const tmp = `${htmlFile}.${process.pid}.tmp`;
      writeFileSync(tmp, renderReportHtml(report));
      renameSync(tmp, htmlFile);
      const email = dailyReportEmail(report, name);
      const outcome = await sender.deliver({
        severity: 'INFO',
        ...email,
        dedupeKey: `${workflowId}-${runId}-daily-report`,
        attachments: [{ filename: name, path: htmlFile }],
        dailyReport: true,
      });
      if (outcome.email === 'failed')
        throw new Error(`the daily report email to ${outcome.emailedTo} failed: ${outcome.error}`);
      return {
        htmlFile,
        email: outcome.email,
        trades: report.figures.trades,
        totalPnl: report.figures.totalPnl,
      };
    },
  };
}

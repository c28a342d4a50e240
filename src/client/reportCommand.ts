/**
 * `catalyst report`: what Catalyst did on a trading day (or a range), and why, from the database
 * alone — no Temporal, no broker. The trades with their exit reasons and the factor scores that
 * chose them, the figures, each cycle's funnel, the risk manager's decisions and the risk events;
 * as tables, one JSON line, or a self-contained HTML page.
 *
 * The database is the one `catalyst up` uses: DATABASE_URL, else PGlite in $CATALYST_HOME/pgdata.
 * A report never creates a database: a missing PGlite directory is said as such.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createDatabase, describeUrl, type Database } from '../db/createDatabase';
import { latestReportDate, readReportData } from '../db/repositories/reportData';
import { buildReport } from '../domain/report/buildReport';
import type { DailyReport, Trade } from '../domain/report/reportTypes';
import { STAGE_NAMES } from '../domain/report/html/funnelChart';
import { FUNNEL_STAGES } from '../domain/report/funnelStats';
import { duration, nyTime, percent, usd } from '../domain/report/html/html';
import { renderReportHtml } from '../domain/report/html/renderReportHtml';
import { UsageError } from './cliErrors';
import { colour, createOutput, table, type Output } from './output';
import { projectDir } from './projectDir';

type Venue = 'simulator' | 'paper' | 'live';

export interface ReportCommandOptions {
  date?: string;
  from?: string;
  to?: string;
  venue?: Venue;
  json: boolean;
  html?: string;
  open: boolean;
}

/** The date range asked for, or null for "the latest recorded day"; contradictions are usage errors. */
export function reportRange(opts: Pick<ReportCommandOptions, 'date' | 'from' | 'to'>): {
  from: string;
  to: string;
} | null {
  if (opts.date !== undefined && (opts.from !== undefined || opts.to !== undefined))
    throw new UsageError(
      '--date cannot be used with --from/--to: give one day with --date, or a range with --from and --to',
    );
  if ((opts.from === undefined) !== (opts.to === undefined))
    throw new UsageError(
      `--from and --to go together (got only ${opts.from !== undefined ? '--from' : '--to'}): e.g. --from 2026-11-02 --to 2026-11-06`,
    );
  if (opts.from !== undefined && opts.to !== undefined) {
    if (opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);
    return { from: opts.from, to: opts.to };
  }
  return opts.date !== undefined ? { from: opts.date, to: opts.date } : null;
}

const catalystHome = (env: NodeJS.ProcessEnv): string =>
  env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst');

/** The database `catalyst up` uses, opened only if it exists, with where it is for messages. */
export async function openReportDatabase(
  env: NodeJS.ProcessEnv,
): Promise<{ database: Database; where: string }> {
  const url = env.DATABASE_URL?.trim();
  // Read only: no migrations, so the report also runs as the catalyst_readonly role (drizzle/0004).
  if (url) return { database: await createDatabase({ url, migrate: false }), where: describeUrl(url) };
  const dir = join(catalystHome(env), 'pgdata');
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`no Catalyst database at ${dir}: run catalyst up first, or set DATABASE_URL`);
  return { database: await createDatabase({ pgliteDir: dir }), where: dir };
}

export async function reportCommand(opts: ReportCommandOptions): Promise<void> {
  const asked = reportRange(opts);
  const out = createOutput(opts.json);
  const { database, where } = await openReportDatabase(process.env);
  const report = await loadReport(database, where, asked, opts.venue).finally(() => database.close());

  const htmlPath =
    opts.html !== undefined
      ? resolve(opts.html)
      : opts.open
        ? join(
            catalystHome(process.env),
            'reports',
            `report-${report.from}${report.to === report.from ? '' : `_${report.to}`}.html`,
          )
        : null;
  if (htmlPath) {
    mkdirSync(dirname(htmlPath), { recursive: true });
    writeFileSync(htmlPath, renderReportHtml(report));
  }

  out.result(report, () => printReport(out, report));
  if (htmlPath) {
    out.info(`HTML report: ${htmlPath}`);
    if (opts.open) openInBrowser(out, htmlPath);
  }
}

/** The report of the range asked for (or of the latest recorded day); nothing recorded is an error. */
export async function loadReport(
  database: Database,
  where: string,
  asked: { from: string; to: string } | null,
  venue: Venue | undefined,
): Promise<DailyReport> {
  const onVenue = venue ? ` on the ${venue} venue` : '';
  let range = asked;
  if (!range) {
    const latest = await latestReportDate(database.db, venue);
    if (!latest)
      throw new Error(`nothing recorded${onVenue} in ${where}: no trading day has run yet (catalyst up)`);
    range = { from: latest, to: latest };
  }
  const data = await readReportData(database.db, { ...range, venue });
  if (data.days.length === 0) {
    const when = range.from === range.to ? `on ${range.from}` : `from ${range.from} to ${range.to}`;
    throw new Error(`no trading day recorded ${when}${onVenue} in ${where}`);
  }
  return buildReport(data, { ...range, venue: venue ?? null });
}

// ---------------------------------------------------------------------------------------------
// Opening the page

/** The platform's opener if it is on PATH: `open` on macOS, `xdg-open` elsewhere. */
export function findOpener(env: NodeJS.ProcessEnv = process.env): string | null {
  const name = process.platform === 'darwin' ? 'open' : 'xdg-open';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function openInBrowser(out: Output, path: string): void {
  const opener = findOpener();
  if (!opener) {
    out.info(`no xdg-open/open here: open ${path} in a browser`);
    return;
  }
  const child = spawn(opener, [path], { detached: true, stdio: 'ignore' });
  child.on('error', () => out.info(`could not start ${opener}: open ${path} in a browser`));
  child.unref();
}

// ---------------------------------------------------------------------------------------------
// Tables for people

// No colours inside table cells: the escape codes would count toward the column widths.
const signed = (amount: string | null): string => usd(amount, { signed: true });

const score = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toFixed(0));

function whyText(t: Trade): string {
  const f = t.why.factors;
  if (!f) return 'no scan row';
  return `C${score(f.composite)} N${score(f.news)} T${score(f.technical)} P${score(f.pattern)} M${score(f.momentum)} V${score(f.volume)}`;
}

function printReport(out: Output, r: DailyReport): void {
  const f = r.figures;
  const span = r.from === r.to ? r.from : `${r.from} – ${r.to}`;
  out.info(colour.bold(`Catalyst report ${span}${r.venue ? ` (${r.venue})` : ''}`));
  for (const d of r.days)
    out.info(
      colour.dim(
        `  ${d.tradingDate} ${d.workflowId}: ${d.status}, ${d.mode}${d.halted ? `, HALTED${d.haltReason ? ` (${d.haltReason})` : ''}` : ''}`,
      ),
    );
  out.info('');
  const reasons = Object.entries(f.exitReasons)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  out.info(
    table([
      ['realized P&L', signed(f.totalPnl), 'trades', `${f.trades} (${f.wins} won, ${f.losses} lost)`],
      [
        'win rate',
        percent(f.winRate),
        'profit factor',
        f.profitFactor === null ? '— (no loss)' : f.profitFactor.toFixed(2),
      ],
      ['average P&L', signed(f.averagePnl), 'exits', reasons || '—'],
      ['largest win', signed(f.largestWin), 'largest loss', signed(f.largestLoss)],
      ['max intraday drawdown', usd(f.maxIntradayDrawdown), 'peak exposure', usd(f.peakExposure)],
      [
        'cycles',
        String(r.cycles.length),
        'cycle time',
        `avg ${duration(r.cycleDurations.averageSeconds)}, longest ${duration(r.cycleDurations.longestSeconds)}`,
      ],
      ...(f.openTrades > 0 ? [['open trades', String(f.openTrades), '', '']] : []),
    ]),
  );

  out.info('');
  out.info(colour.bold('Trades'));
  if (r.trades.length === 0) out.info('  no trades');
  else
    out.info(
      table([
        ['symbol', 'in', 'out', 'held', 'qty', 'entry', 'exit', 'P&L', 'exit reason', 'why (scores 0-100)'],
        ...r.trades.map((t) => [
          t.symbol,
          nyTime(t.openedAt),
          nyTime(t.closedAt),
          duration(t.holdSeconds),
          t.openQuantity > 0 ? `${t.closedQuantity}/${t.quantity}` : String(t.quantity),
          t.entryPrice,
          t.exitPrice ?? '—',
          usd(t.realizedPnl, { signed: true }),
          t.exitReason ?? (t.status === 'open' ? 'open' : '—'),
          whyText(t),
        ]),
      ]),
    );

  out.info('');
  out.info(colour.bold('Funnel per cycle'));
  if (r.cycles.length === 0) out.info('  no cycles');
  else
    out.info(
      table([
        ['cycle', 'time', 'took', ...FUNNEL_STAGES.map((s) => STAGE_NAMES[s])],
        ...r.cycles.map((c) => [
          `${r.from === r.to ? '' : `${c.tradingDate} `}c${String(c.cycleNumber).padStart(2, '0')}`,
          nyTime(c.marketTime),
          duration(c.durationSeconds),
          ...FUNNEL_STAGES.map((s) => (c.funnel ? String(c.funnel[s] ?? 0) : c.status)),
        ]),
        ['total', '', '', ...r.funnel.map((s) => String(s.total))],
      ]),
    );

  out.info('');
  out.info(
    colour.bold('Risk decisions') +
      ` ${r.risk.judged} judged: ${r.risk.approved} approved, ${r.risk.rejected} rejected`,
  );
  for (const reason of r.risk.rejectionReasons)
    out.info(`  ${String(reason.count).padStart(4)}  ${reason.reason}`);

  out.info('');
  out.info(colour.bold('Risk events'));
  if (r.riskEvents.length === 0) out.info('  none');
  else
    out.info(
      table([
        ['severity', 'event', 'symbol', 'message'],
        ...r.riskEvents.map((e) => [e.severity, e.eventType, e.symbol ?? '', e.message]),
      ]),
    );
}

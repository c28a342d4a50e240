/**
 * The arguments of `catalyst report`, `go-live-check`, `alert test` and `db`: defined here, with
 * each command's module imported only when it runs (they load the database, the broker client
 * and the alert path, which a typo or `--help` should not wait for).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SEVERITIES, type AlertSeverity } from '../domain/alerts/routeAlert';
import { quoteValue } from '../domain/quoteValue';
import { UsageError, parseDate, parseVenue } from './cliErrors';

export function parseSeverity(flag: string, value: string): AlertSeverity {
  const v = value.trim().toUpperCase();
  const level = SEVERITIES.find((s) => s === v);
  if (!level) throw new UsageError(`${flag} must be CRITICAL, WARNING or INFO (got ${quoteValue(value)})`);
  return level;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'what Catalyst did on a trading day, and why: trades with exit reasons and factor scores, P&L figures, funnel, risk decisions and events, read from the database',
    )
    .option('--date <YYYY-MM-DD>', 'the trading day (default: the latest one recorded)', (v) =>
      parseDate('--date', v),
    )
    .option('--from <YYYY-MM-DD>', 'first day of a range (with --to)', (v) => parseDate('--from', v))
    .option('--to <YYYY-MM-DD>', 'last day of a range, inclusive (with --from)', (v) => parseDate('--to', v))
    .option('--venue <venue>', 'simulator | paper | live (default: every venue)', (v) =>
      parseVenue('--venue', v),
    )
    .option('--json', 'machine output: the report as one JSON line on stdout', false)
    .option('--html <file>', 'also write the report as one self-contained HTML page (charts included)')
    .option(
      '--open',
      'open the HTML page with the system opener (xdg-open/open); without --html it goes under $CATALYST_HOME/reports/',
      false,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  catalyst report\n  catalyst report --date 2026-11-24 --venue simulator --html day.html --open\n  catalyst report --from 2026-11-02 --to 2026-11-06 --json | jq .figures',
    )
    .action(async (o) =>
      (await import('./reportCommand')).reportCommand({
        date: o.date,
        from: o.from,
        to: o.to,
        venue: o.venue,
        json: o.json,
        html: o.html,
        open: o.open,
      }),
    );
}

export function registerGoLiveCheckCommand(program: Command): void {
  program
    .command('go-live-check')
    .description(
      "the guide's go-live checklist on the paper-trading record: 10 paper days, win rate, average trade, daily drawdown, emergency stop, no failed days, schema, broker, alerts; exit 0 only when no check fails",
    )
    .option(
      '--json',
      'machine output: one JSON line {ok, checks: [{name, status, detail, value, threshold}]}',
      false,
    )
    // A usage mistake is one line, as every other refusal of this command.
    .showHelpAfterError(false)
    .action(async (o: { json: boolean }) =>
      (await import('./goLiveCheckCommand')).goLiveCheckCommand({ json: o.json }),
    );
}

export function registerAlertCommand(program: Command): void {
  program
    .command('alert')
    .description('alert tools')
    .command('test')
    .description(
      'send "[TEST] Catalyst Alert System Test" through the alert path (outbox, routing, storm limit, SMTP) and print where it went; exit 1 when the mail server refuses it',
    )
    .option(
      '--severity <level>',
      'CRITICAL | WARNING | INFO: the route to test (a level without ALERT_EMAIL_<level> falls back to the next more severe)',
      (v: string) => parseSeverity('--severity', v),
      'CRITICAL' as AlertSeverity,
    )
    .option('--json', 'machine output: one JSON line {ok, severity, email, emailedTo, file, error?}', false)
    .addHelpText('after', '\nExample:\n  catalyst alert test --severity WARNING')
    .action(async (o: { severity: AlertSeverity; json: boolean }) =>
      (await import('./alertCommand')).alertTestCommand({ severity: o.severity, json: o.json }),
    );
}

export function registerDbCommand(program: Command): void {
  const db = program
    .command('db')
    .description(
      'database maintenance: migrations, backup and restore of DATABASE_URL, else the embedded PGlite ($CATALYST_HOME/pgdata)',
    )
    // A bad argument is one line (the CLI's contract); --help has the rest.
    .showHelpAfterError(false)
    .showSuggestionAfterError(false);

  db.command('migrate')
    .description('apply the pending migrations of drizzle/ and print which ones were applied')
    .action(async () => (await import('./dbCommand')).dbCommand('migrate'));

  db.command('backup <file>')
    .description(
      'PostgreSQL: pg_dump in custom format to <file>; PGlite: a copy of its data directory to the directory <file> (refused while it is open)',
    )
    .option('--force', 'replace an existing <file>', false)
    .addHelpText('after', '\nExample:\n  catalyst db backup ./catalyst-2026-12-07.dump')
    .action(async (file: string, o: { force: boolean }) =>
      (await import('./dbCommand')).dbCommand('backup', resolve(file), o.force),
    );

  db.command('restore <file>')
    .description(
      'PostgreSQL: pg_restore <file> into DATABASE_URL (refused when it holds tables); PGlite: <file> becomes the data directory (refused when it holds a database)',
    )
    .option('--force', 'replace what the database or data directory holds', false)
    .addHelpText('after', '\nExample:\n  catalyst db restore ./catalyst-2026-12-07.dump')
    .action(async (file: string, o: { force: boolean }) =>
      (await import('./dbCommand')).dbCommand('restore', resolve(file), o.force),
    );
}

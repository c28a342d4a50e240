/**
 * The arguments of `catalyst worker`, `day start|stop|status`, `schedule …` and `--version`:
 * defined here, each command's module imported only when it runs (the worker loads Temporal's
 * native worker, the database and the broker client, which `--help` or a typo should not wait for).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Venue } from '../shared';
import { parseDate, parseMode, parsePositiveNumber, parseVenue, UsageError } from './cliErrors';
import type { ScheduleOp } from './scheduleCommand';

/** The version of package.json, for `catalyst --version`. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

export function registerVersion(program: Command): void {
  program.version(packageVersion(), '-V, --version', 'print the version of Catalyst');
}

const speedOption = (cmd: Command): Command =>
  cmd.option(
    '--speed <x>',
    'the market-clock speed of an Alpaca-compatible endpoint (ALPACA_BASE_URL of a `catalyst sim --speed x`); Alpaca itself: 1',
    (v: string) => parsePositiveNumber('--speed', v, 100_000),
    1,
  );

export function registerWorkerCommand(program: Command): void {
  speedOption(
    program
      .command('worker')
      .description(
        "run only the Catalyst worker (no dev server, no simulator) against TEMPORAL_ADDRESS, DATABASE_URL and the broker of ALPACA_*; several workers share the venue's task queue. SIGINT/SIGTERM drains it",
      )
      .option(
        '--live',
        'allow live trading (also needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true and live keys)',
        false,
      )
      .option(
        '--config-dir <dir>',
        'directory with trading_config.yaml and risk_parameters.yaml, watched for edits (default: the project config/)',
      )
      .option(
        '--workflow-bundle <file>',
        'a prebuilt workflow bundle (scripts/bundleWorkflows.ts; the Docker image has one) instead of bundling src/workflows at start',
      ),
  )
    .showHelpAfterError(false)
    .addHelpText(
      'after',
      '\nExample:\n  catalyst worker    # TEMPORAL_ADDRESS, DATABASE_URL and ALPACA_API_KEY/ALPACA_SECRET_KEY from the environment or .env\n  ALPACA_BASE_URL=http://127.0.0.1:8299 ALPACA_API_KEY=SIMKEY ALPACA_SECRET_KEY=SIMSECRET catalyst worker --speed 600',
    )
    .action(async (o: { live: boolean; speed: number; configDir?: string; workflowBundle?: string }) =>
      (await import('./workerCommand')).workerCommand({
        live: o.live,
        speed: o.speed,
        configDir: o.configDir,
        workflowBundle: o.workflowBundle,
      }),
    );
}

const dayFilter = (
  cmd: Command,
  dateHelp: string,
  venueHelp = 'simulator | paper | live, when days of several venues run',
): Command =>
  cmd
    .option('--date <YYYY-MM-DD>', dateHelp, (v: string) => parseDate('--date', v))
    .option('--venue <venue>', venueHelp, (v: string) => parseVenue('--venue', v))
    .option('--json', 'machine output: one JSON line', false);

export function registerDayCommand(program: Command): void {
  const day = program
    .command('day')
    .description('start, stop or show a trading day on the running workers')
    .showHelpAfterError(false)
    .addHelpText('after', '\nExample:\n  catalyst day start && catalyst day status && catalyst day stop');

  speedOption(
    dayFilter(
      day
        .command('start')
        .description(
          "start the venue's TradingDayWorkflow for a date on the workers polling its task queue (`catalyst worker`); a date is traded once",
        ),
      "the trading date (default: today in New York while its session is open or ahead, else the next trading day; on an ALPACA_BASE_URL endpoint, the endpoint's session)",
      'paper | live: refuse unless the environment trades this venue',
    ),
  )
    .option('--mode <mode>', 'supervised | autonomous (default: session.mode of the config)', (v: string) =>
      parseMode('--mode', v),
    )
    .option('--live', 'the live opt-in, as the worker was given it (with every other live opt-in)', false)
    .addHelpText(
      'after',
      '\nExample:\n  catalyst day start --mode supervised\n  catalyst day start --json | jq .workflowId',
    )
    .action(async (o) =>
      (await import('./dayCommand')).dayStartCommand({
        date: o.date,
        venue: o.venue,
        mode: o.mode,
        speed: o.speed,
        live: o.live,
        json: o.json,
      }),
    );

  dayFilter(
    day
      .command('stop')
      .description(
        "cancel the running day: it cancels Catalyst's orders and closes Catalyst's positions (nothing else in the account) until its book is flat, then ends as cancelled; exit 1 if it has not ended within --wait",
      ),
    'which trading day (default: the running one)',
  )
    .option(
      '--wait <seconds>',
      'how long to wait for the day to end flat (0: ask and return)',
      (v: string) => (v.trim() === '0' ? 0 : parsePositiveNumber('--wait', v, 3600)),
      120,
    )
    .addHelpText('after', '\nExample:\n  catalyst day stop --date 2026-11-24 --venue paper')
    .action(async (o) =>
      (await import('./dayCommand')).dayStopCommand({
        date: o.date,
        venue: o.venue,
        json: o.json,
        wait: o.wait,
      }),
    );

  dayFilter(
    day
      .command('status')
      .description(
        'phase, cycle, funnel, candidates, positions and P&L of the running day (as `catalyst status`)',
      ),
    'which trading day (default: the running one)',
  )
    .addHelpText('after', '\nExample:\n  catalyst day status --venue paper --json | jq .phase')
    .action(async (o) =>
      (await import('./dayCommand')).dayStatusCommand({ date: o.date, venue: o.venue, json: o.json }),
    );
}

/** --venue / --account: which schedule, when the cluster holds several Catalyst schedules. */
const scheduleFilter = (cmd: Command): Command =>
  cmd
    .option('--venue <venue>', 'simulator | paper | live, when several schedules exist', (v: string) =>
      parseVenue('--venue', v),
    )
    .option(
      '--account <number>',
      'the broker account number, when schedules of several accounts exist',
      (v: string) => {
        if (!/^[A-Za-z0-9]+$/.test(v.trim()))
          throw new UsageError(
            `--account must be an account number of letters and digits (got ${JSON.stringify(v)})`,
          );
        return v.trim();
      },
    )
    .option('--json', 'machine output: one JSON line', false);

export function registerScheduleCommand(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      "the venue's Temporal Schedule: 09:30 America/New_York, Monday–Friday, catch-up window 15 min, overlap SKIP; each fire starts that date's trading day unless it already ran",
    )
    .showHelpAfterError(false)
    .addHelpText('after', '\nExample:\n  catalyst schedule create && catalyst schedule describe');
  const run = (op: ScheduleOp) => async (o: Record<string, unknown>) =>
    (await import('./scheduleCommand')).scheduleCommand(op, {
      json: o.json as boolean,
      venue: o.venue as Venue | undefined,
      account: o.account as string | undefined,
      ...(o.paused !== undefined ? { paused: o.paused as boolean } : {}),
      ...(o.note !== undefined ? { note: o.note as string } : {}),
      ...(o.live !== undefined ? { live: o.live as boolean } : {}),
      ...(o.from !== undefined ? { from: o.from as string } : {}),
      ...(o.to !== undefined ? { to: o.to as string } : {}),
      ...(o.wait !== undefined ? { wait: o.wait as number } : {}),
    });

  schedule
    .command('create')
    .description(
      "create the schedule of this environment's venue (its broker account is in the name), or bring an existing one up to date; an ALPACA_BASE_URL endpoint's schedule is created paused (its clock is not New York's)",
    )
    .option('--paused', 'create it paused', false)
    .option('--note <text>', 'the note kept with its state')
    .option('--live', "the live opt-in, to name a live account's schedule", false)
    .option('--venue <venue>', 'refuse unless the environment trades this venue', (v: string) =>
      parseVenue('--venue', v),
    )
    .option('--json', 'machine output: one JSON line', false)
    .addHelpText(
      'after',
      '\nExample:\n  catalyst schedule create --paused --note "until go-live-check passes"',
    )
    .action(run('create'));

  scheduleFilter(
    schedule.command('describe').description('the spec, state, next fire times, recent actions and workers'),
  )
    .addHelpText('after', '\nExample:\n  catalyst schedule describe --venue paper')
    .action(run('describe'));

  for (const op of ['pause', 'unpause'] as const)
    scheduleFilter(
      schedule
        .command(op)
        .description(
          op === 'pause'
            ? 'stop starting days at 09:30 (a running day goes on; `catalyst day stop` ends it)'
            : 'start days at 09:30 again',
        )
        .option('--note <text>', 'why, kept with the state'),
    )
      .addHelpText(
        'after',
        `\nExample:\n  catalyst schedule ${op} --note "${op === 'pause' ? 'FOMC day' : 'back to normal'}"`,
      )
      .action(run(op));

  scheduleFilter(
    schedule
      .command('trigger')
      .description(
        "fire now: the launcher starts today's trading day (New York date) unless that date already ran",
      ),
  )
    .option('--wait <seconds>', "how long to wait for the launcher's answer", (v: string) =>
      parsePositiveNumber('--wait', v, 600),
    )
    .addHelpText('after', '\nExample:\n  catalyst schedule trigger --venue paper')
    .action(run('trigger'));

  scheduleFilter(
    schedule
      .command('backfill')
      .description(
        "run the 09:30 fires of a date range that were missed (schedule paused, no worker, outage): only today's, while its session is open, can still trade; past sessions are listed, never traded",
      )
      .requiredOption('--from <YYYY-MM-DD>', 'first date of the range', (v: string) => parseDate('--from', v))
      .requiredOption('--to <YYYY-MM-DD>', 'last date of the range (inclusive)', (v: string) =>
        parseDate('--to', v),
      ),
  )
    .option('--wait <seconds>', "how long to wait for the launcher's answer", (v: string) =>
      parsePositiveNumber('--wait', v, 600),
    )
    .addHelpText('after', '\nExample:\n  catalyst schedule backfill --from 2026-11-23 --to 2026-11-24')
    .action(run('backfill'));

  scheduleFilter(
    schedule
      .command('delete')
      .description('delete the schedule (days already started go on; `schedule create` makes it again)'),
  )
    .addHelpText('after', '\nExample:\n  catalyst schedule delete --venue paper')
    .action(run('delete'));
}

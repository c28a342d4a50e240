/**
 * `catalyst` — the operator's CLI. One file per command group; this file only wires arguments.
 * Bad arguments end with one clear message and exit code 2.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
// Each command's module is imported when it runs: up, backtest and scan load the worker, the
// simulator and the stack (most of a second), which `catalyst status` or a typo should not wait for.
import { parseFaultsFlag, parseHoldingsFlag, simCommand } from './simCommand';
import {
  registerAlertCommand,
  registerDbCommand,
  registerGoLiveCheckCommand,
  registerReportCommand,
} from './recordsCli';
import { registerDoctorCommand } from './doctorCli';
import { registerMcpCommand } from './mcpCli';
import { registerCodecServerCommand } from './codecServerCommand';
import { parseEnvFile } from '../settings/envFile';
import {
  registerDayCommand,
  registerScheduleCommand,
  registerVersion,
  registerWorkerCommand,
} from './operatorCli';
import {
  UsageError,
  parseChoice,
  parseDate,
  parseMode,
  parseNonNegativeInt,
  parsePort,
  parsePositiveNumber,
  parseVenue,
} from './cliErrors';

const FAULTS_HELP =
  'simulator fault injection: [SCOPE:]KIND:PROBABILITY[@DURATION],… with KIND 429, 500-599, latency, timeout or drop and SCOPE a METHOD and/or /path, e.g. "500:0.05,latency:0.1@200ms,POST /v2/orders:drop:0.1"';

const SCENARIO_HELP =
  'market scenario: crash[@HH:MM], halt[:SYMBOL][@HH:MM][+Nm], gap[:up|:down], outage[@HH:MM][+Nm], comma-separated, e.g. "crash", "halt:AAPL@10:30+45m,outage@14:00"';

/**
 * commander's own complaints (unknown command or flag, missing argument) as one line: "catalyst:",
 * the problem, commander's suggestion when it has one, and where the usage is. Never the whole help.
 */
function oneLineUsageError(text: string): string {
  const [first = '', ...rest] = text.trim().split('\n');
  const suggestion = rest.join(' ').match(/\(Did you mean (.+)\?\)/);
  return `catalyst: ${first.replace(/^error: /, '')}${suggestion ? ` (did you mean ${suggestion[1]}?)` : ''}; see --help`;
}

const program = new Command('catalyst')
  .description('Catalyst: autonomous US-equities day trading on Temporal')
  .configureOutput({ outputError: (text, write) => write(`${oneLineUsageError(text)}\n`) })
  .exitOverride();
registerVersion(program);

program
  .command('up')
  .description(
    'start the embedded stack (Temporal dev server, database, simulator unless Alpaca keys are set, worker, schedule)',
  )
  .option('--once', 'run exactly one simulated trading day, then stop', false)
  .option(
    '--speed <x>',
    'simulator market-clock speed (600 = a session in 39 s)',
    (v) => parsePositiveNumber('--speed', v, 100_000),
    60,
  )
  .option('--seed <n>', 'simulator seed', (v) => parseNonNegativeInt('--seed', v), 1)
  .option(
    '--date <YYYY-MM-DD>',
    'simulated session date (default: today in New York, or the next trading day)',
    (v) => parseDate('--date', v),
  )
  .option(
    '--mode <mode>',
    'supervised | autonomous (default: autonomous on the simulator, the config otherwise)',
    (v) => parseMode('--mode', v),
  )
  .option('--json', 'machine output: the last stdout line is one JSON object', false)
  .option(
    '--live',
    'allow live trading (also needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true and live keys)',
    false,
  )
  .option('--faults <spec>', FAULTS_HELP, (v) => parseFaultsFlag('--faults', v))
  .option('--scenario <spec>', SCENARIO_HELP + ' (the embedded simulator only)')
  .option(
    '--config-dir <dir>',
    'directory with trading_config.yaml and risk_parameters.yaml, watched for edits (default: the project config/)',
  )
  .option(
    '--workflow-bundle <file>',
    'a prebuilt workflow bundle (scripts/bundleWorkflows.ts) instead of bundling src/workflows at start',
  )
  .addOption(
    new Option('--port <port>', 'Temporal dev server gRPC port').argParser((v) => parsePort('--port', v)),
  )
  .addOption(
    new Option('--ui-port <port>', 'Temporal Web UI port').argParser((v) => parsePort('--ui-port', v)),
  )
  .action(async (o) =>
    (await import('./upCommand')).upCommand({
      once: o.once,
      speed: o.speed,
      seed: o.seed,
      date: o.date,
      mode: o.mode,
      json: o.json,
      live: o.live,
      port: o.port,
      uiPort: o.uiPort,
      faults: o.faults,
      scenario: o.scenario,
      configDir: o.configDir,
      workflowBundle: o.workflowBundle,
    }),
  );

program
  .command('halt')
  .description(
    "emergency stop: cancel Catalyst's orders and close Catalyst's positions (nothing else in the account), halt new entries for the day; with no day running, flattens Catalyst's book directly",
  )
  .requiredOption('--reason <text>', 'why (recorded in risk_events and the alert)')
  .option('--date <YYYY-MM-DD>', 'which trading day (default: the running one)', (v) =>
    parseDate('--date', v),
  )
  .option('--venue <venue>', 'simulator | paper | live, when days of several venues run', (v) =>
    parseVenue('--venue', v),
  )
  .option(
    '--wait <seconds>',
    "how long to wait for Catalyst's book to be confirmed flat",
    (v) => parsePositiveNumber('--wait', v, 3600),
    60,
  )
  .option(
    '--live',
    'allow the direct flatten to send orders to a live account (with every live opt-in)',
    false,
  )
  .option('--json', 'machine output', false)
  .action(async (o) =>
    (await import('./haltCommand')).haltCommand({
      reason: o.reason,
      date: o.date,
      venue: o.venue,
      json: o.json,
      wait: o.wait,
      live: o.live,
    }),
  );

program
  .command('status')
  .description('phase, cycle, funnel, candidates, positions and P&L of the running trading day')
  .option('--date <YYYY-MM-DD>', 'which trading day (default: the running one)', (v) =>
    parseDate('--date', v),
  )
  .option('--venue <venue>', 'simulator | paper | live, when days of several venues run', (v) =>
    parseVenue('--venue', v),
  )
  .option('--json', 'machine output', false)
  .action(async (o) =>
    (await import('./statusCommand')).statusCommand({ date: o.date, venue: o.venue, json: o.json }),
  );

program
  .command('scan')
  .description(
    "run one cycle's funnel (scan → news → patterns → technicals → composite score) at the running day's current minute, without orders",
  )
  .option('--date <YYYY-MM-DD>', 'which trading day (default: the running one)', (v) =>
    parseDate('--date', v),
  )
  .option('--venue <venue>', 'simulator | paper | live, when days of several venues run', (v) =>
    parseVenue('--venue', v),
  )
  .option('--json', 'machine output: the result as one JSON line', false)
  .addHelpText('after', '\nExample:\n  catalyst scan --json | jq .funnel')
  .action(async (o) =>
    (await import('./scanCommand')).scanCommand({ date: o.date, venue: o.venue, json: o.json }),
  );

program
  .command('sim')
  .description('serve the Alpaca-compatible market simulator for any Alpaca client')
  .option('--port <port>', 'port on 127.0.0.1', (v) => parsePort('--port', v), 8299)
  .option('--seed <n>', 'seed', (v) => parseNonNegativeInt('--seed', v), 1)
  .option('--speed <x>', 'market-clock speed', (v) => parsePositiveNumber('--speed', v, 100_000), 1)
  .option('--date <YYYY-MM-DD>', 'session date', (v) => parseDate('--date', v))
  .option('--scenario <spec>', SCENARIO_HELP)
  .option('--faults <spec>', FAULTS_HELP, (v) => parseFaultsFlag('--faults', v))
  .option(
    '--rate-limit <n>',
    'requests per market minute per API key before HTTP 429 (0 = no limit)',
    (v) => parseNonNegativeInt('--rate-limit', v),
    200,
  )
  .option(
    '--holdings <spec>',
    'shares held before the first session, bought at the previous close: SYMBOL:QTY[,SYMBOL:QTY…], e.g. AAPL:100,MSFT:25',
    (v) => parseHoldingsFlag('--holdings', v),
  )
  .option(
    '--market-fills <when>',
    'when market orders fill in regular hours: next-open (reproducible to the cent) | on-arrival (as an exchange does)',
    (v) => parseChoice('--market-fills', v, ['next-open', 'on-arrival'] as const),
    'next-open',
  )
  .option(
    '--pre-open <minutes>',
    'market minutes the clock starts before the 09:30 open (time for a client to start up at high speed)',
    (v) => {
      const n = parseNonNegativeInt('--pre-open', v);
      // The clock starts on the session's own date: at most midnight to 09:30.
      if (n > 570) throw new UsageError(`--pre-open must be at most 570 (00:00 to the open), got ${n}`);
      return n;
    },
    1,
  )
  .action((o) =>
    simCommand({
      preOpenMinutes: o.preOpen,
      port: o.port,
      seed: o.seed,
      speed: o.speed,
      date: o.date,
      scenario: o.scenario,
      faults: o.faults,
      rateLimit: o.rateLimit,
      holdings: o.holdings,
      marketFills: o.marketFills,
    }),
  );

program
  .command('backtest')
  .description(
    'run the simulated trading days of a date range on the driven clock (own database and names) and print the figures',
  )
  .requiredOption('--from <YYYY-MM-DD>', 'first day of the range', (v) => parseDate('--from', v))
  .requiredOption('--to <YYYY-MM-DD>', 'last day of the range (inclusive)', (v) => parseDate('--to', v))
  .option('--seed <n>', 'simulator seed', (v) => parseNonNegativeInt('--seed', v), 1)
  .option(
    '--config-dir <dir>',
    'directory with trading_config.yaml and risk_parameters.yaml (default: the project config/)',
  )
  .option(
    '--compare <dirs...>',
    'two config directories DIR_A DIR_B: the same range and seed with each, side by side',
  )
  .option('--json', 'machine output: one JSON line on stdout', false)
  .option(
    '--workflow-bundle <file>',
    'a prebuilt workflow bundle (scripts/bundleWorkflows.ts) instead of bundling src/workflows at start',
  )
  .addOption(
    new Option('--port <port>', 'Temporal dev server gRPC port').argParser((v) => parsePort('--port', v)),
  )
  .addOption(
    new Option('--ui-port <port>', 'Temporal Web UI port').argParser((v) => parsePort('--ui-port', v)),
  )
  .action(async (o) =>
    (await import('./backtestCommand')).backtestCommand({
      from: o.from,
      to: o.to,
      seed: o.seed,
      configDir: o.configDir,
      compare: o.compare,
      json: o.json,
      port: o.port,
      uiPort: o.uiPort,
      workflowBundle: o.workflowBundle,
    }),
  );

const dayFlags = (cmd: Command): Command =>
  cmd
    .option('--date <YYYY-MM-DD>', 'which trading day (default: the running one)', (v) =>
      parseDate('--date', v),
    )
    .option('--venue <venue>', 'simulator | paper | live, when days of several venues run', (v) =>
      parseVenue('--venue', v),
    )
    .option('--json', 'machine output: one JSON line', false);

for (const verdict of ['approve', 'reject'] as const) {
  dayFlags(
    program
      .command(`${verdict} [symbols...]`)
      .description(
        verdict === 'approve'
          ? "supervised mode: trade these of the running cycle's offered candidates (the others are rejected)"
          : "supervised mode: do not trade these of the running cycle's offered candidates (the others are approved)",
      )
      .option('--all', `${verdict} every offered candidate`, false)
      .addHelpText('after', `\nExample:\n  catalyst ${verdict} AAPL MSFT\n  catalyst ${verdict} --all`),
  ).action(async (symbols: string[], o) =>
    (await import('./approvalCommand')).approvalCommand({
      verdict,
      symbols,
      all: o.all,
      date: o.date,
      venue: o.venue,
      json: o.json,
    }),
  );
}

dayFlags(
  program
    .command('pause')
    .description('stop new entries of the running day (positions are still watched, stopped and flattened)'),
).action(async (o) => (await import('./dayControlCommand')).dayControlCommand({ op: 'pause' }, o));

dayFlags(
  program.command('resume').description('allow new entries again; the next cycle runs at once'),
).action(async (o) => (await import('./dayControlCommand')).dayControlCommand({ op: 'resume' }, o));

dayFlags(
  program
    .command('mode <mode>')
    .description('switch the running day to supervised or autonomous')
    .addHelpText('after', '\nExample:\n  catalyst mode supervised'),
).action(async (mode: string, o) =>
  (await import('./dayControlCommand')).dayControlCommand({ op: 'mode', mode: parseMode('mode', mode) }, o),
);

program
  .command('config')
  .description('configuration tools')
  .command('validate')
  .description(
    'check trading_config.yaml and risk_parameters.yaml (or the --file ones) against their schemas; exit 1 on any problem',
  )
  .option(
    '--file <path>',
    'a file to check (repeatable); its name must end in trading_config.yaml or risk_parameters.yaml',
    (v: string, prev: string[]) => [...prev, v],
    [] as string[],
  )
  .option(
    '--config-dir <dir>',
    'the directory to check when no --file is given (default: the project config/)',
  )
  .option('--json', 'machine output: {ok, files: [{file, ok, problems}]}', false)
  .addHelpText('after', '\nExample:\n  catalyst config validate --file ./my/risk_parameters.yaml')
  .action(async (o) =>
    (await import('./configCommand')).configValidateCommand({
      files: o.file,
      configDir: o.configDir,
      json: o.json,
    }),
  );

program
  .command('sentiment')
  .description('score finance headlines read one per line from stdin')
  .option('--json', 'machine output: one JSON line, [{headline, score, label}]', false)
  .addHelpText('after', '\nExample:\n  echo "Acme beats Q3 estimates" | catalyst sentiment --json')
  .action(async (o) => (await import('./sentimentCommand')).sentimentCommand({ json: o.json }));

registerAlertCommand(program);
registerGoLiveCheckCommand(program);
registerDbCommand(program);
registerReportCommand(program);
registerMcpCommand(program);
registerDoctorCommand(program);
registerWorkerCommand(program);
registerDayCommand(program);
registerScheduleCommand(program);
registerCodecServerCommand(program);

program
  .command('provision-temporal')
  .description('find or build the Temporal CLI (per-user cache, then .catalyst/bin)')
  .option('--quiet', 'print only problems', false)
  .action(async (o) => (await import('./provisionCommand')).provisionCommand({ quiet: o.quiet }));

// `.env` in the working directory fills in what the real environment leaves unset (never overrides it).
const envFile = resolve(process.cwd(), '.env');
if (existsSync(envFile)) {
  // It holds the broker keys and the SMTP password: the guide's `chmod 600 .env`.
  const mode = statSync(envFile).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    process.stderr.write(
      `catalyst: warning: ${envFile} can be read by other users (mode ${mode.toString(8)}); it holds secrets: chmod 600 .env\n`,
    );
  // Strict: a line it cannot read would otherwise lose a setting silently (parseEnvFile says why).
  let values: Record<string, string>;
  try {
    values = parseEnvFile(readFileSync(envFile, 'utf8'), envFile);
  } catch (err) {
    process.stderr.write(`catalyst: ${(err as Error).message}\n`);
    process.exit(2);
  }
  for (const [key, value] of Object.entries(values)) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

// `catalyst status | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UsageError || (err as Error)?.name === 'SettingsError') {
    process.stderr.write(`catalyst: ${(err as Error).message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`catalyst: ${(err as Error)?.message ?? String(err)}\n`);
    if (process.env.CATALYST_DEBUG) process.stderr.write(`${(err as Error)?.stack}\n`);
    process.exitCode = 1;
  }
}

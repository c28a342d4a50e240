/**
 * The chaos run (test/chaos/runChaos.ts): one simulated day with the worker SIGKILLed at seeded
 * moments, the Temporal dev server restarted, the database cut and broker faults throughout;
 * then the broker against the database. The last stdout line is one JSON object:
 * {kills, duplicateClientOrderIds, ordersAtBrokerNotInDb, dbOrdersNotAtBroker, positionsMismatched,
 *  openPositionsAtClose, openOrdersAtClose, status, …}; exit 0 only when every count is zero, every
 * strike happened and the day completed.
 *
 *   npm run chaos -- --seed 13 --kills 5 [--json] [--speed 60] [--date 2026-11-24]
 */
import { parseArgs } from 'node:util';
import { isTradingDay } from '../src/domain/calendar';
import { parseFaultSpec } from '../src/sim/http/faultsSpec';
import { ChaosPlanError } from '../test/chaos/chaosPlan';
import { DEFAULT_DATE, DEFAULT_FAULTS, DEFAULT_SPEED, runChaos } from '../test/chaos/runChaos';

const USAGE = `usage: npm run chaos -- --seed <n> --kills <n> [--json] [--speed x] [--date YYYY-MM-DD]
  [--faults spec] [--config-dir dir] [--workflow-bundle file] [--run-dir dir] [--keep-db] [--timeout seconds]

  --seed             the plan's seed (when the strikes fall) and the simulator's (default 13)
  --kills            SIGKILLs of the worker: the first inside an entry placement, the second inside
                     the emergency stop, the rest at seeded moments (default 5)
  --speed            the simulator's clock speed (default ${DEFAULT_SPEED}); a killed worker's activities are
                     retried after wall-clock timeouts (up to 75 s), so high speeds leave no room
  --date             the session (default ${DEFAULT_DATE}; 2026-11-27 closes at 13:00)
  --faults           the simulator's fault spec (default "${DEFAULT_FAULTS}": 10 %)
  --config-dir       the worker's config (default: the project's with a 6 % stop and 18 % target, so that
                     Catalyst still holds shares when the halt arrives)
  --workflow-bundle  a prebuilt bundle (scripts/bundleWorkflows.ts) instead of bundling here
  --run-dir          where logs, the Temporal SQLite file and report.json go (default .catalyst/chaos/…)
  --keep-db          keep the throwaway PostgreSQL database
  --json             progress on stderr, only the JSON line on stdout`;

const COUNTS = new Set([
  'duplicateClientOrderIds',
  'ordersAtBrokerNotInDb',
  'dbOrdersNotAtBroker',
  'positionsMismatched',
  'openPositionsAtClose',
  'openOrdersAtClose',
  'orderStatesMismatched',
]);

function usage(message: string): never {
  process.stderr.write(`chaos: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function number(
  flag: string,
  text: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || !check(n)) usage(`${flag} ${JSON.stringify(text)} is not allowed`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      seed: { type: 'string' },
      kills: { type: 'string' },
      speed: { type: 'string' },
      date: { type: 'string' },
      faults: { type: 'string' },
      'config-dir': { type: 'string' },
      'workflow-bundle': { type: 'string' },
      'run-dir': { type: 'string' },
      'keep-db': { type: 'boolean' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  }).values;
} catch (err) {
  usage((err as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const seed = number('--seed', args.seed, 13, (n) => Number.isSafeInteger(n) && n >= 0);
const kills = number('--kills', args.kills, 5, (n) => Number.isSafeInteger(n) && n >= 0 && n <= 50);
const speed = number('--speed', args.speed, DEFAULT_SPEED, (n) => n > 0 && n <= 600);
const timeoutSeconds =
  args.timeout === undefined ? undefined : number('--timeout', args.timeout, 0, (n) => n > 0);
const date = args.date ?? DEFAULT_DATE;
if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isTradingDay(date))
  usage(`--date ${date} is not an NYSE trading day`);
const faults = args.faults ?? DEFAULT_FAULTS;
try {
  parseFaultSpec(faults);
} catch (err) {
  usage(`--faults: ${(err as Error).message}`);
}

const json = args.json === true;
const progress = (line: string): void => {
  (json ? process.stderr : process.stdout).write(`${line}\n`);
};

try {
  const outcome = await runChaos({
    seed,
    kills,
    speed,
    date,
    faults,
    ...(args['config-dir'] ? { configDir: args['config-dir'] } : {}),
    ...(args['workflow-bundle'] ? { workflowBundle: args['workflow-bundle'] } : {}),
    ...(args['run-dir'] ? { runDir: args['run-dir'] } : {}),
    keepDatabase: args['keep-db'] === true,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    log: progress,
  });
  if (!json)
    progress(
      outcome.ok
        ? 'chaos run passed: every count zero, every strike struck, the day completed'
        : `chaos run FAILED: ${[
            ...(outcome.line.status !== 'completed' ? [`status ${outcome.line.status}`] : []),
            ...Object.entries(outcome.line)
              .filter(([k, v]) => typeof v === 'number' && v > 0 && COUNTS.has(k))
              .map(([k, v]) => `${k} ${v}`),
            ...outcome.line.missed,
          ].join('; ')}`,
    );
  process.stdout.write(`${JSON.stringify(outcome.line)}\n`);
  process.exit(outcome.ok ? 0 : 1);
} catch (err) {
  if (err instanceof ChaosPlanError) usage(err.message);
  process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}

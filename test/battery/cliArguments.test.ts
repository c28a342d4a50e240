/**
 * Bad-input battery, category (b): bad command-line arguments, each run through the real CLI
 * (bin/catalyst.mjs, spawned by test/support/runCatalyst.ts) as a user would type it. Every row
 * must end before anything starts or connects, with:
 *  - exit code 2 (src/client/main.ts: usage errors and commander's complaints);
 *  - exactly one line on stderr, naming the bad argument;
 *  - nothing on stdout;
 *  - nothing left running or written: the process exited by itself, and its CATALYST_HOME (where
 *    a dev server, the database or the simulator would put their files) is still empty.
 *
 * The spawns (about a second each) run two at a time before the rows are checked.
 *
 * The battery's four files, one table of rows each: (a) test/battery/configFiles.test.ts,
 * (b) test/battery/cliArguments.test.ts, (c) test/e2e/badPayloads.test.ts (it needs the Temporal
 * dev server, so it runs in the `temporal` project), (d) test/battery/brokerResponses.test.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';

/** [name, arguments, the one stderr line expected] */
const rows: [string, string[], RegExp][] = [
  [
    'up --speed abc',
    ['up', '--speed', 'abc'],
    /^catalyst: --speed must be a number greater than 0 and at most 100000 \(got "abc"\)$/,
  ],
  ['up --seed -1', ['up', '--seed', '-1'], /^catalyst: --seed must be a whole number ≥ 0 \(got "-1"\)$/],
  [
    'up --mode yolo',
    ['up', '--mode', 'yolo'],
    /^catalyst: --mode must be supervised or autonomous \(got "yolo"\)$/,
  ],
  [
    'up --scenario meteor',
    ['up', '--scenario', 'meteor'],
    /^catalyst: --scenario: invalid market scenario "meteor": /,
  ],
  [
    'status --date 2026-02-30',
    ['status', '--date', '2026-02-30'],
    /^catalyst: --date must be a calendar date YYYY-MM-DD \(got "2026-02-30"\)$/,
  ],
  [
    'status --jsn (a typo)',
    ['status', '--jsn'],
    /^catalyst: unknown option '--jsn' \(did you mean --json\?\); see --help$/,
  ],
  ['status with an extra argument', ['status', 'today'], /^catalyst: too many arguments for 'status'\./],
  [
    'sim --port 70000',
    ['sim', '--port', '70000'],
    /^catalyst: --port must be a TCP port 1\.\.65535 \(got "70000"\)$/,
  ],
  [
    'sim --faults nonsense',
    ['sim', '--faults', 'nonsense'],
    /^catalyst: --faults: bad fault rule "nonsense": /,
  ],
  [
    'up --workflow-bundle of a missing file',
    ['up', '--workflow-bundle', 'no/such/bundle.js'],
    /^catalyst: --workflow-bundle: no file \/.*no\/such\/bundle\.js \(build one with `node --import tsx scripts\/bundleWorkflows\.ts no\/such\/bundle\.js`\)$/,
  ],
  [
    'sim --market-fills sometimes',
    ['sim', '--market-fills', 'sometimes'],
    /^catalyst: --market-fills must be next-open or on-arrival \(got "sometimes"\)$/,
  ],
  [
    'sim --holdings AAPL:-5',
    ['sim', '--holdings', 'AAPL:-5'],
    /^catalyst: --holdings: invalid holdings "AAPL:-5": .*quantity "-5" is not a whole number/,
  ],
  [
    'status --date of 5,000 characters (quoted in part, one short line)',
    ['status', '--date', 'x'.repeat(5000)],
    /^catalyst: --date must be a calendar date YYYY-MM-DD \(got "x{39}… \(5000 characters\)\)$/,
  ],
  ['mode yolo', ['mode', 'yolo'], /^catalyst: mode must be supervised or autonomous \(got "yolo"\)$/],
  [
    'halt --venue moon',
    ['halt', '--reason', 'test', '--venue', 'moon'],
    /^catalyst: --venue must be simulator, paper or live \(got "moon"\)$/,
  ],
  [
    'halt without --reason',
    ['halt'],
    /^catalyst: required option '--reason <text>' not specified; see --help$/,
  ],
  ['an unknown command', ['frobnicate'], /^catalyst: unknown command 'frobnicate'; see --help$/],
  [
    'config validate --file settings.txt',
    ['config', 'validate', '--file', 'settings.txt'],
    /^catalyst: --file \S*settings\.txt: the name must end in trading_config\.yaml or risk_parameters\.yaml/,
  ],
];

const homes: string[] = [];
const runs = new Map<string, { run: CatalystRun; home: string }>();

/** Runs `jobs` at most `n` at a time. */
async function limited<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

beforeAll(async () => {
  await limited(
    2,
    rows.map(([name, args]) => async () => {
      const home = mkdtempSync(join(tmpdir(), 'catalyst-battery-cli-'));
      homes.push(home);
      const run = await runCatalyst(
        args,
        {
          CATALYST_HOME: home,
          // Unreachable on purpose: a command that tried to connect would fail with exit 1, not 2.
          TEMPORAL_ADDRESS: '127.0.0.1:1',
          DATABASE_URL: undefined,
          ALPACA_API_KEY: undefined,
          ALPACA_SECRET_KEY: undefined,
          ALPACA_BASE_URL: undefined,
        },
        30_000,
      );
      runs.set(name, { run, home });
    }),
  );
}, 120_000);

afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('bad-input battery (b): CLI arguments', () => {
  it.each(rows)('%s', (name, _args, expected) => {
    const { run, home } = runs.get(name)!;
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(readdirSync(home), 'nothing started or written').toEqual([]);
  });
});

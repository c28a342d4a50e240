/**
 * `npm run bench`: the project's sub-benches, each a named entry of BENCHES below.
 *
 *   npm run bench                       every sub-bench, one human-readable report each
 *   npm run bench -- indicators         only the named ones (any number of names)
 *   npm run bench -- --json [names…]    exactly one JSON line on stdout, {"<name>": {…}, …};
 *                                       progress goes to stderr
 *   npm run bench -- halt-latency --halts 5 --speed 60
 *                                       a sub-bench's own numeric options (`--help` lists them):
 *                                       after its name they are its alone, before any name they
 *                                       go to every selected sub-bench that has them
 *
 * To add a sub-bench, export a SubBench from its own file and list it in BENCHES: its name is both
 * the argument that selects it and its key in the JSON. (`npm run bench:backtest` is separate: it
 * starts the whole stack.)
 */
import { cycleBench } from './cycle';
import { cycleProfileBench } from './cycleProfile';
import { evaluateBench } from './evaluate';
import { haltLatencyBench } from './haltLatency';
import { historyEventsBench } from './historyEvents';
import { indicatorBench } from './indicators';
import { sentimentBench } from './sentiment';
import { simMemoryBench } from './simMemory';
import { workerMemoryBench } from './workerMemory';
import { workerThroughputBench } from './workerThroughput';

export interface BenchOutcome {
  /** This sub-bench's entry in the `--json` line. */
  json: Record<string, unknown>;
  /** The human-readable report (Markdown tables and notes). */
  table: string;
}

/** A numeric flag of one sub-bench (`--name value`), with its default. */
export interface BenchOption {
  default: number;
  help: string;
}

export interface SubBench {
  name: string;
  summary: string;
  /** Its own flags, by name without the dashes; each run gets every one (defaults filled in). */
  options?: Readonly<Record<string, BenchOption>>;
  run(log: (line: string) => void, options: Readonly<Record<string, number>>): Promise<BenchOutcome>;
}

const BENCHES: readonly SubBench[] = [
  indicatorBench,
  sentimentBench,
  cycleBench,
  cycleProfileBench,
  evaluateBench,
  haltLatencyBench,
  workerMemoryBench,
  simMemoryBench,
  historyEventsBench,
  workerThroughputBench,
];

function usage(): string {
  return [
    'usage: npm run bench -- [--json] [name…] [--option value…]',
    ...BENCHES.flatMap((b) => [
      `  ${b.name.padEnd(17)} ${b.summary}`,
      ...Object.entries(b.options ?? {}).map(
        ([flag, o]) => `  ${''.padEnd(17)}   --${flag} <n>: ${o.help} (default ${o.default})`,
      ),
    ]),
  ].join('\n');
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage());
  process.exit(0);
}
const asJson = args.includes('--json');
const names: string[] = [];
/** A flag after a sub-bench's name is that sub-bench's alone (key `name`); one before any name is everyone's (key ''). */
const given = new Map<string, Map<string, number>>();
const unknown: string[] = [];
let owner = '';
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--json') continue;
  if (!a.startsWith('-')) {
    if (BENCHES.some((b) => b.name === a)) names.push((owner = a));
    else unknown.push(a);
    continue;
  }
  const flag = a.replace(/^--?/, '');
  const value = Number(args[i + 1]);
  const declared = BENCHES.some((b) => (owner === '' || b.name === owner) && b.options?.[flag]);
  if (!declared || args[i + 1] === undefined || !Number.isFinite(value))
    unknown.push(
      `${a}${args[i + 1] === undefined ? '' : ` ${args[i + 1]}`}${owner ? ` (for ${owner})` : ''}`,
    );
  else given.set(owner, (given.get(owner) ?? new Map()).set(flag, value));
  i += 1;
}
const selected = names.length > 0 ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
// A flag must belong to a sub-bench that runs: one meant for another would silently change nothing.
for (const flag of given.get('')?.keys() ?? [])
  if (!selected.some((b) => b.options?.[flag]))
    unknown.push(`--${flag} (not an option of the selected benches)`);
if (unknown.length > 0) {
  console.error(`unknown: ${unknown.join(' ')}\n${usage()}`);
  process.exit(2);
}
const optionsOf = (bench: SubBench): Record<string, number> =>
  Object.fromEntries(
    Object.entries(bench.options ?? {}).map(([flag, o]) => [
      flag,
      given.get(bench.name)?.get(flag) ?? given.get('')?.get(flag) ?? o.default,
    ]),
  );

// With --json, stdout carries the JSON line only.
const log = (line: string): void => void (asJson ? console.error(line) : console.log(line));
const results: Record<string, Record<string, unknown>> = {};
for (const bench of selected) {
  const outcome = await bench.run(log, optionsOf(bench));
  results[bench.name] = outcome.json;
  if (!asJson) console.log(`\n${outcome.table}\n`);
}
if (asJson) console.log(JSON.stringify(results));

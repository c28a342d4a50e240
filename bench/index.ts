/**
 * `npm run bench`: the project's sub-benches, each a named entry of BENCHES below.
 *
 *   npm run bench                       every sub-bench, one human-readable report each
 *   npm run bench -- indicators         only the named ones (any number of names)
 *   npm run bench -- --json [names…]    exactly one JSON line on stdout, {"<name>": {…}, …};
 *                                       progress goes to stderr
 *
 * To add a sub-bench, export a SubBench from its own file and list it in BENCHES: its name is both
 * the argument that selects it and its key in the JSON. (`npm run bench:backtest` is separate: it
 * starts the whole stack.)
 */
import { cycleBench } from './cycle';
import { cycleProfileBench } from './cycleProfile';
import { evaluateBench } from './evaluate';
import { indicatorBench } from './indicators';
import { sentimentBench } from './sentiment';

export interface BenchOutcome {
  /** This sub-bench's entry in the `--json` line. */
  json: Record<string, unknown>;
  /** The human-readable report (Markdown tables and notes). */
  table: string;
}

export interface SubBench {
  name: string;
  summary: string;
  run(log: (line: string) => void): Promise<BenchOutcome>;
}

const BENCHES: readonly SubBench[] = [
  indicatorBench,
  sentimentBench,
  cycleBench,
  cycleProfileBench,
  evaluateBench,
];

function usage(): string {
  return [
    'usage: npm run bench -- [--json] [name…]',
    ...BENCHES.map((b) => `  ${b.name.padEnd(14)} ${b.summary}`),
  ].join('\n');
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage());
  process.exit(0);
}
const asJson = args.includes('--json');
const unknownFlags = args.filter((a) => a.startsWith('-') && a !== '--json');
const names = args.filter((a) => !a.startsWith('-'));
const unknownNames = names.filter((n) => !BENCHES.some((b) => b.name === n));
if (unknownFlags.length > 0 || unknownNames.length > 0) {
  console.error(`unknown: ${[...unknownFlags, ...unknownNames].join(' ')}\n${usage()}`);
  process.exit(2);
}
const selected = names.length > 0 ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;

// With --json, stdout carries the JSON line only.
const log = (line: string): void => void (asJson ? console.error(line) : console.log(line));
const results: Record<string, Record<string, unknown>> = {};
for (const bench of selected) {
  const outcome = await bench.run(log);
  results[bench.name] = outcome.json;
  if (!asJson) console.log(`\n${outcome.table}\n`);
}
if (asJson) console.log(JSON.stringify(results));

/**
 * `catalyst doctor`: is this machine ready to run Catalyst, and if not, what to do. One line per
 * check (ok / warn / FAIL, with its one-line fix), then the verdict; with --json, one JSON object
 * on stdout. Exit 0 when no check fails (warnings allowed), 1 otherwise. Every check is bounded
 * in time and closes what it opened, so the command ends even with every service unreachable.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckResult, CheckStatus } from '../stack/doctor/checkResult';
import { DEFAULT_CHECK_TIMEOUT_MS, runDoctor, type DoctorReport } from '../stack/doctor/runDoctor';
import { colour, createOutput } from './output';
import { projectDir } from './projectDir';

export interface DoctorCommandOptions {
  json: boolean;
  configDir?: string;
  /** Per network step, in seconds. */
  timeout?: number;
}

/** What a leaked socket may cost after the verdict before the process ends anyway. */
const EXIT_GRACE_MS = 3_000;

export async function doctorCommand(opts: DoctorCommandOptions): Promise<void> {
  const out = createOutput(opts.json);
  const root = projectDir();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  const home = resolve(process.env.CATALYST_HOME ?? join(root, '.catalyst'));
  const report = await runDoctor({
    env: process.env,
    projectDir: root,
    home,
    configDir: resolve(opts.configDir ?? join(root, 'config')),
    timeoutMs: opts.timeout !== undefined ? Math.round(opts.timeout * 1000) : DEFAULT_CHECK_TIMEOUT_MS,
  });
  out.result({ ...report, version, node: process.version, home }, () => {
    out.info(colour.bold(`catalyst ${version} doctor (Node ${process.version}, CATALYST_HOME ${home})`));
    for (const line of formatChecks(report.checks)) out.info(line);
    out.info(verdict(report));
  });
  process.exitCode = report.ok ? 0 : 1;

  // Every check closes its connections; should a library still hold a socket, the verdict stands
  // and the process ends anyway (the timer itself keeps nothing alive).
  setTimeout(() => {
    process.stderr.write('catalyst doctor: a connection was still open after the checks; exiting\n');
    process.exit();
  }, EXIT_GRACE_MS).unref();
}

const LABEL: Record<CheckStatus, (s: string) => string> = {
  ok: colour.green,
  warn: colour.yellow,
  fail: colour.red,
};
const WORD: Record<CheckStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL' };

/** One line a check: status, name, what was found and, when something is to be done, the fix. */
export function formatChecks(checks: CheckResult[]): string[] {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks.map(
    (c) =>
      `${LABEL[c.status](WORD[c.status].padEnd(4))}  ${c.name.padEnd(width)}  ${c.detail}${c.fix ? `  ${colour.dim(`→ fix: ${c.fix}`)}` : ''}`,
  );
}

function verdict(report: DoctorReport): string {
  const { ok, warn, fail } = report.counts;
  const tally = `${ok} ok, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failure${fail === 1 ? '' : 's'}`;
  if (!report.ok) {
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.name);
    return colour.red(`${tally}: not ready (${failed.join(', ')})`);
  }
  return warn > 0 ? colour.yellow(`${tally}: ready, with warnings`) : colour.green(`${tally}: ready`);
}

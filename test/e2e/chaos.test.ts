/**
 * The chaos run, short: `scripts/chaos.ts` as `npm run chaos` runs it, in a process of its own,
 * with its own Temporal dev server (it restarts it mid-day, so the shared one of the global setup
 * will not do; only the global setup's workflow bundle is borrowed), its own simulator process,
 * `catalyst worker` processes and a throwaway database. The early-close session of 2026-11-27 at
 * ×200: the worker is SIGKILLed inside an entry placement (the simulator accepted the order, the
 * worker never heard) and inside the emergency stop, Temporal restarts, the database is cut for
 * two market minutes, one broker call in ten fails, and an operator halts the day. Then the broker
 * and the database must agree exactly and nothing may be left open.
 *
 * Its wall time (~75 s) is the session's at ×200 plus start-up: a killed worker's activities are
 * retried after their 10 s heartbeat timeout, which leaves the plan room at this speed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_DIR } from '../chaos/runChaos';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runChaosScript(args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_DIR, 'scripts/chaos.ts'), ...args],
      {
        cwd: PROJECT_DIR,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // SIGINT: the script stops everything it started before it exits.
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the chaos run (short): kills, a Temporal restart, a database cut, faults and a halt', () => {
  let run: Run;
  let line: Record<string, unknown>;
  let runDir: string;

  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'catalyst-chaos-'));
    run = await runChaosScript(
      [
        ...['--seed', '13', '--kills', '2', '--speed', '200', '--date', '2026-11-27', '--json'],
        ...['--workflow-bundle', inject('workflowBundlePath'), '--run-dir', runDir],
      ],
      230_000,
    );
    line = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    if (run.code === 0) rmSync(runDir, { recursive: true, force: true });
    else process.stderr.write(`chaos run failed; its files are in ${runDir}\n${run.stderr.slice(-6000)}\n`);
  }, 240_000);

  it('ends with every count zero and the day completed, exit 0', () => {
    expect(line, run.stderr.slice(-4000)).toMatchObject({
      duplicateClientOrderIds: 0,
      ordersAtBrokerNotInDb: 0,
      dbOrdersNotAtBroker: 0,
      positionsMismatched: 0,
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
      orderStatesMismatched: 0,
      status: 'completed',
      missed: [],
      workerCrashes: 0,
    });
    expect(run.code).toBe(0);
  });

  it('struck as planned: two SIGKILLs (placement, emergency stop), a Temporal restart, a database cut, faults, a halt', () => {
    expect(line.kills).toBeGreaterThanOrEqual(2);
    expect(line).toMatchObject({ temporalRestarts: 1, databaseCuts: 1, halts: 1 });
    expect(line.faultsInjected).toBeGreaterThan(0);
    expect(run.stderr).toMatch(
      /SIGKILL #1 \(placement\) .* POST \/v2\/orders → 200 for cat-20261127-c\d+-\S+-entry/,
    );
    expect(run.stderr).toMatch(
      /SIGKILL #2 \(halt\) .* (DELETE \/v2\/orders\/\S+ → 20\d|POST \/v2\/orders → 200 for \S+-exit-a\d+)/,
    );
  });

  it('the order whose answer died with the worker is in the database', () => {
    expect(line.placementRecovery).toMatch(/^cat-20261127-c\d+-\S+-entry in the database: /);
  });
});

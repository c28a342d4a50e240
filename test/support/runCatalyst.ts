/** Runs `catalyst <args>` through bin/catalyst.mjs to its end, as a user would, and keeps what it printed. */
import { spawn } from 'node:child_process';
import { PROJECT_DIR } from './catalystHarness';

export interface CatalystRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall milliseconds from spawn to exit. */
  ms: number;
}

export function runCatalyst(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  /** Piped to its stdin (then closed); without it stdin is closed from the start. */
  stdin?: string,
): Promise<CatalystRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/catalyst.mjs', ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`catalyst ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

/** Runs `catalyst <args>` through bin/catalyst.mjs as a user would, and keeps what it printed. */
import { spawn } from 'node:child_process';
import { PROJECT_DIR } from './catalystHarness';

export interface CatalystRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall milliseconds from spawn to exit. */
  ms: number;
}

/** A `catalyst` process still running: what it printed so far, and its end. */
export interface RunningCatalyst {
  stdout(): string;
  stderr(): string;
  exited: Promise<CatalystRun>;
  /** Default SIGKILL; SIGINT is a user's Ctrl-C. */
  kill(signal?: NodeJS.Signals): void;
}

export function startCatalyst(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  /** Piped to its stdin (then closed); without it stdin is closed from the start. */
  stdin?: string,
): RunningCatalyst {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/catalyst.mjs', ...args], {
    cwd: PROJECT_DIR,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<CatalystRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`catalyst ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': at 'exit' the last of stderr may still be in the pipe (a loaded machine
    // showed an exit 2 with its one line missing). A grandchild holding the pipe open cannot hang
    // it: 2 s after the exit it resolves with what arrived.
    let exitMs = 0;
    const finish = (code: number | null): void => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: (exitMs || performance.now()) - started });
    };
    child.on('exit', (code) => {
      exitMs = performance.now();
      setTimeout(() => finish(code), 2_000).unref();
    });
    child.on('close', (code) => finish(code));
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
  };
}

export function runCatalyst(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  stdin?: string,
): Promise<CatalystRun> {
  return startCatalyst(args, env, timeoutMs, stdin).exited;
}

/** The embedded simulator and a fresh PGlite in `home`: never keys or a database of the environment. */
export const simulatorEnv = (home: string, temporalAddress: string): NodeJS.ProcessEnv => ({
  CATALYST_HOME: home,
  TEMPORAL_ADDRESS: temporalAddress,
  DATABASE_URL: undefined,
  ALPACA_API_KEY: undefined,
  ALPACA_SECRET_KEY: undefined,
  ALPACA_BASE_URL: undefined,
});

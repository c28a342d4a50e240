/**
 * `catalyst worker` in a process of its own, as an operator runs it, restarted with the same
 * environment after every kill. Each incarnation writes its output to its own log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface WorkerIncarnation {
  n: number;
  pid: number;
  logFile: string;
  startedAtMs: number;
  /** Wall ms from spawn to `worker ready`. */
  readyAfterMs: number;
  /** Resolves with the exit code (null) and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The output so far (also in logFile). */
  output(): string;
}

export interface WorkerSupervisor {
  current(): WorkerIncarnation | null;
  /** Incarnations started so far. */
  incarnations(): readonly WorkerIncarnation[];
  /** Starts one; retries a start-up that fails (e.g. Temporal restarting) until `deadlineMs` of wall time. */
  start(): Promise<WorkerIncarnation>;
  /** SIGKILL now (synchronous: the signal is sent before this returns). Null when none runs (or it is still starting). */
  killNow(): WorkerIncarnation | null;
  /** Drains the current one with SIGTERM (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

export interface WorkerSupervisorOptions {
  projectDir: string;
  logDir: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A start that does not say `worker ready` within this is killed and tried again. */
  startTimeoutMs?: number;
  log: (line: string) => void;
}

export function workerSupervisor(o: WorkerSupervisorOptions): WorkerSupervisor {
  const all: WorkerIncarnation[] = [];
  let running: { inc: WorkerIncarnation; child: ChildProcess } | null = null;

  const spawnOnce = async (): Promise<WorkerIncarnation> => {
    const n = all.length + 1;
    const logFile = join(o.logDir, `worker-${n}.log`);
    const log = createWriteStream(logFile);
    const started = Date.now();
    const child = spawn(process.execPath, [join(o.projectDir, 'bin/catalyst.mjs'), 'worker', ...o.args], {
      cwd: o.projectDir,
      env: o.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (d: Buffer): void => {
      output += d.toString();
      log.write(d);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        log.end();
        if (running?.child === child) running = null;
        resolve({ code, signal });
      }),
    );
    const inc: WorkerIncarnation = {
      n,
      pid: child.pid!,
      logFile,
      startedAtMs: started,
      readyAfterMs: -1,
      exited,
      output: () => output,
    };
    all.push(inc);
    const timeoutMs = o.startTimeoutMs ?? 60_000;
    const ready = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        if (output.includes('worker ready')) done(true);
        else if (Date.now() - started > timeoutMs) done(false);
      }, 20);
      const done = (ok: boolean): void => {
        clearInterval(poll);
        resolve(ok);
      };
      void exited.then(() => done(false));
    });
    if (!ready) {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      throw new Error(
        `worker ${n} did not start (see ${logFile}): ${output.trim().split('\n').slice(-2).join(' | ')}`,
      );
    }
    inc.readyAfterMs = Date.now() - started;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`worker ${n} exited right after it said it was ready (see ${logFile})`);
    running = { inc, child };
    return inc;
  };

  return {
    current: () => running?.inc ?? null,
    incarnations: () => all,
    async start() {
      const deadline = Date.now() + (o.startTimeoutMs ?? 60_000) * 2;
      for (;;) {
        try {
          return await spawnOnce();
        } catch (err) {
          if (Date.now() > deadline) throw err;
          o.log(`${(err as Error).message}; starting it again`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
    killNow() {
      if (!running) return null;
      const { inc, child } = running;
      running = null;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return inc;
    },
    async stop(graceMs = 15_000) {
      if (!running) return;
      const { inc, child } = running;
      running = null;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await inc.exited;
      clearTimeout(timer);
    },
  };
}

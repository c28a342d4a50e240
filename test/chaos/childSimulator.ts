/**
 * The parent's side of simProcess.ts: starts the simulator in its own process and talks to it
 * over IPC. The worker reaches it over HTTP only (through the broker proxy); this channel is the
 * harness's control of the market clock and the fault injection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions } from '../../src/sim/startSimulator';
import type { SimReady, SimReply, SimRequest } from './simProcess';

type Op = SimRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface ChildSimulator {
  url: string;
  port: number;
  pid: number;
  nowMs(): Promise<number>;
  sessionDate(): Promise<string>;
  prepareSession(): Promise<void>;
  advanceTo(ms: number): Promise<void>;
  setFaults(spec: string | null): Promise<void>;
  faultCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

const SIM_PROCESS = fileURLToPath(new URL('./simProcess.ts', import.meta.url));

export async function startChildSimulator(
  options: SimulatorOptions,
  /** Where the process's own output goes. */
  logFile: string,
): Promise<ChildSimulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', SIM_PROCESS, JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  child.on('message', (m: SimReply | SimReady) => {
    if ('ready' in m) return;
    const waiter = pending.get(m.id);
    if (!waiter) return;
    pending.delete(m.id);
    if (m.ok) waiter.resolve(m.value);
    else waiter.reject(new Error(`simulator: ${m.error}`));
  });
  void exit.then(() => {
    for (const w of pending.values()) w.reject(new Error('the simulator process exited'));
    pending.clear();
  });

  const ready = await new Promise<SimReady>((resolve, reject) => {
    const onMessage = (m: SimReply | SimReady): void => {
      if ('ready' in m) {
        child.off('message', onMessage);
        resolve(m);
      }
    };
    child.on('message', onMessage);
    void exit.then(() => reject(new Error(`the simulator process exited during start-up; see ${logFile}`)));
  });

  const call = <T>(op: Op): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('the simulator process has exited'));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...op, id } as SimRequest);
    });

  return {
    url: ready.url,
    port: ready.port,
    pid: child.pid!,
    nowMs: () => call<number>({ op: 'now' }),
    sessionDate: () => call<string>({ op: 'sessionDate' }),
    prepareSession: () => call<void>({ op: 'prepare' }),
    advanceTo: (ms) => call<void>({ op: 'advanceTo', ms }),
    setFaults: (spec) => call<void>({ op: 'setFaults', spec }),
    faultCounts: () => call<Record<string, number>>({ op: 'faultCounts' }),
    async close() {
      if (exited) return;
      await call<void>({ op: 'close' }).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
      log.end();
    },
  };
}

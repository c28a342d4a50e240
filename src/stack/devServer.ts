import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_CLI_ARGS } from '../shared';

/**
 * The server's timer queue may shift a timer up to a second (history.timerProcessorMaxTimeShift),
 * so every sub-second timer fires about a second late. At simulator speeds a market minute is a
 * tenth of a second of wall time: without this, the monitor would tick every ten market minutes.
 * Measured on this dev server: twenty 50 ms timers took 20.1 s by default and 3.5 s with it.
 */
export const DEV_SERVER_LATENCY_ARGS = [
  '--dynamic-config-value',
  'history.timerProcessorMaxTimeShift="1ms"',
  // The one history shard polls its task queues at 20/s by default: every activity and workflow
  // task dispatch waits its turn, so a sequence of activities costs 100 ms a step (measured
  // 2.5 s for 30; 0.27 s with these). A simulated day is thousands of such steps.
  '--dynamic-config-value',
  'history.transferProcessorMaxPollRPS=10000',
  '--dynamic-config-value',
  'history.timerProcessorMaxPollRPS=10000',
  // The worker asks for the activities a workflow task schedules to come back in the task's
  // answer (eager execution); the server grants it only with this on: one round trip less each.
  '--dynamic-config-value',
  'system.enableActivityEagerExecution=true',
];

export interface DevServerOptions {
  cliPath: string;
  /** Directory for the SQLite state file and the server log. */
  stateDir: string;
  ip?: string;
  port?: number;
  uiPort?: number;
  /** Keep workflow history across restarts (the embedded default); tests use an in-memory store. */
  persistent?: boolean;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

export function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `temporal server start-dev` bound to loopback, with Catalyst's search attributes registered. */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  if (await portAnswers(ip, port)) {
    throw new Error(
      `port ${ip}:${port} is already in use — is another \`catalyst up\` running? Stop it, or set TEMPORAL_ADDRESS to use that server.`,
    );
  }
  mkdirSync(options.stateDir, { recursive: true });
  const logFile = join(options.stateDir, 'temporal-server.log');
  const logFd = openSync(logFile, 'a');
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--log-level',
    'warn',
  ];
  if (options.persistent !== false) args.push('--db-filename', join(options.stateDir, 'temporal.sqlite'));
  for (const sa of SEARCH_ATTRIBUTE_CLI_ARGS) args.push('--search-attribute', sa);
  args.push(...DEV_SERVER_LATENCY_ARGS);
  const child: ChildProcess = spawn(options.cliPath, args, { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited: number | null = null;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code ?? -1;
      resolve();
    }),
  );

  const deadline = Date.now() + 60_000;
  while (!(await portAnswers(ip, port))) {
    if (exited !== null)
      throw new Error(`the Temporal dev server exited with code ${exited} during start-up; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the Temporal dev server did not open ${ip}:${port} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `${ip}:${port}`,
    uiUrl: `http://${ip}:${uiPort}`,
    logFile,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/**
 * The chaos run: one simulated trading day with the simulator in its own process and
 * `catalyst worker` in another, struck at seeded moments —
 *
 *  - the worker SIGKILLed `kills` times: once the moment the simulator accepted an entry order
 *    (its answer held in the broker proxy, so the worker never records it), once on the first
 *    cancel or exit after an operator's halt (inside the emergency stop), the rest at plain
 *    moments; restarted with the same environment after each;
 *  - the Temporal dev server stopped and started again mid-day (its SQLite file kept, same port);
 *  - the database cut for two market minutes (a TCP proxy that resets every connection);
 *  - broker faults on one request in ten all day, and one `catalyst halt --reason chaos`;
 *
 * then, once the day has ended, the broker's record (read straight from the simulator) against
 * the database. The worker trades the project's configuration with a wider bracket
 * (chaosConfig.ts), so that the halt finds shares to sell. Everything listens on 127.0.0.1 only;
 * the keys are the run's own and never printed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { PlaceBracketOrderInput, PlacementResult } from '../../src/activities/types';
import { readBook } from '../../src/activities/reconciliation';
import { createAlpacaBroker } from '../../src/broker/alpacaBroker';
import type { Broker } from '../../src/broker/port';
import { createDatabase, type Database } from '../../src/db/createDatabase';
import { riskEventsForDay } from '../../src/db/repositories/riskEvents';
import { isTradingDay, sessionBoundsMs, toNyIso } from '../../src/domain/calendar';
import { clientOrderId, parseClientOrderId } from '../../src/domain/clientOrderId';
import { positionMonitorWorkflowId } from '../../src/shared';
import { loadTradingConfig } from '../../src/settings/loadSettings';
import { startDevServer, type RunningDevServer } from '../../src/stack/devServer';
import { provisionTemporalCli } from '../../src/stack/temporalCli';
import { workflowsPath } from '../../src/worker';
import type { TradingDayResult } from '../../src/workflows/messages';
import { freePort } from '../support/freePort';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';
import { auditBook, loadAuditInput, type AuditReport } from './bookAudit';
import { startBrokerProxy, type BrokerProxy, type ProxiedExchange } from './brokerProxy';
import { writeChaosConfig } from './chaosConfig';
import { planChaos, settleMs, MINUTE_MS, type ChaosPlan } from './chaosPlan';
import { startChildSimulator, type ChildSimulator } from './childSimulator';
import { startTcpProxy, type TcpProxy } from './tcpProxy';
import { workerSupervisor, type WorkerIncarnation, type WorkerSupervisor } from './workerProcess';
import { temporalInterceptors } from '../../src/stack/temporalConnection';
import { quietLogger } from '../support/quietLogger';

export const PROJECT_DIR = resolve(import.meta.dirname, '../..');

/** One broker request in ten fails: 500s before the route runs; drops and held-back answers after it ran. */
export const DEFAULT_FAULTS = '500:0.04,drop:0.03,timeout:0.03';
export const DEFAULT_SPEED = 60;
export const DEFAULT_DATE = '2026-11-24';
/** Wall seconds the halt kill waits for the emergency stop's first cancel or exit. */
const HALT_KILL_WAIT_SECONDS = 30;

export interface ChaosOptions {
  seed: number;
  kills: number;
  speed: number;
  date: string;
  faults: string;
  /**
   * The worker's config directory. Default: the project's, with the bracket widened (stop 6 %,
   * target 18 %, see chaosConfig) so that Catalyst still holds shares when the halt arrives.
   */
  configDir?: string;
  /** A prebuilt workflow bundle (scripts/bundleWorkflows.ts); otherwise built here. */
  workflowBundle?: string;
  /** Where logs, the Temporal SQLite file and the report go; default .catalyst/chaos/<time>-seed<s>. */
  runDir?: string;
  /** Keep the throwaway database (its name is in the report). */
  keepDatabase?: boolean;
  /** Give up waiting for the day after this many wall seconds. */
  timeoutSeconds?: number;
  log: (line: string) => void;
}

export interface KillRecord {
  n: number;
  kind: 'placement' | 'halt' | 'timed';
  worker: number;
  pid: number;
  at: string;
  /** The request whose answer the worker never got (placement and halt kills). */
  request?: string;
  clientOrderId?: string;
  brokerOrderId?: string;
  /** Wall ms until the next worker said `worker ready`. */
  restartMs?: number;
}

export interface ChaosLine {
  kills: number;
  duplicateClientOrderIds: number;
  ordersAtBrokerNotInDb: number;
  dbOrdersNotAtBroker: number;
  positionsMismatched: number;
  openPositionsAtClose: number;
  openOrdersAtClose: number;
  status: string;
  orderStatesMismatched: number;
  /** Required strikes that did not happen (each fails the run). */
  missed: string[];
  /** How the order whose answer the placement kill swallowed reached the database. */
  placementRecovery: string | null;
  workerCrashes: number;
  temporalRestarts: number;
  databaseCuts: number;
  halts: number;
  faultsInjected: number;
  brokerOrders: number;
  ordersSubmitted: number | null;
  seed: number;
  speed: number;
  date: string;
  wallSeconds: number;
  runDir: string;
}

export interface ChaosOutcome {
  ok: boolean;
  line: ChaosLine;
  /** Everything else, also written to <runDir>/report.json. */
  report: Record<string, unknown>;
}

const WORKER_ENV_KEEP = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'TZ',
  'XDG_CACHE_HOME',
  'CATALYST_CACHE_DIR',
];

/** A clean environment: nothing of the caller's Alpaca, SMTP, database or Temporal settings leaks in. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const k of WORKER_ENV_KEEP) if (process.env[k] !== undefined) env[k] = process.env[k];
  // Empty counts as unset (src/settings/env.ts): a .env in the project cannot switch these on.
  for (const k of [
    'SMTP_HOST',
    'METRICS_PORT',
    'TEMPORAL_API_KEY',
    'TEMPORAL_TLS',
    'TRADING_MODE',
    'ENABLE_LIVE_TRADING',
  ])
    env[k] = '';
  return env;
}

const hhmmss = (ms: number): string => toNyIso(ms).slice(11, 19);

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(PROJECT_DIR, 'bin/catalyst.mjs'), ...args], {
      cwd: PROJECT_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

const lastJson = (text: string): Record<string, unknown> | null => {
  const line = text.trim().split('\n').at(-1);
  try {
    return line ? (JSON.parse(line) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** Retries what talks to a server the chaos may be restarting. */
async function patiently<T>(what: () => Promise<T>, attempts = 40, pauseMs = 500): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await what();
    } catch (err) {
      if (i >= attempts) throw err;
      await sleep(pauseMs);
    }
  }
}

export async function runChaos(o: ChaosOptions): Promise<ChaosOutcome> {
  const wallStart = Date.now();
  if (!isTradingDay(o.date)) throw new Error(`--date ${o.date} is not an NYSE trading day`);
  const bounds = sessionBoundsMs(o.date)!;
  const runDir =
    o.runDir ??
    join(
      PROJECT_DIR,
      '.catalyst',
      'chaos',
      `${new Date().toISOString().replace(/[:.]/g, '-')}-seed${o.seed}`,
    );
  mkdirSync(runDir, { recursive: true });
  const configDir = o.configDir ? resolve(o.configDir) : writeChaosConfig(join(runDir, 'config'));
  const cfg = loadTradingConfig(configDir);
  const session = {
    openMs: bounds.openMs,
    closeMs: bounds.closeMs,
    firstCycleMs: bounds.openMs + cfg.workflow.first_cycle_after_open_minutes * MINUTE_MS,
    flattenMs: bounds.closeMs - cfg.workflow.flatten_before_close_minutes * MINUTE_MS,
  };
  const plan: ChaosPlan = planChaos({ seed: o.seed, kills: o.kills, speed: o.speed, session });
  const say = (line: string): void => {
    o.log(line);
    appendFileSync(join(runDir, 'chaos.log'), `${line}\n`);
  };
  say(
    `chaos run: seed ${o.seed}, ${o.kills} kills, speed ×${o.speed}, ${o.date}, faults ${o.faults}; files in ${runDir}`,
  );
  say(
    `plan: Temporal restart ${hhmmss(plan.temporalRestartAtMs)}, halt from ${hhmmss(plan.haltAtMs)}, database cut ${hhmmss(plan.databaseCutAtMs)} for ${plan.databaseCutMarketMs / MINUTE_MS} market minutes, ` +
      `placement kill on entry #${plan.placementKillEntry ?? '-'}, timed kills ${plan.timedKillsAtMs.map(hhmmss).join(' ') || '-'}; no strike after ${hhmmss(plan.chaosEndMs)}`,
  );

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async (): Promise<void> => {
    while (cleanups.length)
      await cleanups.pop()!().catch((err: unknown) => say(`cleanup: ${(err as Error).message}`));
  };
  const onSignal = (): void => {
    say('interrupted: stopping everything this run started');
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.push(async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  try {
    say(
      `config: ${configDir} (bracket ${cfg.positions.default_stop_loss_pct} % stop, ${cfg.positions.default_take_profit_pct} % target)`,
    );
    return await runDay({ ...o, configDir }, plan, session, runDir, say, cleanups, wallStart);
  } finally {
    await cleanup();
  }
}

async function runDay(
  o: ChaosOptions,
  plan: ChaosPlan,
  session: { openMs: number; closeMs: number; firstCycleMs: number; flattenMs: number },
  runDir: string,
  say: (line: string) => void,
  cleanups: (() => Promise<unknown>)[],
  wallStart: number,
): Promise<ChaosOutcome> {
  const keyId = `CHAOS${randomBytes(6).toString('hex').toUpperCase()}`;
  const secretKey = randomBytes(18).toString('hex');

  // The workflow bundle (seconds of webpack) while the servers start.
  const bundlePath = o.workflowBundle ?? join(runDir, 'workflow-bundle.js');
  const bundling = o.workflowBundle
    ? Promise.resolve()
    : bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger }).then(({ code }) =>
        writeFileSync(bundlePath, code),
      );
  bundling.catch(() => undefined); // awaited below; a failure before then must not go unhandled

  const temp: TempDatabase = await createTempDatabase();
  if (!o.keepDatabase) cleanups.push(() => temp.drop());
  const dbTarget = new URL(temp.url);
  const dbProxy: TcpProxy = await startTcpProxy({
    host: dbTarget.hostname,
    port: Number(dbTarget.port || 5432),
  });
  cleanups.push(() => dbProxy.close());
  const proxiedDbUrl = new URL(temp.url);
  proxiedDbUrl.hostname = '127.0.0.1';
  proxiedDbUrl.port = String(dbProxy.port);

  const cli = await provisionTemporalCli({ projectDir: PROJECT_DIR, log: say });
  if (!cli) throw new Error('the Temporal CLI is not available: run `npx catalyst provision-temporal` first');
  const temporalPort = await freePort();
  const uiPort = await freePort();
  const devServerOptions = {
    cliPath: cli.path,
    stateDir: join(runDir, 'temporal'),
    port: temporalPort,
    uiPort,
    persistent: true,
  };
  let dev: RunningDevServer = await startDevServer(devServerOptions);
  cleanups.push(() => dev.stop());
  say(
    `Temporal dev server on ${dev.address} (state ${join(devServerOptions.stateDir, 'temporal.sqlite')}, UI ${dev.uiUrl})`,
  );

  const sim: ChildSimulator = await startChildSimulator(
    { seed: o.seed, speed: o.speed, date: o.date, preOpenMinutes: 570, keyId, secretKey },
    join(runDir, 'simulator.log'),
  );
  cleanups.push(() => sim.close());
  say(
    `simulator (pid ${sim.pid}) on ${sim.url}, seed ${o.seed}, speed ×${o.speed}, session ${await sim.sessionDate()}`,
  );

  // ---- market time, as the simulator keeps it ----
  let anchor = { wall: Date.now(), market: await sim.nowMs() };
  const refreshClock = async (): Promise<void> => {
    const w0 = Date.now();
    const m = await sim.nowMs();
    anchor = { wall: (w0 + Date.now()) / 2, market: m };
  };
  const marketNow = (): number => anchor.market + (Date.now() - anchor.wall) * o.speed;
  const untilMarket = async (ms: number): Promise<void> => {
    for (;;) {
      await refreshClock();
      const left = ms - marketNow();
      if (left <= 0) return;
      await sleep(Math.max(5, Math.min(500, left / o.speed)));
    }
  };
  const events: { at: string; wallS: number; what: string }[] = [];
  const note = (what: string): void => {
    const at = hhmmss(marketNow());
    events.push({ at, wallS: Math.round((Date.now() - wallStart) / 100) / 10, what });
    say(`[${at}] ${what}`);
  };

  // ---- the worker, behind the broker proxy and the database proxy ----
  const tradingDate = o.date;
  let placementArmed = plan.placementKillEntry !== null;
  let entriesAnswered = 0;
  let haltKillArmed = false;
  const kills: KillRecord[] = [];
  const killedPids = new Set<number>();
  // Its environment is completed below, once the proxies' addresses are known; nothing starts before.
  const workerEnv: NodeJS.ProcessEnv = baseEnv();
  const sup: WorkerSupervisor = workerSupervisor({
    projectDir: PROJECT_DIR,
    logDir: runDir,
    args: ['--speed', String(o.speed), '--workflow-bundle', bundlePath, '--config-dir', o.configDir!],
    env: workerEnv,
    log: (line) => say(line),
  });
  let restarting: Promise<void> = Promise.resolve();
  const crashes: { worker: number; code: number | null; signal: string | null; tail: string }[] = [];
  let stopping = false;

  const watch = (inc: WorkerIncarnation): void => {
    void inc.exited.then(({ code, signal }) => {
      if (stopping || killedPids.has(inc.pid)) return;
      const tail = inc.output().trim().split('\n').slice(-5).join(' | ');
      crashes.push({ worker: inc.n, code, signal, tail });
      note(
        `FINDING: worker ${inc.n} (pid ${inc.pid}) exited by itself (code ${code}, signal ${signal}): ${tail}`,
      );
      restartWorker(null);
    });
  };
  const restartWorker = (kill: KillRecord | null): void => {
    restarting = restarting.then(async () => {
      if (stopping) return;
      const t0 = Date.now();
      const inc = await sup.start();
      watch(inc);
      if (kill) kill.restartMs = Date.now() - t0;
      note(`worker ${inc.n} (pid ${inc.pid}) ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  };
  const kill = (kind: KillRecord['kind'], x?: ProxiedExchange): KillRecord | null => {
    const inc = sup.killNow();
    if (!inc) return null;
    killedPids.add(inc.pid);
    const id = x?.requestJson?.client_order_id;
    const brokerId = (x?.responseJson as { id?: unknown } | null)?.id;
    const rec: KillRecord = {
      n: kills.length + 1,
      kind,
      worker: inc.n,
      pid: inc.pid,
      at: hhmmss(marketNow()),
      ...(x ? { request: `${x.method} ${x.path} → ${x.status}` } : {}),
      ...(typeof id === 'string' ? { clientOrderId: id } : {}),
      ...(typeof brokerId === 'string' ? { brokerOrderId: brokerId } : {}),
    };
    kills.push(rec);
    note(
      `SIGKILL #${rec.n} (${kind}) worker ${inc.n} (pid ${inc.pid})` +
        (x
          ? ` holding the simulator's answer to ${rec.request}${rec.clientOrderId ? ` for ${rec.clientOrderId}` : ''}${rec.brokerOrderId ? ` (broker order ${rec.brokerOrderId})` : ''}`
          : ''),
    );
    restartWorker(rec);
    return rec;
  };

  const proxyLog = join(runDir, 'broker-proxy.jsonl');
  const isOk = (x: ProxiedExchange): boolean => x.status >= 200 && x.status < 300;
  const brokerProxy: BrokerProxy = await startBrokerProxy({
    upstream: sim.url,
    // Which worker sent it: the answer to a request of a worker already killed kills nobody.
    tag: () => sup.current()?.n ?? null,
    decide: (x) => {
      if (!isOk(x) || x.tag === null || x.tag !== sup.current()?.n) return null;
      const coid = typeof x.requestJson?.client_order_id === 'string' ? x.requestJson.client_order_id : '';
      const parts = parseClientOrderId(coid);
      if (placementArmed && x.method === 'POST' && x.path === '/v2/orders' && parts?.leg === 'entry') {
        entriesAnswered += 1;
        if (entriesAnswered === plan.placementKillEntry) return 'placement';
      }
      if (
        haltKillArmed &&
        ((x.method === 'DELETE' &&
          (x.path.startsWith('/v2/orders/') || x.path.startsWith('/v2/positions'))) ||
          (x.method === 'POST' && x.path === '/v2/orders' && (parts?.leg ?? '').startsWith('exit')))
      )
        return 'halt';
      return null;
    },
    onKill: (x, label) => {
      if (label === 'placement') placementArmed = false;
      else haltKillArmed = false;
      kill(label as KillRecord['kind'], x);
    },
    onExchange: (x, outcome) => {
      if (x.method === 'GET' && outcome === 'answered') return; // reads: thousands, and they change nothing
      const coid = x.requestJson?.client_order_id;
      appendFileSync(
        proxyLog,
        `${JSON.stringify({ at: hhmmss(marketNow()), method: x.method, path: x.path, status: x.status, outcome, ...(coid ? { clientOrderId: coid } : {}), ...(typeof (x.responseJson as { id?: unknown } | null)?.id === 'string' ? { id: (x.responseJson as { id: string }).id } : {}) })}\n`,
      );
    },
  });
  cleanups.push(() => brokerProxy.close());

  Object.assign(workerEnv, {
    TEMPORAL_ADDRESS: dev.address,
    TEMPORAL_NAMESPACE: 'default',
    DATABASE_URL: proxiedDbUrl.toString(),
    ALPACA_BASE_URL: brokerProxy.url,
    ALPACA_API_KEY: keyId,
    ALPACA_SECRET_KEY: secretKey,
    CATALYST_HOME: join(runDir, 'home'),
  });
  // The CLI talks to the simulator directly: the proxy sees the worker's requests only.
  const cliEnv: NodeJS.ProcessEnv = { ...workerEnv, ALPACA_BASE_URL: sim.url, DATABASE_URL: temp.url };

  await bundling;
  cleanups.push(async () => {
    stopping = true;
    await restarting.catch(() => undefined);
    await sup.stop();
  });
  const first = await sup.start();
  watch(first);
  say(`worker 1 (pid ${first.pid}) ready after ${(first.readyAfterMs / 1000).toFixed(1)} s`);

  // ---- the day ----
  await sim.prepareSession();
  const startAt = session.openMs - 3 * MINUTE_MS;
  if ((await sim.nowMs()) < startAt) await sim.advanceTo(startAt);
  await refreshClock();
  const start = await runCli(
    ['day', 'start', '--date', tradingDate, '--speed', String(o.speed), '--mode', 'autonomous', '--json'],
    cliEnv,
    60_000,
  );
  const started = lastJson(start.stdout);
  if (start.code !== 0 || !started)
    throw new Error(`catalyst day start failed (${start.code}): ${start.stderr.trim()}`);
  const workflowId = String(started.workflowId);
  const venue = String(started.venue);
  note(`day started: ${workflowId} on ${String(started.taskQueue)}`);
  await sim.setFaults(o.faults);
  note(`broker faults on: ${o.faults}`);

  const broker: Broker = createAlpacaBroker({
    keyId,
    secretKey,
    tradingBaseUrl: sim.url,
    dataBaseUrl: sim.url,
    paper: true,
    clockSpeed: o.speed,
  });
  const connect = async (): Promise<Client> =>
    new Client({
      connection: await Connection.connect({ interceptors: temporalInterceptors(), address: dev.address }),
    });
  let client = await connect();
  cleanups.push(() => client.connection.close());

  const temporalRestarts: { down: string; up: string; downMs: number }[] = [];
  const databaseCuts: { at: string; wallMs: number; stats: ReturnType<TcpProxy['stats']> }[] = [];
  const missed: string[] = [];
  let halt: { sentAt: string; run: Promise<CliRun> } | null = null;

  // ---- the strikes, in market-time order ----
  type Strike = { atMs: number; what: 'restart' | 'halt' | 'cut' | 'kill' };
  const strikes: Strike[] = [
    { atMs: plan.temporalRestartAtMs, what: 'restart' as const },
    { atMs: plan.haltAtMs, what: 'halt' as const },
    { atMs: plan.databaseCutAtMs, what: 'cut' as const },
    ...plan.timedKillsAtMs.map((atMs) => ({ atMs, what: 'kill' as const })),
  ].sort((a, b) => a.atMs - b.atMs);

  /** Shares of Catalyst's at the broker: what makes the emergency stop cancel and sell. */
  const catalystHoldsShares = async (): Promise<boolean> => {
    try {
      return (await readBook({ broker }, { tradingDate })).openPositions > 0;
    } catch {
      return false;
    }
  };

  const chaos = (async () => {
    for (const s of strikes) {
      await untilMarket(s.atMs);
      await restarting;
      if (s.what === 'kill') {
        kill('timed');
        await restarting;
      } else if (s.what === 'restart') {
        const t0 = Date.now();
        note('Temporal dev server: stopping');
        await dev.stop();
        const down = hhmmss(marketNow());
        dev = await startDevServer(devServerOptions);
        const downMs = Date.now() - t0;
        temporalRestarts.push({ down, up: hhmmss(marketNow()), downMs });
        note(
          `Temporal dev server: started again on ${dev.address} after ${(downMs / 1000).toFixed(1)} s (same SQLite file)`,
        );
      } else if (s.what === 'cut') {
        const wallMs = plan.databaseCutMarketMs / o.speed;
        note(
          `database cut: every connection through the proxy reset, new ones refused, for ${wallMs} ms of wall time`,
        );
        await dbProxy.cut(wallMs);
        const stats = dbProxy.stats();
        databaseCuts.push({ at: hhmmss(marketNow()), wallMs, stats });
        note(`database back (connections reset ${stats.reset}, refused ${stats.refused})`);
      } else {
        // The halt: once the placement kill has struck and Catalyst holds shares to sell.
        for (;;) {
          await refreshClock();
          const late = marketNow() >= plan.haltLatestMs;
          if (late || (!placementArmed && (await catalystHoldsShares()))) break;
          await sleep(Math.max(50, (2 * MINUTE_MS) / o.speed));
        }
        await restarting;
        if (placementArmed) {
          placementArmed = false;
          missed.push(
            `placement kill: the worker made ${entriesAnswered} entry placement(s) by ${hhmmss(marketNow())}, the plan waited for #${plan.placementKillEntry}`,
          );
          note(`MISSED: ${missed.at(-1)}`);
        }
        haltKillArmed = plan.haltKill;
        note(
          `catalyst halt --reason chaos${haltKillArmed ? ' (the worker dies on its first cancel or exit after it)' : ''}`,
        );
        halt = {
          sentAt: hhmmss(marketNow()),
          run: runCli(
            ['halt', '--reason', 'chaos', '--date', tradingDate, '--venue', venue, '--wait', '120', '--json'],
            cliEnv,
            180_000,
          ),
        };
        if (haltKillArmed) {
          // A day whose last workflow task went to a killed worker hears the signal only after that
          // worker's sticky queue times out (10 s), and its activities after a heartbeat timeout (10 s).
          const giveUpAt = marketNow() + settleMs(HALT_KILL_WAIT_SECONDS, o.speed);
          while (haltKillArmed && marketNow() < giveUpAt) await sleep(20);
          if (haltKillArmed) {
            haltKillArmed = false;
            missed.push(
              `halt kill: no cancel or exit reached the broker within ${HALT_KILL_WAIT_SECONDS} s of the halt (Catalyst ${(await catalystHoldsShares()) ? 'still holds shares' : 'holds no shares now'})`,
            );
            note(`MISSED: ${missed.at(-1)}`);
          }
          await restarting;
        }
      }
    }
  })();
  let chaosError: unknown = null;
  chaos.catch((err: unknown) => {
    chaosError = err;
    say(`chaos driver failed: ${(err as Error).stack ?? String(err)}`);
  });

  // ---- wait for the day's end ----
  const sessionWallS = (session.closeMs - session.openMs) / 1000 / o.speed;
  const deadline = Date.now() + (o.timeoutSeconds ?? Math.ceil(sessionWallS * 1.5 + 300)) * 1000;
  let status = 'running';
  let result: TradingDayResult | null = null;
  for (;;) {
    if (Date.now() > deadline) {
      status = 'timed_out_waiting';
      note(
        `FINDING: the day had not ended ${o.timeoutSeconds ?? Math.ceil(sessionWallS * 1.5 + 300)} s after the run began`,
      );
      break;
    }
    const described = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => null);
    if (described && described.status.name !== 'RUNNING') {
      try {
        result = (await client.workflow.getHandle(workflowId).result()) as TradingDayResult;
        status = result.status;
      } catch (err) {
        status =
          err instanceof WorkflowFailedError
            ? described.status.name.toLowerCase()
            : `error: ${(err as Error).message}`;
      }
      break;
    }
    if (!described) {
      // The dev server was restarted: a fresh connection rather than waiting on the old one.
      await client.connection.close().catch(() => undefined);
      client = await patiently(connect);
    }
    await sleep(500);
  }
  note(
    `day ended: ${status}${result ? ` (${result.ordersSubmitted} entries, ${result.fills} fills, P&L ${result.realizedPnl}, halted ${result.halted})` : ''}`,
  );
  await Promise.race([chaos.catch(() => undefined), sleep(1_000)]);
  await restarting.catch(() => undefined);

  // ---- the verdict: the broker, read straight and without faults, against the database ----
  const faults = await sim.faultCounts();
  await sim.setFaults(null);
  await sleep(200);
  const account = await patiently(() => broker.getAccount());
  const database: Database = await createDatabase({ url: temp.url, migrate: false });
  let audit: AuditReport;
  let haltEvents = 0;
  let brokerOrders: string[] = [];
  try {
    const input = await patiently(() => loadAuditInput(broker, database.db, account.id, tradingDate));
    audit = auditBook(input);
    // The broker's record, one line an order (legs indented), in market time: the evidence behind the counts.
    const at = (iso: string | null): string => (iso ? hhmmss(Date.parse(iso)) : '--:--:--');
    brokerOrders = input.brokerOrders.flatMap((o) =>
      [o, ...o.legs].map(
        (x, i) =>
          `${i ? '  ' : ''}${at(x.submittedAt ?? x.createdAt)} ${x.clientOrderId || '(leg)'} ${x.side} ${x.type} ${x.qty} ${x.symbol} ${x.status}` +
          `${Number(x.filledQty) > 0 ? ` filled ${x.filledQty} @ ${x.filledAvgPrice} ${at(x.filledAt)}` : ''}${x.canceledAt ? ` canceled ${at(x.canceledAt)}` : ''} [${x.id}]`,
      ),
    );
    haltEvents = (await riskEventsForDay(database.db, tradingDate)).filter(
      (e) => e.eventType === 'emergency_stop' && e.message.includes('chaos'),
    ).length;
  } finally {
    await database.close();
  }

  const placementKill = kills.find((k) => k.kind === 'placement');
  const recovery = placementKill?.clientOrderId
    ? await patiently(() => placementRecovery(client, workflowId, placementKill.clientOrderId!), 5).catch(
        (err: unknown) => ({ error: (err as Error).message }),
      )
    : null;
  // The struck day's histories join the replay suite when copied to test/histories/chaos/.
  const histories = await saveHistories(client, workflowId, join(runDir, 'histories')).catch(
    (err: unknown) => {
      note(`could not save the day's histories: ${(err as Error).message}`);
      return [];
    },
  );
  if (histories.length) note(`histories: ${histories.join(', ')}`);
  const placementInDb =
    placementKill?.brokerOrderId !== undefined
      ? !audit.detail.ordersAtBrokerNotInDb.some((r) => r.id === placementKill.brokerOrderId)
      : null;
  const haltRun = halt ? await (halt as { run: Promise<CliRun> }).run : null;

  for (const [name, n] of Object.entries(audit.counts))
    if (n > 0)
      note(
        `FINDING: ${name} = ${n}: ${JSON.stringify((audit.detail as Record<string, unknown>)[name]).slice(0, 2000)}`,
      );
  if (chaosError) missed.push(`the chaos driver failed: ${(chaosError as Error).message}`);
  if (temporalRestarts.length === 0) missed.push('Temporal restart: did not happen before the day ended');
  if (databaseCuts.length === 0) missed.push('database cut: did not happen before the day ended');
  if (!halt) missed.push('halt: not sent before the day ended');
  if (kills.length < o.kills) missed.push(`kills: ${kills.length} of ${o.kills}`);

  const faultsInjected = Object.values(faults).reduce((a, b) => a + b, 0);
  const recovered = describeRecovery(placementKill, recovery, placementInDb);
  const line: ChaosLine = {
    kills: kills.length,
    duplicateClientOrderIds: audit.counts.duplicateClientOrderIds,
    ordersAtBrokerNotInDb: audit.counts.ordersAtBrokerNotInDb,
    dbOrdersNotAtBroker: audit.counts.dbOrdersNotAtBroker,
    positionsMismatched: audit.counts.positionsMismatched,
    openPositionsAtClose: audit.counts.openPositionsAtClose,
    openOrdersAtClose: audit.counts.openOrdersAtClose,
    status,
    orderStatesMismatched: audit.counts.orderStatesMismatched,
    missed,
    placementRecovery: recovered,
    workerCrashes: crashes.length,
    temporalRestarts: temporalRestarts.length,
    databaseCuts: databaseCuts.length,
    halts: halt ? 1 : 0,
    faultsInjected,
    brokerOrders: audit.brokerOrders,
    ordersSubmitted: result?.ordersSubmitted ?? null,
    seed: o.seed,
    speed: o.speed,
    date: tradingDate,
    wallSeconds: Math.round((Date.now() - wallStart) / 1000),
    runDir,
  };
  const ok =
    status === 'completed' && missed.length === 0 && Object.values(audit.counts).every((n) => n === 0);
  const report = {
    ...line,
    ok,
    workflowId,
    plan: {
      ...plan,
      haltAtMs: hhmmss(plan.haltAtMs),
      haltLatestMs: hhmmss(plan.haltLatestMs),
      temporalRestartAtMs: hhmmss(plan.temporalRestartAtMs),
      databaseCutAtMs: hhmmss(plan.databaseCutAtMs),
      timedKillsAtMs: plan.timedKillsAtMs.map(hhmmss),
      chaosEndMs: hhmmss(plan.chaosEndMs),
    },
    killRecords: kills,
    placementRecovery: placementKill
      ? { ...placementKill, inDbAtEnd: placementInDb, history: recovery }
      : null,
    halt: halt
      ? {
          sentAt: (halt as { sentAt: string }).sentAt,
          cliExit: haltRun?.code ?? null,
          cli: lastJson(haltRun?.stdout ?? ''),
          riskEvents: haltEvents,
        }
      : null,
    temporalRestarts,
    databaseCuts,
    workerCrashes: crashes,
    workers: sup
      .incarnations()
      .map((w) => ({ n: w.n, pid: w.pid, readyAfterMs: w.readyAfterMs, log: w.logFile })),
    faults,
    day: result,
    audit,
    brokerOrders,
    events,
    database: o.keepDatabase ? temp.url.replace(/\/\/[^@]*@/, '//') : 'dropped',
  };
  writeFileSync(join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  say(`report: ${join(runDir, 'report.json')}`);
  return { ok, line, report };
}

/** The day's and its monitor's latest runs, as the replay suite reads them (file name = workflow id). */
async function saveHistories(client: Client, dayWorkflowId: string, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const id of [dayWorkflowId, positionMonitorWorkflowId(dayWorkflowId)]) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const file = join(dir, `${id}.json`);
    writeFileSync(file, historyToJSON(history));
    files.push(file);
  }
  return files;
}

/** One sentence: by which path the swallowed order reached the database. */
function describeRecovery(
  kill: KillRecord | undefined,
  history: Record<string, unknown> | null,
  inDb: boolean | null,
): string | null {
  if (!kill) return null;
  const result = history?.result as { status?: string; brokerOrderId?: string } | undefined;
  const where = inDb ? 'in the database' : 'NOT in the database';
  if (
    history?.outcome === 'completed' &&
    result?.status === 'placed' &&
    result.brokerOrderId === kill.brokerOrderId
  )
    return `${kill.clientOrderId} ${where}: the placement's attempt ${String(history.lastAttempt)} looked its client_order_id up and found broker order ${kill.brokerOrderId}`;
  return `${kill.clientOrderId} ${where}: the placement ${String(history?.outcome ?? 'was not found in the history')}${
    history?.outcome === 'timed out' ? ' (not retried: the halt had cancelled its cycle)' : ''
  }; ${inDb ? 'the reconciliation recorded it' : 'nothing recorded it'}`;
}

/**
 * What became of the placement whose answer the kill swallowed, from the day's Temporal history:
 * the activity's last attempt and its result. `placed` with the same broker order id after a
 * second attempt is the idempotent client_order_id path at work (it looked the id up first).
 */
async function placementRecovery(
  client: Client,
  workflowId: string,
  killedClientOrderId: string,
): Promise<Record<string, unknown>> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  let scheduledId: string | null = null;
  const out: Record<string, unknown> = { activity: 'placeBracketOrder', found: false };
  for (const e of events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name === 'placeBracketOrder' && s.input?.payloads?.[0]) {
      const input = defaultPayloadConverter.fromPayload(s.input.payloads[0]) as PlaceBracketOrderInput;
      const id = clientOrderId({
        tradingDate: input.tradingDate,
        cycle: input.cycleNumber,
        symbol: input.decision.symbol,
        leg: 'entry',
      });
      if (id === killedClientOrderId) {
        scheduledId = String(e.eventId);
        out.found = true;
        out.activityId = s.activityId;
      }
      continue;
    }
    if (scheduledId === null) continue;
    const started = e.activityTaskStartedEventAttributes;
    if (started && String(started.scheduledEventId) === scheduledId) {
      out.lastAttempt = started.attempt;
      out.lastFailure = started.lastFailure?.message ?? null;
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done && String(done.scheduledEventId) === scheduledId && done.result?.payloads?.[0]) {
      const r = defaultPayloadConverter.fromPayload(done.result.payloads[0]) as PlacementResult;
      out.outcome = 'completed';
      out.result = { status: r.status, brokerOrderId: r.brokerOrderId, clientOrderId: r.clientOrderId };
    }
    for (const [kind, attrs] of [
      ['timed out', e.activityTaskTimedOutEventAttributes],
      ['failed', e.activityTaskFailedEventAttributes],
      ['cancelled', e.activityTaskCanceledEventAttributes],
    ] as const)
      if (attrs && String(attrs.scheduledEventId) === scheduledId) out.outcome = kind;
  }
  return out;
}

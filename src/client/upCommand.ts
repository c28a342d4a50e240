import { resolve } from 'node:path';
import { projectDir } from './projectDir';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { startEmbeddedStack, type RunningStack } from '../stack/embeddedStack';
import { randomUUID } from 'node:crypto';
import { utcMsToNyDate } from '../domain/calendar';
import { accountAttribute } from '../shared';
import {
  describeFunnel,
  emergencyStopOutcomeQuery,
  emergencyStopSignal,
  statusQuery,
  type TradingDayResult,
  type TradingDayStatus,
  type TradingMode,
} from '../workflows/messages';
import type { TradingDayWorkflow } from '../workflows/tradingDay';
import { readDayReport, type DayReport } from './dayReport';
import { runningTradingDays } from './findTradingDay';
import { formatMarketTime } from './formatTime';
import { colour, createOutput, type Output } from './output';
import { UsageError, checkWorkflowBundle } from './cliErrors';
import { checkScenarioFlag } from './simCommand';
import { parseEnv } from '../settings/loadSettings';
import { resolveTradingVenue } from '../settings/liveTradingGate';

export interface UpOptions {
  once: boolean;
  speed: number;
  seed: number;
  date?: string;
  mode?: TradingMode;
  json: boolean;
  live: boolean;
  port?: number;
  uiPort?: number;
  /** Simulator fault-injection spec (src/sim/faultsSpec.ts). */
  faults?: string;
  /** The embedded simulator's market scenario (src/sim/market/scenarios.ts). */
  scenario?: string;
  /** Where the two YAML files live; the running stack reloads them when they change. */
  configDir?: string;
  /** A prebuilt workflow bundle instead of bundling src/workflows at start. */
  workflowBundle?: string;
}

/** `--scenario` is refused before anything starts: off the embedded simulator there is no market to shape. */
function checkScenario(opts: UpOptions): void {
  if (opts.scenario === undefined) return;
  const gate = resolveTradingVenue({ env: parseEnv(process.env), liveFlag: opts.live });
  if (gate.venue !== 'simulator' || gate.customEndpoint)
    throw new UsageError(
      gate.customEndpoint
        ? `--scenario shapes the embedded simulator only; this run trades the endpoint ${gate.tradingBaseUrl} (give the scenario to that simulator: catalyst sim --scenario ${opts.scenario})`
        : `--scenario shapes the embedded simulator only; this run trades Alpaca ${gate.venue} (unset ALPACA_API_KEY and ALPACA_SECRET_KEY for the simulator)`,
    );
  checkScenarioFlag('--scenario', opts.scenario, { seed: opts.seed, date: opts.date });
}

export { projectDir };

export async function upCommand(opts: UpOptions): Promise<void> {
  checkScenario(opts);
  const bundle = checkWorkflowBundle(opts.workflowBundle);
  const out = createOutput(opts.json);
  const home = process.env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst');
  const stack = await startEmbeddedStack({
    projectDir: projectDir(),
    homeDir: home,
    env: process.env,
    speed: opts.speed,
    seed: opts.seed,
    date: opts.date,
    live: opts.live,
    temporalPort: opts.port,
    uiPort: opts.uiPort,
    faults: opts.faults,
    ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
    ...(opts.configDir !== undefined ? { configDir: resolve(opts.configDir) } : {}),
    ...(bundle !== undefined ? { workflowBundlePath: bundle } : {}),
    log: out.log,
  });

  let stopping = false;
  let wake: () => void = () => {};
  let force: () => void = () => {};
  const stopped = new Promise<void>((r) => (wake = r));
  const forced = new Promise<void>((r) => (force = r));
  const onSignal = (): void => {
    if (stopping) {
      force();
      return;
    }
    stopping = true;
    out.info(colour.yellow('\nstopping…'));
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    out.info(`${colour.bold('Catalyst is up')} — Temporal Web UI: ${stack.uiUrl || '(external cluster)'}`);
    out.info(
      `schedule ${stack.scheduleAction}: weekdays 09:30 America/New_York${stack.venue === 'simulator' ? ' (paused while the simulator drives the sessions)' : ''}`,
    );
    const mode: TradingMode =
      opts.mode ?? (stack.venue === 'simulator' ? 'autonomous' : stack.settings.trading.session.mode);

    if (!stack.sim && !stack.customEndpoint) {
      out.info(
        `waiting for the schedule (${stack.venue}, ${mode}); Ctrl-C stops after flattening Catalyst's positions`,
      );
      await stopped;
      return;
    }

    let lastDate: string | null = null;
    for (;;) {
      // An endpoint of our own (ALPACA_BASE_URL) runs its current session now, then each next one.
      if (stack.customEndpoint && !(await nextEndpointSession(stack, lastDate, out, stopped))) return;
      const startedWallMs = Date.now();
      const handle = await stack.startTradingDay(mode);
      lastDate = (await handle.describe()).searchAttributes?.CatalystTradingDate?.[0] as string | null;
      out.info(
        `trading day ${colour.bold(handle.workflowId)} started (${mode}, speed ×${stack.speed}): ${workflowUrl(stack, handle.workflowId)}`,
      );
      const result = await followDay(stack.client, handle, out, stopped);
      if (!result) return; // stopped by the user mid-day; the workflow stays in Temporal
      if (result === 'cancelled') {
        // `catalyst day stop`: an operator's decision, not a failure; the day flattened before it ended.
        out.info(
          `${handle.workflowId} was cancelled (catalyst day stop); Catalyst's book was flattened first`,
        );
        if (opts.once || stopping) return;
        if (stack.sim) {
          stack.sim.advanceToNextSession();
          out.info(colour.dim(`next simulated session: ${stack.sim.sessionDate()}`));
        }
        continue;
      }
      // The day is over whatever the database says now: its result is printed either way.
      const report: DayReport | NullReport = await readDayReport(stack, {
        tradingDate: result.tradingDate,
        workflowId: handle.workflowId,
        runId: handle.firstExecutionRunId,
        startedWallMs,
      }).catch((err: unknown) => {
        out.log(`could not read the day's risk events and closing fills: ${(err as Error).message}`);
        return {
          riskEvents: null,
          closingSlippage: null,
          maxLoss: stack.currentSettings().risk.daily_limits.max_loss,
        };
      });
      const summary = {
        workflowId: handle.workflowId,
        ...result,
        ...report,
        venue: stack.venue,
        seed: stack.sim ? opts.seed : null,
        scenario: stack.sim ? (opts.scenario ?? null) : null,
        speed: stack.speed,
        uiUrl: workflowUrl(stack, handle.workflowId),
      };
      out.result(summary, () => printDaySummary(out, summary));
      if (result.openPositionsAtClose > 0 || result.openOrdersAtClose > 0) {
        out.info(
          colour.red(
            `NOT FLAT at the close: ${result.openPositionsAtClose} positions, ${result.openOrdersAtClose} orders`,
          ),
        );
        process.exitCode = 1;
      }
      if (opts.once || stopping) return;
      if (stack.sim) {
        stack.sim.advanceToNextSession();
        out.info(colour.dim(`next simulated session: ${stack.sim.sessionDate()}`));
      }
    }
  } finally {
    // A real account's positions must never be left unmanaged: flatten Catalyst's book first.
    if (stopping && stack.venue !== 'simulator')
      await flattenBeforeStop(stack, out, forced).catch((err) =>
        out.info(
          colour.red(`could not flatten before stopping: ${(err as Error).message}; run \`catalyst halt\``),
        ),
      );
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    out.info(colour.dim('draining the worker and stopping the servers…'));
    await stack.shutdown();
    if (stopping) out.info('stopped cleanly');
  }
}

/** Waits (wall clock, at the endpoint's speed) until the endpoint is in a session not yet run. False when stopped. */
async function nextEndpointSession(
  stack: RunningStack,
  lastDate: string | null,
  out: Output,
  stopped: Promise<void>,
): Promise<boolean> {
  for (;;) {
    const clock = await stack.broker.getClock();
    const date = utcMsToNyDate(Date.parse(clock.isOpen ? clock.timestamp : clock.nextOpen));
    if (date !== lastDate) return true;
    const waitMs = Math.max(1_000, (Date.parse(clock.nextOpen) - Date.parse(clock.timestamp)) / stack.speed);
    out.info(colour.dim(`waiting for the endpoint's next session (opens ${clock.nextOpen})`));
    if (await Promise.race([sleep(waitMs).then(() => false), stopped.then(() => true)])) return false;
  }
}

/**
 * Ctrl-C on paper or live: halt the running day (it flattens Catalyst's book until flat) and wait
 * for it before the worker stops. A second Ctrl-C stops without waiting.
 */
async function flattenBeforeStop(stack: RunningStack, out: Output, forced: Promise<void>): Promise<void> {
  const days = (await runningTradingDays(stack.client, { venue: stack.scope.venue })).filter(
    (d) => d.account === accountAttribute(stack.scope),
  );
  if (days.length === 0) return;
  const requests = days.map((d) => ({
    handle: stack.client.workflow.getHandle(d.workflowId),
    requestId: `up-stop-${randomUUID()}`,
  }));
  for (const r of requests) {
    await r.handle.signal(emergencyStopSignal, {
      reason: 'catalyst up was stopped (Ctrl-C)',
      source: 'cli',
      requestId: r.requestId,
    });
    out.info(
      colour.yellow(
        `flattening Catalyst's positions before stopping (emergency stop of ${r.handle.workflowId}); Ctrl-C again to stop without waiting — Catalyst's positions would then keep only their bracket orders at the broker`,
      ),
    );
  }
  let userForced = false;
  void forced.then(() => (userForced = true));
  const deadline = Date.now() + 10 * 60_000;
  for (const r of requests) {
    for (;;) {
      const o = await r.handle.query(emergencyStopOutcomeQuery, r.requestId).catch(() => null);
      if (o?.done) {
        out.info(
          o.flat
            ? colour.green(
                `Catalyst's book is flat (the stop sent exits for ${o.closedPositions.length} position(s); the monitor may have closed others); the day stays halted`,
              )
            : colour.yellow(
                `not flat yet: ${o.failures.map((f) => `${f.symbol}: ${f.message}`).join('; ')}; the day keeps trying when the worker runs again`,
              ),
        );
        break;
      }
      if (userForced || Date.now() > deadline) {
        out.info(
          colour.red(
            'stopping without confirmation that Catalyst is flat: run `catalyst halt` or `catalyst status` once Catalyst runs again',
          ),
        );
        return;
      }
      await Promise.race([sleep(500), forced]);
    }
  }
}

const workflowUrl = (stack: RunningStack, workflowId: string): string =>
  stack.uiUrl ? `${stack.uiUrl}/namespaces/${stack.namespace}/workflows/${workflowId}` : workflowId;

/** Prints progress (cycles, orders, P&L) until the day ends; null when the user stopped first. */
async function followDay(
  client: Client,
  handle: WorkflowHandle<typeof TradingDayWorkflow>,
  out: Output,
  stopped: Promise<void>,
): Promise<TradingDayResult | 'cancelled' | null> {
  let done: TradingDayResult | Error | null = null;
  let userStopped = false;
  // The result long-poll must end with Ctrl-C, or its retry would outlive the closed connection.
  const abort = new AbortController();
  void stopped.then(() => {
    userStopped = true;
    abort.abort();
  });
  client
    .withAbortSignal(abort.signal, () => handle.result())
    .then(
      (r) => (done = r),
      (e: Error) => (done = e),
    );
  let last: TradingDayStatus | null = null;
  while (!done) {
    // Never block on a query after Ctrl-C: with the worker draining nobody would answer it.
    const s = await Promise.race([
      sleep(500)
        .then(() => (userStopped ? null : handle.query(statusQuery)))
        .catch(() => null),
      stopped.then(() => null),
    ]);
    if (userStopped) return null;
    if (!s) continue;
    const when = s.marketTimeMs ? colour.dim(formatMarketTime(s.marketTimeMs)) : '';
    if (last?.phase !== s.phase) out.info(`${when} phase: ${s.phase}`);
    if (s.lastFunnel && JSON.stringify(last?.lastFunnel) !== JSON.stringify(s.lastFunnel)) {
      const f = s.lastFunnel;
      out.info(
        `${when} cycle ${f.cycle}: ${describeFunnel(f)} ${colour.dim(
          s.candidates
            .filter((c) => c.approved && (c.cycle ?? f.cycle) === f.cycle)
            .map((c) => c.symbol)
            .join(' '),
        )}`,
      );
    }
    if (last && (last.openPositions !== s.openPositions || last.realizedPnl !== s.realizedPnl)) {
      out.info(
        `${when} positions ${s.openPositions}, open orders ${s.openOrders}, realized ${pnl(s.realizedPnl)}, unrealized ${pnl(s.unrealizedPnl)}`,
      );
    }
    if (!last?.halted && s.halted) out.info(colour.red(`${when} HALTED: ${s.haltReason}`));
    last = s;
  }
  const ended = done as TradingDayResult | Error;
  if (ended instanceof WorkflowFailedError && ended.cause instanceof CancelledFailure) return 'cancelled';
  if (ended instanceof Error) throw ended;
  return ended;
}

const pnl = (v: string): string => (v.startsWith('-') ? colour.red(v) : colour.green(v));

type NullReport = { [K in keyof DayReport]: K extends 'maxLoss' ? DayReport[K] : null };

function printDaySummary(
  out: Output,
  s: TradingDayResult & (DayReport | NullReport) & { workflowId: string; uiUrl: string },
): void {
  out.info(colour.bold(`\n${s.workflowId}: ${s.status}`));
  out.info(`cycles ${s.cycles} · orders submitted ${s.ordersSubmitted} · fills ${s.fills}`);
  out.info(
    `realized P&L ${pnl(s.realizedPnl)} (daily loss limit ${s.maxLoss}) · open at close: ${s.openPositionsAtClose} positions, ${s.openOrdersAtClose} orders`,
  );
  out.info(
    `closing slippage ${s.closingSlippage ?? 'unavailable'} (stop and exit fills below their lots' stop prices)`,
  );
  if (s.halted) out.info(colour.red(`halted: ${s.haltReason}`));
  const events = s.riskEvents ?? [];
  out.info(
    s.riskEvents === null
      ? 'risk events: unavailable'
      : events.length === 0
        ? 'risk events: none'
        : `risk events (${events.length}):`,
  );
  for (const e of events) {
    const line = `  ${formatMarketTime(Date.parse(e.marketTime))} ${e.severity.padEnd(8)} ${e.type}: ${e.message}`;
    out.info(
      e.severity === 'CRITICAL' ? colour.red(line) : e.severity === 'WARNING' ? colour.yellow(line) : line,
    );
  }
  out.info(`details: ${s.uiUrl}`);
}

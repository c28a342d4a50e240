import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { startEmbeddedStack, type RunningStack } from '../stack/embeddedStack';
import {
  statusQuery,
  type TradingDayResult,
  type TradingDayStatus,
  type TradingMode,
} from '../workflows/messages';
import type { TradingDayWorkflow } from '../workflows/tradingDay';
import { formatMarketTime } from './formatTime';
import { colour, createOutput, type Output } from './output';

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
}

export const projectDir = (): string => resolve(new URL('../..', import.meta.url).pathname);

export async function upCommand(opts: UpOptions): Promise<void> {
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
    log: out.log,
  });

  let stopping = false;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((r) => (wake = r));
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    out.info(colour.yellow('\nstopping: draining the worker and stopping the servers…'));
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

    if (stack.venue !== 'simulator') {
      out.info(`waiting for the schedule (${stack.venue}, ${mode}); Ctrl-C to stop`);
      await stopped;
      return;
    }

    for (;;) {
      const handle = await stack.startTradingDay(mode);
      out.info(
        `trading day ${colour.bold(handle.workflowId)} started (${mode}, speed ×${stack.speed}): ${workflowUrl(stack, handle.workflowId)}`,
      );
      const result = await followDay(stack.client, handle, out, stopped);
      if (!result) return; // stopped by the user mid-day; the workflow stays in Temporal
      const summary = {
        workflowId: handle.workflowId,
        ...result,
        venue: stack.venue,
        seed: opts.seed,
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
      stack.sim!.advanceToNextSession();
      out.info(colour.dim(`next simulated session: ${stack.sim!.sessionDate()}`));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stack.shutdown();
    if (stopping) out.info('stopped cleanly');
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
): Promise<TradingDayResult | null> {
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
        .then(() => handle.query(statusQuery))
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
        `${when} cycle ${f.cycle}: ${f.universe} symbols → ${f.scanned} scanned → ${f.technical} scored → ${f.riskApproved} approved → ${f.ordersPlaced} orders ${colour.dim(
          s.candidates
            .filter((c) => c.approved)
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
  if ((done as unknown) instanceof Error) throw done;
  return done;
}

const pnl = (v: string): string => (v.startsWith('-') ? colour.red(v) : colour.green(v));

function printDaySummary(out: Output, s: TradingDayResult & { workflowId: string; uiUrl: string }): void {
  out.info(colour.bold(`\n${s.workflowId}: ${s.status}`));
  out.info(`cycles ${s.cycles} · orders submitted ${s.ordersSubmitted} · fills ${s.fills}`);
  out.info(
    `realized P&L ${pnl(s.realizedPnl)} · open at close: ${s.openPositionsAtClose} positions, ${s.openOrdersAtClose} orders`,
  );
  if (s.halted) out.info(colour.red(`halted: ${s.haltReason}`));
  out.info(`details: ${s.uiUrl}`);
}

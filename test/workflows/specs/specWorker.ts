/**
 * The real Temporal dev server and workflow bundle of the `temporal` project (global setup), a
 * worker of our own on a task queue per test file, and the fake venue's stubs as its activities.
 * Each day (and its monitor) is routed to its own FakeVenue by workflow id, so a test's venue
 * only ever sees its own day.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../../src/activities/types';
import { positionMonitorWorkflowId, tradingDayWorkflowId } from '../../../src/shared';
import { catalystWorkerOptions } from '../../../src/worker';
import { statusQuery, type TradingDayInput, type TradingDayStatus } from '../../../src/workflows/messages';
import { TradingDayWorkflow } from '../../../src/workflows/tradingDay';
import type { FakeVenue } from './fakeVenue';
import { installTestRuntime } from '../../support/testRuntime';
import { temporalInterceptors } from '../../../src/stack/temporalConnection';

/** Every activity of the contract, so the router can forward each one (the type keeps it complete). */
const ACTIVITY_NAMES: Record<keyof Activities, true> = {
  loadDayConfig: true,
  getMarketDay: true,
  readMarketClock: true,
  recordDayStart: true,
  planScheduledDay: true,
  beginCycle: true,
  listUniverse: true,
  scanChunk: true,
  recordScan: true,
  scoreSentiment: true,
  detectPatterns: true,
  computeIndicators: true,
  scoreCandidates: true,
  validateRisk: true,
  placeBracketOrder: true,
  finishCycle: true,
  guardPositions: true,
  recordBook: true,
  flattenBook: true,
  startCooldown: true,
  checkFlat: true,
  recordRiskEvent: true,
  finishTradingDay: true,
  sendAlert: true,
  sendDailyReport: true,
  waitForMarketTime: true,
  tellMarketClock: true,
  listTradingDays: true,
  summarizeBacktest: true,
};

export interface SpecDay {
  handle: WorkflowHandle<typeof TradingDayWorkflow>;
  venue: FakeVenue;
  workflowId: string;
  monitorId: string;
  status(): Promise<TradingDayStatus>;
}

export interface SpecWorker {
  client: Client;
  taskQueue: string;
  startDay(venue: FakeVenue, input?: Partial<TradingDayInput>): Promise<SpecDay>;
  /**
   * Terminates what a test left running, releases its venue, and replays every history the test
   * made against the workflow code: concurrency (the emergency responder beside the day) is where
   * nondeterminism hides, and these specs are where it runs.
   */
  cleanup(): Promise<void>;
  close(): Promise<void>;
}

export async function startSpecWorker(label: string): Promise<SpecWorker> {
  installTestRuntime(); // activity failures are the point of these specs: only errors are printed
  const address = inject('temporalAddress');
  const venues = new Map<string, FakeVenue>();
  const route = (): Activities => {
    const id = Context.current().info.workflowExecution?.workflowId ?? '(none)';
    const venue = venues.get(id);
    if (!venue) throw ApplicationFailure.nonRetryable(`no fake venue for workflow ${id}`, 'NoVenue');
    return venue.activities;
  };
  const activities = Object.fromEntries(
    Object.keys(ACTIVITY_NAMES).map((name) => [
      name,
      (...args: unknown[]) => (route()[name as keyof Activities] as (...a: unknown[]) => unknown)(...args),
    ]),
  ) as unknown as Activities;

  const taskQueue = `catalyst-spec-${label}-${process.pid}-${Date.now()}`;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    ...catalystWorkerOptions({
      connection,
      namespace: 'default',
      activities,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    }),
    // Held stubs are released by cleanup(); nothing needs the production grace time here.
    shutdownGraceTime: '1 second',
  });
  const running = worker.run();
  const client = new Client({
    connection: await Connection.connect({ interceptors: temporalInterceptors(), address }),
    namespace: 'default',
  });
  let started: SpecDay[] = [];
  let count = 0;

  return {
    client,
    taskQueue,
    async startDay(venue, input = {}) {
      count += 1;
      const workflowId = `${tradingDayWorkflowId(venue.tradingDate, { venue: 'simulator' })}-spec-${label}-${count}-${Date.now().toString(36)}`;
      const monitorId = positionMonitorWorkflowId(workflowId);
      venues.set(workflowId, venue);
      venues.set(monitorId, venue);
      const handle = await client.workflow.start(TradingDayWorkflow, {
        taskQueue,
        workflowId,
        args: [
          {
            tradingDate: venue.tradingDate,
            speed: venue.speed,
            mode: 'autonomous',
            venue: 'simulator',
            ...input,
          },
        ],
      });
      const day: SpecDay = { handle, venue, workflowId, monitorId, status: () => handle.query(statusQuery) };
      started.push(day);
      return day;
    },
    async cleanup() {
      const failures: string[] = [];
      for (const day of started) {
        for (const id of [day.workflowId, day.monitorId]) {
          const h = client.workflow.getHandle(id);
          const status = await h
            .describe()
            .then((d) => d.status.name)
            .catch(() => null);
          if (status === null) continue; // never started (the day ended before its open)
          if (status === 'RUNNING') await h.terminate('spec cleanup').catch(() => undefined);
          try {
            await Worker.runReplayHistory(
              { workflowBundle: { codePath: inject('workflowBundlePath') } },
              await h.fetchHistory(),
              id,
            );
          } catch (err) {
            failures.push(`${id} does not replay: ${(err as Error).message}`);
          }
        }
        day.venue.dispose();
      }
      started = [];
      if (failures.length) throw new Error(failures.join('\n'));
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
    },
  };
}

/** Polls `probe` until it returns something truthy; fails with `what` after the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** The day's status once `accept` holds. */
export const waitForStatus = (
  day: SpecDay,
  what: string,
  accept: (s: TradingDayStatus) => boolean,
  timeoutMs?: number,
): Promise<TradingDayStatus> =>
  waitFor(
    what,
    async () => {
      const s = await day.status();
      return accept(s) ? s : null;
    },
    timeoutMs,
  );

/** Whether the promise settles within `ms` (without consuming its rejection). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const done = promise.then(
    () => true,
    () => true,
  );
  return Promise.race([done, sleep(ms).then(() => false)]);
}

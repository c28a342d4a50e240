/**
 * `catalyst day start|stop|status`: a trading day by hand, on the workers already running
 * (`catalyst worker`, or `up` against an endpoint) — this command starts nothing else.
 *
 * start: the TradingDayWorkflow of a date under its canonical id `trading-day-<date>-<venue…>`, on
 * the venue's task queue; a date that already ran on Alpaca is never run again (the schedule's
 * launcher keeps the same rule). stop: cancels the day; the day then flattens Catalyst's book
 * (its own orders and the shares they filled, nothing else in the account) until the broker
 * shows it flat, and only then ends as cancelled.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import { isTradingDay, nextTradingDay, sessionBoundsMs, utcMsToNyDate } from '../domain/calendar';
import { loadTradingConfig, parseEnv } from '../settings/loadSettings';
import { tradingDayWorkflowId, type Venue } from '../shared';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { connectBrokerVenue } from '../stack/workerDeps';
import { statusQuery, type TradingDayInput, type TradingMode } from '../workflows/messages';
import type { TradingDayWorkflow } from '../workflows/tradingDay';
import { UsageError } from './cliErrors';
import { findRunningTradingDay } from './findTradingDay';
import { colour, createOutput, type Output } from './output';
import { projectDir } from './projectDir';
import { workflowPollers } from './taskQueuePollers';

export interface DayStartOptions {
  date?: string;
  venue?: Venue;
  mode?: TradingMode;
  /** The endpoint's clock speed (ALPACA_BASE_URL of a `catalyst sim --speed x`); 1 on Alpaca. */
  speed: number;
  live: boolean;
  json: boolean;
  /** Where the default mode is read (session.mode); default the project's config/. */
  configDir?: string;
  /** Test hook: "now" for the default date and the past-session check. */
  nowMs?: number;
}

/** The date a start without --date trades: today in New York while its session is open or ahead, else the next trading day. */
export function defaultTradingDate(nowMs: number): string {
  const today = utcMsToNyDate(nowMs);
  const bounds = isTradingDay(today) ? sessionBoundsMs(today) : null;
  return bounds && nowMs < bounds.closeMs ? today : nextTradingDay(today);
}

/** Why a date cannot be traded on Alpaca now (null when it can): a past session cannot be traded. */
export function untradableReason(date: string, nowMs: number): string | null {
  if (!isTradingDay(date)) return `${date} is not a trading day (a weekend or an NYSE holiday)`;
  const today = utcMsToNyDate(nowMs);
  const bounds = sessionBoundsMs(date);
  if (date < today || (bounds !== null && nowMs >= bounds.closeMs))
    return `the session of ${date} is over and cannot be traded (replay it on the simulator: catalyst backtest --from ${date} --to ${date})`;
  return null;
}

export async function dayStartCommand(opts: DayStartOptions): Promise<void> {
  const out = createOutput(opts.json);
  const nowMs = opts.nowMs ?? Date.now();
  const env = parseEnv(process.env);
  const venue = await connectBrokerVenue({
    env,
    live: opts.live,
    speed: opts.speed,
    who: '`catalyst day start`',
  });
  const { gate, scope, taskQueue } = venue;
  if (opts.venue && opts.venue !== gate.venue)
    throw new UsageError(`--venue ${opts.venue}, but this environment trades ${gate.venue}: ${gate.reason}`);

  // An endpoint of our own (e.g. `catalyst sim`) has its own clock and session: its date is the default.
  let tradingDate: string;
  if (gate.customEndpoint) {
    const clock = await venue.broker.getClock();
    tradingDate = opts.date ?? utcMsToNyDate(Date.parse(clock.isOpen ? clock.timestamp : clock.nextOpen));
    if (!isTradingDay(tradingDate))
      throw new UsageError(`${tradingDate} is not a trading day (a weekend or an NYSE holiday)`);
  } else {
    tradingDate = opts.date ?? defaultTradingDate(nowMs);
    const why = untradableReason(tradingDate, nowMs);
    if (why) throw new UsageError(why);
  }
  const mode = opts.mode ?? loadTradingConfig(opts.configDir ?? join(projectDir(), 'config')).session.mode;
  const input: TradingDayInput = {
    tradingDate,
    speed: venue.speed,
    mode,
    venue: gate.venue,
    account: scope.account!,
  };
  const workflowId = tradingDayWorkflowId(tradingDate, scope);

  const client = await connectClient(temporalTargetFromEnv());
  try {
    const pollers = await workflowPollers(client, taskQueue);
    if (pollers.length === 0)
      throw new Error(
        `no worker polls task queue ${taskQueue}: start \`catalyst worker\` with these ALPACA_* and TEMPORAL_* settings first; nothing was started`,
      );
    let runId: string;
    try {
      const handle = await client.workflow.start<typeof TradingDayWorkflow>('TradingDayWorkflow', {
        taskQueue,
        workflowId,
        args: [input],
        staticSummary: `Trading day ${tradingDate} (${gate.venue} ${scope.account}, ${mode})`,
        // A date runs once on Alpaca (as the schedule's launcher does); an endpoint of our own may
        // replay its date with a new session. A running day is never replaced.
        workflowIdReusePolicy: gate.customEndpoint
          ? WorkflowIdReusePolicy.ALLOW_DUPLICATE
          : WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      });
      runId = handle.firstExecutionRunId;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const running = await client.workflow
        .getHandle(workflowId)
        .describe()
        .then((d) => d.status.name === 'RUNNING')
        .catch(() => false);
      throw new Error(
        running
          ? `${workflowId} is already running (see \`catalyst day status --date ${tradingDate}\`)`
          : `${workflowId} already ran on this cluster: a date is traded once`,
      );
    }
    const uiUrl = process.env.TEMPORAL_UI_URL
      ? `${process.env.TEMPORAL_UI_URL.replace(/\/+$/, '')}/namespaces/${client.options.namespace}/workflows/${workflowId}`
      : null;
    const result = {
      workflowId,
      runId,
      tradingDate,
      venue: gate.venue,
      account: scope.account,
      mode,
      speed: venue.speed,
      taskQueue,
      workers: pollers,
      uiUrl,
    };
    out.result(result, () => {
      out.info(
        `${colour.bold(workflowId)} started: ${gate.venue} ${scope.account}, ${mode}${venue.speed !== 1 ? `, speed ×${venue.speed}` : ''}, on task queue ${taskQueue} (${pollers.length} worker${pollers.length === 1 ? '' : 's'}: ${pollers.join(', ')})`,
      );
      if (uiUrl) out.info(`Web UI: ${uiUrl}`);
      out.info(
        `follow it with \`catalyst day status\`; \`catalyst day stop\` flattens Catalyst's book and ends it`,
      );
    });
  } finally {
    await client.connection.close();
  }
}

export interface DayStopOptions {
  date?: string;
  venue?: Venue;
  json: boolean;
  /** Seconds to wait for the day to end after its flatten (0: only ask). */
  wait: number;
}

export async function dayStopCommand(opts: DayStopOptions): Promise<void> {
  const out = createOutput(opts.json);
  const client = await connectClient(temporalTargetFromEnv());
  try {
    const workflowId = await findRunningTradingDay(client, { date: opts.date, venue: opts.venue });
    const handle = client.workflow.getHandle(workflowId);
    await handle.cancel();
    out.info(
      `${workflowId}: cancel requested. The day cancels Catalyst's orders and closes Catalyst's positions (nothing else in the account) until the broker shows its book flat, then ends as cancelled`,
    );
    const status = opts.wait > 0 ? await waitForEnd(client, workflowId, opts.wait, out) : 'RUNNING';
    const ended = status !== 'RUNNING';
    out.result({ workflowId, cancelRequested: true, status, ended }, () => {
      if (!ended && opts.wait > 0)
        out.info(
          colour.yellow(
            `${workflowId} is still flattening after ${opts.wait} s; it keeps going until Catalyst's book is flat (\`catalyst day status\` shows it)`,
          ),
        );
      else if (status === 'CANCELLED')
        out.info(colour.green(`${workflowId} ended cancelled: Catalyst's book is flat`));
      else if (ended) out.info(`${workflowId} ended ${status.toLowerCase()}`);
    });
    // Not ended in time, or ended in a way that is not a clean stop: the caller should look.
    if ((opts.wait > 0 && !ended) || ['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(status))
      process.exitCode = 1;
  } finally {
    await client.connection.close();
  }
}

/** Polls until the day closes (its flatten done) or the wait is over; prints the flatten's progress. */
async function waitForEnd(client: Client, workflowId: string, seconds: number, out: Output): Promise<string> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + seconds * 1000;
  let last = '';
  for (;;) {
    const status = (await handle.describe()).status.name;
    if (status !== 'RUNNING' || Date.now() >= deadline) return status;
    const s = await handle.query(statusQuery).catch(() => null);
    if (s) {
      const line = `${s.phase}: Catalyst's positions ${s.openPositions}, open orders ${s.openOrders}${s.notFlat.length ? `, not flat yet: ${s.notFlat.join(', ')}` : ''}`;
      if (line !== last) out.info(colour.dim(line));
      last = line;
    }
    await sleep(Math.min(500, Math.max(0, deadline - Date.now())));
  }
}

export async function dayStatusCommand(opts: { date?: string; venue?: Venue; json: boolean }): Promise<void> {
  await (await import('./statusCommand')).statusCommand(opts);
}

/**
 * `catalyst schedule create|describe|pause|unpause|trigger|backfill|delete`: the venue's Temporal
 * Schedule `catalyst-trading-day-<venue…>` (09:30 America/New_York, Monday–Friday; the spec of
 * src/stack/tradingSchedule.ts) through the client's schedule API. Each fire starts the launcher
 * (ScheduledTradingDayWorkflow), which starts `trading-day-<date>-<venue…>` unless that date
 * already ran.
 *
 * `create` finds the venue from the environment (the broker's account number is in the name);
 * the others find the schedule among the cluster's Catalyst schedules (`--venue`, `--account`
 * when there are several), so pausing never needs the broker.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type CalendarSpecDescription,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import { addDays, isTradingDay, nyTimeToUtcMs, sessionBoundsMs, utcMsToNyDate } from '../domain/calendar';
import { parseEnv } from '../settings/loadSettings';
import { scheduleIdFor, type Venue } from '../shared';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { ensureTradingSchedule } from '../stack/tradingSchedule';
import { connectBrokerVenue } from '../stack/workerDeps';
import type { ScheduledTradingDayResult } from '../workflows/scheduledTradingDay';
import { UsageError } from './cliErrors';
import { formatMarketTime } from './formatTime';
import { colour, createOutput, table, type Output } from './output';
import { workflowPollers } from './taskQueuePollers';

const SCHEDULE_PREFIX = scheduleIdFor({ venue: 'simulator' }).replace(/sim$/, '');

export interface ScheduleFilter {
  venue?: Venue;
  /** The broker account number, when schedules of several accounts share the cluster. */
  account?: string;
}

/** The venue and account a Catalyst schedule id names; null for any other schedule. */
export function parseScheduleId(id: string): { venue: Venue; account: string | null } | null {
  if (!id.startsWith(SCHEDULE_PREFIX)) return null;
  const key = id.slice(SCHEDULE_PREFIX.length);
  if (key === 'sim' || key.startsWith('sim-')) return { venue: 'simulator', account: null };
  const m = /^(paper|live)-([A-Za-z0-9]+)$/.exec(key);
  return m ? { venue: m[1] as Venue, account: m[2]! } : null;
}

/** The one Catalyst schedule that matches, or a usage error saying how to pick one. */
export async function findCatalystSchedule(client: Client, filter: ScheduleFilter): Promise<string> {
  const matches = async (): Promise<string[]> => {
    const ids: string[] = [];
    for await (const s of client.schedule.list()) {
      const parsed = parseScheduleId(s.scheduleId);
      if (!parsed) continue;
      if (filter.venue && parsed.venue !== filter.venue) continue;
      if (filter.account && parsed.account !== filter.account) continue;
      ids.push(s.scheduleId);
    }
    return ids.sort();
  };
  let ids = await matches();
  // The list is read from the cluster's visibility store, which a schedule reaches a moment after its creation.
  for (let i = 0; ids.length === 0 && i < 4; i++) {
    await sleep(500);
    ids = await matches();
  }
  const what = [
    filter.venue ? `the ${filter.venue} venue` : '',
    filter.account ? `account ${filter.account}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (ids.length === 0)
    throw new UsageError(
      `no Catalyst schedule${what ? ` for ${what}` : ''} on namespace ${client.options.namespace}: create one with \`catalyst schedule create\``,
    );
  if (ids.length > 1)
    throw new UsageError(
      `several Catalyst schedules (${ids.join(', ')}); pass --venue simulator|paper|live and/or --account <number>`,
    );
  return ids[0]!;
}

const DAY_NAMES: Record<string, string> = {
  SUNDAY: 'Sun',
  MONDAY: 'Mon',
  TUESDAY: 'Tue',
  WEDNESDAY: 'Wed',
  THURSDAY: 'Thu',
  FRIDAY: 'Fri',
  SATURDAY: 'Sat',
};
const pad2 = (n: number): string => String(n).padStart(2, '0');

function ranges<T>(rs: { start: T; end: T; step: number }[], show: (v: T) => string): string {
  return rs
    .map((r) =>
      r.start === r.end
        ? show(r.start)
        : `${show(r.start)}–${show(r.end)}${r.step && r.step !== 1 ? `/${r.step}` : ''}`,
    )
    .join(',');
}

/** "Mon–Fri 09:30", or a date for a single-day calendar (a skipped holiday). */
export function describeCalendar(c: CalendarSpecDescription): string {
  const single = <T>(rs: { start: T; end: T }[]): T | null =>
    rs.length === 1 && rs[0]!.start === rs[0]!.end ? rs[0]!.start : null;
  const year = single(c.year);
  const month = single(c.month);
  const day = single(c.dayOfMonth);
  const months = [
    'JANUARY',
    'FEBRUARY',
    'MARCH',
    'APRIL',
    'MAY',
    'JUNE',
    'JULY',
    'AUGUST',
    'SEPTEMBER',
    'OCTOBER',
    'NOVEMBER',
    'DECEMBER',
  ];
  const date =
    month !== null && day !== null
      ? `${year ?? '*'}-${pad2(months.indexOf(String(month)) + 1)}-${pad2(Number(day))}`
      : null;
  const days = ranges(c.dayOfWeek, (d) => DAY_NAMES[String(d)] ?? String(d));
  const time = `${ranges(c.hour, pad2)}:${ranges(c.minute, pad2)}`;
  const text = date ? `${date} ${time}` : `${days === 'Sun–Sat' ? 'every day' : days} ${time}`;
  return c.comment ? `${text} (${c.comment})` : text;
}

/** The schedule as JSON-safe data (what `describe --json` prints). */
export function scheduleSummary(d: ScheduleDescription): Record<string, unknown> {
  const action = d.action as { workflowType?: string; taskQueue?: string; workflowId?: string };
  const parsed = parseScheduleId(d.scheduleId);
  return {
    scheduleId: d.scheduleId,
    venue: parsed?.venue ?? null,
    account: parsed?.account ?? null,
    paused: d.state.paused,
    note: d.state.note ?? null,
    timezone: d.spec.timezone ?? 'UTC',
    calendars: (d.spec.calendars ?? []).map(describeCalendar),
    skip: (d.spec.skip ?? []).map(describeCalendar),
    workflowType: action.workflowType ?? null,
    taskQueue: action.taskQueue ?? null,
    overlap: d.policies.overlap,
    catchupWindowMs: d.policies.catchupWindow,
    nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    recentActions: d.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
    runningActions: d.info.runningActions.map((a) => a.workflow.workflowId),
    numActionsTaken: d.info.numActionsTaken,
    numActionsMissedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    numActionsSkippedOverlap: d.info.numActionsSkippedOverlap,
  };
}

function printSchedule(out: Output, s: Record<string, unknown>, workers: string[] | null): void {
  const list = (v: unknown): string[] => v as string[];
  out.info(
    `${colour.bold(String(s.scheduleId))}  ${s.paused ? colour.yellow('PAUSED') : colour.green('ACTIVE')}${s.note ? `  (${String(s.note)})` : ''}`,
  );
  const rows: (string | number)[][] = [
    ['fires', `${list(s.calendars).join('; ')} ${String(s.timezone)}`],
    ...(list(s.skip).length ? [['skips', list(s.skip).join('; ')]] : []),
    [
      'starts',
      `${String(s.workflowType)} on task queue ${String(s.taskQueue)}: trading-day-<date>-… unless that date already ran`,
    ],
    [
      'policies',
      `overlap ${String(s.overlap)}, catch-up window ${Math.round(Number(s.catchupWindowMs) / 60_000)} min`,
    ],
    [
      s.paused ? 'next (if active)' : 'next',
      list(s.nextActionTimes)
        .slice(0, 3)
        .map((t) => formatMarketTime(Date.parse(t)))
        .join(', ') || '-',
    ],
    [
      'actions taken',
      `${String(s.numActionsTaken)} (missed catch-up window ${String(s.numActionsMissedCatchupWindow)}, skipped for overlap ${String(s.numActionsSkippedOverlap)})`,
    ],
  ];
  const recent = s.recentActions as { scheduledAt: string; workflowId: string }[];
  for (const a of recent.slice(-3))
    rows.push(['recent', `${formatMarketTime(Date.parse(a.scheduledAt))} → ${a.workflowId}`]);
  if (workers !== null)
    rows.push([
      'workers (recent pollers)',
      workers.length
        ? workers.join(', ')
        : colour.yellow('none polling: the launcher would wait for `catalyst worker`'),
    ]);
  out.info(table(rows));
}

export interface BackfillPlan {
  /** Today's missed 09:30 fire, the only one that can still trade; null when there is none. */
  window: { date: string; start: Date; end: Date } | null;
  /** Trading days of the range that cannot be run, each with why. */
  skipped: { date: string; why: string }[];
}

/**
 * What a backfill of [from, to] can run: a missed 09:30 of today while today's session is open.
 * A past session cannot be traded (its day would only record an empty day), and a future one
 * is fired by the schedule on its day.
 */
export function backfillPlan(from: string, to: string, nowMs: number): BackfillPlan {
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const today = utcMsToNyDate(nowMs);
  if (from > today)
    throw new UsageError(
      `--from ${from} is after today (${today} in New York): the schedule fires future days itself (\`catalyst schedule trigger\` fires one now)`,
    );
  const skipped: BackfillPlan['skipped'] = [];
  let window: BackfillPlan['window'] = null;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!isTradingDay(d)) continue;
    if (d > today) {
      skipped.push({ date: d, why: 'in the future: the schedule fires it on the day' });
      continue;
    }
    const bounds = sessionBoundsMs(d)!;
    const fireMs = nyTimeToUtcMs(d, '09:30');
    if (d < today || nowMs >= bounds.closeMs)
      skipped.push({
        date: d,
        why: `its session is over and cannot be traded (replay it: catalyst backtest --from ${d} --to ${d})`,
      });
    else if (nowMs < fireMs)
      skipped.push({ date: d, why: 'its 09:30 has not come yet: the schedule fires it' });
    else window = { date: d, start: new Date(fireMs - 1_000), end: new Date(nowMs) };
  }
  return { window, skipped };
}

/** The skipped dates in a few lines: the past sessions of a long range are one line. */
export function describeSkipped(skipped: BackfillPlan['skipped']): string[] {
  const past = skipped.filter((s) => s.why.startsWith('its session is over'));
  const lines = skipped.filter((s) => !past.includes(s)).map((s) => `${s.date}: ${s.why}`);
  if (past.length === 1) lines.unshift(`${past[0]!.date}: ${past[0]!.why}`);
  else if (past.length > 1) {
    const [first, last] = [past[0]!.date, past.at(-1)!.date];
    lines.unshift(
      `${past.length} past sessions, ${first} to ${last}: over, never traded (replay them: catalyst backtest --from ${first} --to ${last})`,
    );
  }
  return lines;
}

export type ScheduleOp = 'create' | 'describe' | 'pause' | 'unpause' | 'trigger' | 'backfill' | 'delete';

export interface ScheduleCommandOptions extends ScheduleFilter {
  json: boolean;
  /** create: create (or update) it paused. */
  paused?: boolean;
  /** create/pause/unpause: the note kept with the state. */
  note?: string;
  /** create: the fourth live opt-in, to name a live account's schedule. */
  live?: boolean;
  from?: string;
  to?: string;
  /** trigger/backfill: seconds to wait for the launcher's answer. */
  wait?: number;
  /** Test hook for backfill's "now". */
  nowMs?: number;
}

export async function scheduleCommand(op: ScheduleOp, opts: ScheduleCommandOptions): Promise<void> {
  const out = createOutput(opts.json);
  // create reads the venue from the environment: refuse a bad one before connecting anywhere.
  const env = op === 'create' ? parseEnv(process.env) : null;
  const plan = op === 'backfill' ? backfillPlan(opts.from!, opts.to!, opts.nowMs ?? Date.now()) : null;
  const client = await connectClient(temporalTargetFromEnv());
  try {
    if (op === 'create') return await create(client, out, env!, opts);
    return await onSchedule(op, client, out, opts, plan);
  } catch (err) {
    // Deleted between the list and the call (the list lags behind a moment).
    if (err instanceof ScheduleNotFoundError)
      throw new UsageError(
        `${err.scheduleId}: no such schedule (deleted?); \`catalyst schedule create\` makes it`,
      );
    throw err;
  } finally {
    await client.connection.close();
  }
}

async function onSchedule(
  op: Exclude<ScheduleOp, 'create'>,
  client: Client,
  out: Output,
  opts: ScheduleCommandOptions,
  plan: BackfillPlan | null,
): Promise<void> {
  const scheduleId = await findCatalystSchedule(client, opts);
  const handle = client.schedule.getHandle(scheduleId);
  switch (op) {
    case 'describe': {
      const d = await handle.describe();
      const s = scheduleSummary(d);
      const workers = s.taskQueue ? await workflowPollers(client, String(s.taskQueue)) : null;
      out.result({ ...s, workers }, () => printSchedule(out, s, workers));
      return;
    }
    case 'pause':
    case 'unpause': {
      const note = opts.note ?? `${op}d with catalyst schedule ${op} at ${new Date().toISOString()}`;
      if (op === 'pause') await handle.pause(note);
      else await handle.unpause(note);
      const paused = (await handle.describe()).state.paused;
      out.result({ scheduleId, paused, note }, () =>
        out.info(
          `${scheduleId}: ${paused ? 'paused: no day starts at 09:30 until `catalyst schedule unpause` (a running day goes on; `catalyst day stop` ends it)' : 'active: the next weekday 09:30 New York starts its day'}`,
        ),
      );
      return;
    }
    case 'trigger': {
      const before = await handle.describe();
      await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
      out.info(`${scheduleId}: triggered now (the launcher starts today's day unless that date already ran)`);
      await reportLaunch(client, out, handle, before, opts.wait ?? 15, { scheduleId, triggered: true });
      return;
    }
    case 'backfill': {
      for (const line of describeSkipped(plan!.skipped)) out.info(colour.dim(line));
      if (!plan!.window)
        throw new Error(
          `nothing to backfill between ${opts.from} and ${opts.to}: only a missed 09:30 of today, while its session is open, can still trade`,
        );
      const before = await handle.describe();
      await handle.backfill({
        start: plan!.window.start,
        end: plan!.window.end,
        overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      });
      out.info(`${scheduleId}: backfilled the 09:30 of ${plan!.window.date}`);
      await reportLaunch(client, out, handle, before, opts.wait ?? 15, {
        scheduleId,
        backfilled: plan!.window.date,
        skipped: plan!.skipped,
      });
      return;
    }
    case 'delete': {
      await handle.delete();
      out.result({ scheduleId, deleted: true }, () =>
        out.info(
          `${scheduleId}: deleted. Days already started go on; \`catalyst schedule create\` makes it again`,
        ),
      );
      return;
    }
  }
}

async function create(
  client: Client,
  out: Output,
  env: ReturnType<typeof parseEnv>,
  opts: ScheduleCommandOptions,
): Promise<void> {
  const venue = await connectBrokerVenue({
    env,
    live: opts.live ?? false,
    speed: 1,
    who: '`catalyst schedule create`',
  });
  if (opts.venue && opts.venue !== venue.gate.venue)
    throw new UsageError(
      `--venue ${opts.venue}, but this environment trades ${venue.gate.venue}: ${venue.gate.reason}`,
    );
  // An endpoint of our own keeps its own clock: firing at New York's 09:30 would trade the wrong session.
  const paused = venue.gate.customEndpoint || (opts.paused ?? false);
  const note =
    opts.note ??
    (venue.gate.customEndpoint
      ? `paused: ${venue.gate.tradingBaseUrl} keeps its own clock; \`catalyst day start\` runs its sessions`
      : `${paused ? 'paused' : 'active'}: ${venue.gate.venue} trading (catalyst schedule create)`);
  const action = await ensureTradingSchedule(client, venue.scope, { paused, note });
  const d = await client.schedule.getHandle(scheduleIdFor(venue.scope)).describe();
  const s = scheduleSummary(d);
  const workers = await workflowPollers(client, venue.taskQueue);
  out.result({ ...s, action, workers }, () => {
    out.info(`${colour.bold(String(s.scheduleId))} ${action}`);
    printSchedule(out, s, workers);
  });
}

/** Waits (bounded) for the action the trigger or backfill took, and says what its launcher did. */
async function reportLaunch(
  client: Client,
  out: Output,
  handle: ScheduleHandle,
  before: ScheduleDescription,
  waitSeconds: number,
  base: Record<string, unknown>,
): Promise<void> {
  const seen = new Set(before.info.recentActions.map((a) => a.action.workflow.firstExecutionRunId));
  const deadline = Date.now() + waitSeconds * 1000;
  let launcher: { workflowId: string; firstExecutionRunId: string } | null = null;
  while (!launcher && Date.now() < deadline) {
    const d = await handle.describe();
    launcher =
      d.info.recentActions.map((a) => a.action.workflow).find((w) => !seen.has(w.firstExecutionRunId)) ??
      null;
    if (!launcher) await sleep(300);
  }
  if (!launcher) {
    out.result({ ...base, launcher: null, result: null }, () =>
      out.info(colour.yellow(`the schedule has not taken the action yet (waited ${waitSeconds} s)`)),
    );
    return;
  }
  const taskQueue = String((before.action as { taskQueue?: string }).taskQueue ?? '');
  const workers = taskQueue ? await workflowPollers(client, taskQueue) : [];
  const result = await Promise.race([
    client.workflow
      .getHandle(launcher.workflowId, launcher.firstExecutionRunId)
      .result()
      .then((r) => r as ScheduledTradingDayResult),
    sleep(Math.max(0, deadline - Date.now())).then(() => null),
  ]).catch((err: unknown) => {
    throw new Error(`the launcher ${launcher.workflowId} failed: ${(err as Error).message}`);
  });
  out.result({ ...base, launcher: launcher.workflowId, result }, () => {
    if (result)
      out.info(
        result.started
          ? colour.green(`${launcher.workflowId} started ${result.workflowId}`)
          : `${launcher.workflowId}: ${result.workflowId} not started (${result.reason})`,
      );
    else
      out.info(
        colour.yellow(
          workers.length
            ? `${launcher.workflowId} has not finished yet; \`catalyst schedule describe\` shows what it started`
            : `${launcher.workflowId} waits for a worker: none polls ${taskQueue} (start \`catalyst worker\`)`,
        ),
      );
  });
}

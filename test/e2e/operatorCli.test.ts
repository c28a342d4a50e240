/**
 * `catalyst schedule …` and `catalyst day start|stop` against the shared dev server, called
 * in-process as the CLI calls them (their JSON output is what is checked), with a simulator
 * reached through ALPACA_BASE_URL as the broker that names the venue. Then a few real CLI
 * processes, for what only a process shows: `--version`, and the exit code and the single line of
 * a start-up that cannot reach Temporal, the database or the broker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { UsageError } from '../../src/client/cliErrors';
import { dayStartCommand, dayStopCommand } from '../../src/client/dayCommand';
import { packageVersion } from '../../src/client/operatorCli';
import {
  scheduleCommand,
  type ScheduleCommandOptions,
  type ScheduleOp,
} from '../../src/client/scheduleCommand';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import { SettingsError } from '../../src/settings/settingsError';
import { startSimulator, type RunningSimulator } from '../../src/sim/startSimulator';
import { DATABASE_URL_REQUIRED, startStandaloneWorker } from '../../src/stack/standaloneWorker';
import { ensureTradingSchedule } from '../../src/stack/tradingSchedule';
import { PROJECT_DIR } from '../support/catalystHarness';
import { freePort } from '../support/freePort';
import { runCatalyst } from '../support/runCatalyst';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';
import { temporalInterceptors } from '../../src/stack/temporalConnection';

const SEED = 43;
const ACCOUNT = `PA00000000${SEED}`;
const SCHEDULE_ID = `catalyst-trading-day-paper-${ACCOUNT}`;
const OTHER = { venue: 'paper' as const, account: 'PA0000000099' };
const MINE = { venue: 'paper' as const, account: ACCOUNT };

/** Runs a command in-process and returns the JSON line it printed on stdout. */
async function jsonOf(run: () => Promise<void>): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await run();
  } finally {
    spy.mockRestore();
    quiet.mockRestore();
  }
  return JSON.parse(lines.join('').trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const schedule = (op: ScheduleOp, opts: Partial<ScheduleCommandOptions> = {}) =>
  jsonOf(() => scheduleCommand(op, { json: true, ...MINE, ...opts }));

const ny = (date: string, time: string): number => nyTimeToUtcMs(date, time);

describe('catalyst schedule and catalyst day, in-process', () => {
  let sim: RunningSimulator;
  let client: Client;
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startSimulator({ seed: SEED, speed: 1, date: '2026-11-27' });
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      ALPACA_BASE_URL: sim.url,
      ALPACA_API_KEY: sim.keyId,
      ALPACA_SECRET_KEY: sim.secretKey,
    });
    delete process.env.ALPACA_DATA_URL;
    client = new Client({
      connection: await Connection.connect({
        interceptors: temporalInterceptors(),
        address: inject('temporalAddress'),
      }),
    });
    for (const id of [SCHEDULE_ID, `catalyst-trading-day-paper-${OTHER.account}`])
      await client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
  });

  afterEach(async () => {
    // Launchers fired with no worker polling wait forever: end them.
    for await (const wf of client.workflow.list({
      query: `WorkflowType = 'ScheduledTradingDayWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = 'catalyst-paper-${ACCOUNT}'`,
    }))
      await client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('test over')
        .catch(() => undefined);
  });

  afterAll(async () => {
    for (const id of [SCHEDULE_ID, `catalyst-trading-day-paper-${OTHER.account}`])
      await client?.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await client?.connection.close();
    await sim?.close();
    process.env = saved;
  });

  it('create: the venue’s schedule at 09:30 New York, Monday–Friday, paused for an endpoint with its own clock', async () => {
    const created = await jsonOf(() => scheduleCommand('create', { json: true }));
    expect(created).toMatchObject({
      scheduleId: SCHEDULE_ID,
      action: 'created',
      venue: 'paper',
      account: ACCOUNT,
      paused: true,
      timezone: 'America/New_York',
      calendars: ['Mon–Fri 09:30 (US equities open)'],
      workflowType: 'ScheduledTradingDayWorkflow',
      taskQueue: `catalyst-paper-${ACCOUNT}`,
      overlap: 'SKIP',
      catchupWindowMs: 15 * 60_000,
      workers: [],
    });
    expect(String(created.note)).toMatch(/keeps its own clock/);
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const next = created.nextActionTimes as string[];
    expect(next.length).toBeGreaterThan(3);
    for (const t of next) expect(fmt.format(new Date(t))).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30$/);

    expect(await jsonOf(() => scheduleCommand('create', { json: true }))).toMatchObject({
      scheduleId: SCHEDULE_ID,
      action: 'updated',
    });
  });

  it('describe finds it by venue and account, and asks which one when several match', async () => {
    expect(await schedule('describe')).toMatchObject({ scheduleId: SCHEDULE_ID, paused: true });
    await ensureTradingSchedule(client, OTHER, { paused: true, note: 'another account' });
    const several = await scheduleCommand('describe', { json: true, venue: 'paper' }).catch(
      (e: unknown) => e,
    );
    expect(several).toBeInstanceOf(UsageError);
    expect((several as Error).message).toMatch(
      new RegExp(
        `^several Catalyst schedules \\(.*${SCHEDULE_ID}.*\\); pass --venue simulator\\|paper\\|live and/or --account <number>$`,
      ),
    );
  });

  it('pause and unpause keep the note', async () => {
    expect(await schedule('unpause', { note: 'trading again' })).toEqual({
      scheduleId: SCHEDULE_ID,
      paused: false,
      note: 'trading again',
    });
    expect(await schedule('pause', { note: 'FOMC day' })).toEqual({
      scheduleId: SCHEDULE_ID,
      paused: true,
      note: 'FOMC day',
    });
    expect(await schedule('describe')).toMatchObject({ paused: true, note: 'FOMC day' });
  });

  it('trigger fires the launcher now (even paused) and says no worker polls its queue yet', async () => {
    const out = await schedule('trigger', { wait: 3 });
    expect(out).toMatchObject({ scheduleId: SCHEDULE_ID, triggered: true, result: null });
    expect(String(out.launcher)).toMatch(new RegExp(`^trading-day-launcher-paper-${ACCOUNT}-`));
    const d = await client.schedule.getHandle(SCHEDULE_ID).describe();
    expect(d.info.recentActions.map((a) => a.action.workflow.workflowId)).toContain(out.launcher);
  });

  it('backfill runs a missed 09:30 of today at most, and lists the past sessions it will not trade', async () => {
    // "Now" is 10:00 New York on 2026-11-24 (in the past, so the schedule accepts the backfill).
    const nowMs = ny('2026-11-24', '10:00');
    const out = await schedule('backfill', { from: '2026-11-20', to: '2026-11-24', nowMs, wait: 3 });
    expect(out).toMatchObject({ scheduleId: SCHEDULE_ID, backfilled: '2026-11-24', result: null });
    expect((out.skipped as { date: string }[]).map((s) => s.date)).toEqual(['2026-11-20', '2026-11-23']);
    expect(out.launcher).toBe(`trading-day-launcher-paper-${ACCOUNT}-2026-11-24T14:30:00Z`);
    const d = await client.schedule.getHandle(SCHEDULE_ID).describe();
    expect(d.info.recentActions.map((a) => a.scheduledAt.toISOString())).toContain(
      '2026-11-24T14:30:00.000Z',
    );

    const past = await jsonOf(() =>
      scheduleCommand('backfill', {
        json: true,
        ...MINE,
        from: '2026-11-02',
        to: '2026-11-06',
        nowMs,
      }),
    ).catch((e: unknown) => e);
    expect(past).not.toBeInstanceOf(UsageError);
    expect((past as Error).message).toBe(
      'nothing to backfill between 2026-11-02 and 2026-11-06: only a missed 09:30 of today, while its session is open, can still trade',
    );
  });

  it('day start refuses to start a day no worker would run, and names the queue', async () => {
    const err = await dayStartCommand({ speed: 1, live: false, json: true }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `no worker polls task queue catalyst-paper-${ACCOUNT}: start \`catalyst worker\` with these ALPACA_* and TEMPORAL_* settings first; nothing was started`,
    );
    await expect(
      client.workflow.getHandle(`trading-day-2026-11-27-paper-${ACCOUNT}`).describe(),
    ).rejects.toThrow(/not found/i);
  });

  it('day start refuses a venue the environment does not trade, and a missing broker', async () => {
    const wrong = await dayStartCommand({ venue: 'live', speed: 1, live: false, json: true }).catch(
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(UsageError);
    expect((wrong as Error).message).toMatch(/^--venue live, but this environment trades paper: /);

    const keys = {
      key: process.env.ALPACA_API_KEY,
      secret: process.env.ALPACA_SECRET_KEY,
      url: process.env.ALPACA_BASE_URL,
    };
    delete process.env.ALPACA_API_KEY;
    delete process.env.ALPACA_SECRET_KEY;
    delete process.env.ALPACA_BASE_URL;
    try {
      const none = await dayStartCommand({ speed: 1, live: false, json: true }).catch((e: unknown) => e);
      expect(none).toBeInstanceOf(SettingsError);
      expect((none as Error).message).toMatch(
        /^`catalyst day start` needs a broker: set ALPACA_API_KEY and ALPACA_SECRET_KEY/,
      );
    } finally {
      Object.assign(process.env, {
        ALPACA_API_KEY: keys.key,
        ALPACA_SECRET_KEY: keys.secret,
        ALPACA_BASE_URL: keys.url,
      });
    }
  });

  it('day stop with no such day running is bad usage, and says how to start one', async () => {
    const err = await dayStopCommand({ date: '2026-11-27', venue: 'paper', json: true, wait: 0 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^no trading day is running on 2026-11-27 on the paper venue/);
  });

  it('delete removes it; then there is none to find', async () => {
    expect(await schedule('delete')).toEqual({ scheduleId: SCHEDULE_ID, deleted: true });
    const err = await scheduleCommand('describe', { json: true, ...MINE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^(no Catalyst schedule for the paper venue, account ${ACCOUNT}|${SCHEDULE_ID}: no such schedule)`,
      ),
    );
  });
});

describe('the catalyst binary: the version, and one line and a non-zero exit when a part cannot be reached', () => {
  let temp: TempDatabase;
  let sim: RunningSimulator;
  beforeAll(async () => {
    temp = await createTempDatabase();
    sim = await startSimulator({ seed: SEED, speed: 1, date: '2026-11-27' });
  });
  afterAll(async () => {
    await sim?.close();
    await temp?.drop();
  });

  it('prints the package version', async () => {
    const run = await runCatalyst(['--version'], {}, 30_000);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(packageVersion());
  });

  it('`catalyst worker` ends each fatal start-up with one line, exits non-zero, and leaves nothing running', async () => {
    const closed = await freePort();
    const home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    const base = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: temp.url,
      ALPACA_BASE_URL: sim.url,
      ALPACA_API_KEY: sim.keyId,
      ALPACA_SECRET_KEY: sim.secretKey,
      CATALYST_HOME: home,
    };
    const cases: [string, NodeJS.ProcessEnv, number, RegExp][] = [
      [
        'Temporal unreachable',
        { ...base, TEMPORAL_ADDRESS: `127.0.0.1:${closed}` },
        1,
        new RegExp(`^catalyst: cannot reach Temporal at 127\\.0\\.0\\.1:${closed} \\(connection refused\\)`),
      ],
      [
        'database unreachable',
        { ...base, DATABASE_URL: `postgresql://postgres@127.0.0.1:${closed}/catalyst` },
        1,
        new RegExp(
          `^catalyst: cannot connect to DATABASE_URL postgresql://postgres@127\\.0\\.0\\.1:${closed}/catalyst`,
        ),
      ],
      [
        'broker unreachable',
        { ...base, ALPACA_BASE_URL: `http://127.0.0.1:${closed}` },
        1,
        new RegExp(`^catalyst: cannot reach the broker at http://127\\.0\\.0\\.1:${closed}: `),
      ],
    ];
    const runs = await Promise.all(cases.map(([, env]) => runCatalyst(['worker'], env, 30_000)));
    cases.forEach(([what, , code, line], i) => {
      const run = runs[i]!;
      expect(run.code, `${what}: ${run.stderr}`).toBe(code);
      expect(run.stderr.trim().split('\n'), what).toHaveLength(1);
      expect(run.stderr.trim(), what).toMatch(line);
      expect(run.stdout, what).not.toMatch(/worker ready/);
      // The process itself ended (runCatalyst resolves on exit): within seconds, not a hang.
      expect(run.ms, what).toBeLessThan(15_000);
    });
  });

  it('`catalyst worker` without DATABASE_URL is a configuration error (exit 2) before anything connects', async () => {
    const err = await startStandaloneWorker({
      projectDir: PROJECT_DIR,
      homeDir: mkdtempSync(join(tmpdir(), 'catalyst-home-')),
      env: { TEMPORAL_ADDRESS: '127.0.0.1:1', ALPACA_API_KEY: 'SIMKEY', ALPACA_SECRET_KEY: 'SIMSECRET' },
      live: false,
      speed: 1,
      log: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    expect((err as Error).message).toBe(DATABASE_URL_REQUIRED);
  });

  it('any command with Temporal unreachable: one line, exit 1, no stack trace', async () => {
    const closed = await freePort();
    const run = await runCatalyst(
      ['schedule', 'describe'],
      { TEMPORAL_ADDRESS: `127.0.0.1:${closed}` },
      30_000,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `catalyst: cannot reach Temporal at 127.0.0.1:${closed} (connection refused). Is \`catalyst up\` running, or TEMPORAL_ADDRESS set?`,
    );
  });
});

/**
 * The operator commands' arguments and the pure rules behind them, without Temporal: what a bad
 * flag says, what each command's help shows, which dates `day start` and `schedule backfill`
 * accept at a given New York time, how a Catalyst schedule's id and calendar read, and how the
 * Temporal connection is configured for TLS, an API key or mTLS.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/client/cliErrors';
import { defaultTradingDate, untradableReason } from '../../src/client/dayCommand';
import {
  packageVersion,
  registerDayCommand,
  registerScheduleCommand,
  registerVersion,
  registerWorkerCommand,
} from '../../src/client/operatorCli';
import {
  backfillPlan,
  describeCalendar,
  describeSkipped,
  parseScheduleId,
} from '../../src/client/scheduleCommand';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import { parseEnv } from '../../src/settings/loadSettings';
import { probeAddress, temporalTargetFromEnv, tlsConfigFor } from '../../src/stack/temporalConnection';
import { selfSignedCert } from '../support/selfSignedCert';

/** A program with the operator commands, whose output is kept instead of printed. */
function program(): { cli: Command; out: () => string } {
  let text = '';
  const cli = new Command('catalyst').exitOverride();
  registerVersion(cli);
  registerWorkerCommand(cli);
  registerDayCommand(cli);
  registerScheduleCommand(cli);
  const capture = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    c.commands.forEach(capture);
  };
  capture(cli);
  return { cli, out: () => text };
}

const parse = (args: string[]) => {
  const p = program();
  return { run: p.cli.parseAsync(['node', 'catalyst', ...args]), out: p.out };
};

const ny = (date: string, time: string): number => nyTimeToUtcMs(date, time);

describe('catalyst --version and the help of each operator command', () => {
  it('prints the version of package.json', async () => {
    const { run, out } = parse(['--version']);
    await expect(run).rejects.toMatchObject({ code: 'commander.version', exitCode: 0 });
    expect(out().trim()).toBe(packageVersion());
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('gives every command a description and an example', async () => {
    const commands = [
      ['worker'],
      ['day'],
      ['day', 'start'],
      ['day', 'stop'],
      ['day', 'status'],
      ['schedule'],
      ...['create', 'describe', 'pause', 'unpause', 'trigger', 'backfill', 'delete'].map((c) => [
        'schedule',
        c,
      ]),
    ];
    for (const path of commands) {
      const { run, out } = parse([...path, '--help']);
      await expect(run).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
      expect(out(), path.join(' ')).toMatch(/\nExample:\n {2}catalyst /);
      expect(out(), path.join(' ')).toMatch(/^Usage: catalyst /);
    }
  });

  it('says what stop does to the book', async () => {
    const { run, out } = parse(['day', 'stop', '--help']);
    await expect(run).rejects.toBeInstanceOf(CommanderError);
    expect(out().replace(/\s+/g, ' ')).toMatch(
      /closes Catalyst's positions \(nothing else in the account\) until its book is flat, then ends as cancelled/,
    );
  });
});

describe('bad arguments: one message naming the flag, before anything connects', () => {
  it.each([
    [
      ['day', 'start', '--date', '2026-02-30'],
      '--date must be a calendar date YYYY-MM-DD (got "2026-02-30")',
    ],
    [['day', 'stop', '--venue', 'moon'], '--venue must be simulator, paper or live (got "moon")'],
    [['day', 'start', '--mode', 'yolo'], '--mode must be supervised or autonomous (got "yolo")'],
    [['worker', '--speed', '0'], '--speed must be a number greater than 0 and at most 100000 (got "0")'],
    [['day', 'stop', '--wait', '-1'], '--wait must be a number greater than 0 and at most 3600 (got "-1")'],
    [
      ['schedule', 'pause', '--account', 'PA-1;drop'],
      '--account must be an account number of letters and digits (got "PA-1;drop")',
    ],
    [
      ['schedule', 'backfill', '--from', '2026-11-02', '--to', 'soon'],
      '--to must be a calendar date YYYY-MM-DD (got "soon")',
    ],
  ])('%j', async (args, message) => {
    const { run } = parse(args);
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(message);
  });

  it('a missing required flag is commander’s one line', async () => {
    const { run, out } = parse(['schedule', 'backfill', '--from', '2026-11-02']);
    await expect(run).rejects.toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
    expect(out().trim()).toBe("error: required option '--to <YYYY-MM-DD>' not specified");
  });
});

describe('the dates `day start` trades on Alpaca', () => {
  it('defaults to today while its session is open or ahead, else the next trading day', () => {
    expect(defaultTradingDate(ny('2026-11-24', '08:00'))).toBe('2026-11-24');
    expect(defaultTradingDate(ny('2026-11-24', '15:59'))).toBe('2026-11-24');
    expect(defaultTradingDate(ny('2026-11-24', '16:00'))).toBe('2026-11-25');
    // Thanksgiving, then the early close of the day after (13:00).
    expect(defaultTradingDate(ny('2026-11-26', '10:00'))).toBe('2026-11-27');
    expect(defaultTradingDate(ny('2026-11-27', '13:30'))).toBe('2026-11-30');
    expect(defaultTradingDate(ny('2026-11-28', '10:00'))).toBe('2026-11-30');
  });

  it('refuses past sessions, holidays and weekends, and says what to do instead', () => {
    const now = ny('2026-11-24', '11:00');
    expect(untradableReason('2026-11-24', now)).toBeNull();
    expect(untradableReason('2026-11-25', now)).toBeNull();
    expect(untradableReason('2026-11-23', now)).toBe(
      'the session of 2026-11-23 is over and cannot be traded (replay it on the simulator: catalyst backtest --from 2026-11-23 --to 2026-11-23)',
    );
    expect(untradableReason('2026-11-24', ny('2026-11-24', '16:00'))).toMatch(
      /session of 2026-11-24 is over/,
    );
    expect(untradableReason('2026-11-26', now)).toBe(
      '2026-11-26 is not a trading day (a weekend or an NYSE holiday)',
    );
    expect(untradableReason('2026-11-28', now)).toMatch(/not a trading day/);
  });
});

describe('schedule backfill: only a missed 09:30 of today, while its session is open, can trade', () => {
  it('backfills today’s 09:30 up to now, and lists the past sessions of the range as not traded', () => {
    const now = ny('2026-11-24', '10:15');
    const plan = backfillPlan('2026-11-20', '2026-11-24', now);
    expect(plan.window).toEqual({
      date: '2026-11-24',
      start: new Date(ny('2026-11-24', '09:30') - 1_000),
      end: new Date(now),
    });
    expect(plan.skipped.map((s) => s.date)).toEqual(['2026-11-20', '2026-11-23']);
    expect(plan.skipped[0]!.why).toMatch(
      /session is over and cannot be traded .*catalyst backtest --from 2026-11-20/,
    );
  });

  it('has nothing to run before 09:30, after the close (13:00 on an early close) or for a past range', () => {
    expect(backfillPlan('2026-11-24', '2026-11-24', ny('2026-11-24', '09:00'))).toEqual({
      window: null,
      skipped: [{ date: '2026-11-24', why: 'its 09:30 has not come yet: the schedule fires it' }],
    });
    expect(backfillPlan('2026-11-27', '2026-11-27', ny('2026-11-27', '13:05')).window).toBeNull();
    expect(backfillPlan('2026-11-27', '2026-11-27', ny('2026-11-27', '12:55')).window?.date).toBe(
      '2026-11-27',
    );
    expect(backfillPlan('2026-11-02', '2026-11-06', ny('2026-11-24', '10:00')).window).toBeNull();
    // Weekends and holidays are no fire at all.
    expect(
      backfillPlan('2026-11-26', '2026-11-29', ny('2026-11-30', '10:00')).skipped.map((s) => s.date),
    ).toEqual(['2026-11-27']);
  });

  it('says which dates it will not run in a few lines', () => {
    const plan = backfillPlan('2026-11-02', '2026-11-25', ny('2026-11-24', '09:00'));
    expect(describeSkipped(plan.skipped)).toEqual([
      '16 past sessions, 2026-11-02 to 2026-11-23: over, never traded (replay them: catalyst backtest --from 2026-11-02 --to 2026-11-23)',
      '2026-11-24: its 09:30 has not come yet: the schedule fires it',
      '2026-11-25: in the future: the schedule fires it on the day',
    ]);
  });

  it('refuses a reversed or a future range as bad usage', () => {
    expect(() => backfillPlan('2026-11-24', '2026-11-20', ny('2026-11-24', '10:00'))).toThrow(
      new UsageError('--from 2026-11-24 is after --to 2026-11-20'),
    );
    expect(() => backfillPlan('2026-11-25', '2026-11-26', ny('2026-11-24', '10:00'))).toThrow(UsageError);
    // A range reaching into the future keeps today's fire and names the later days.
    const plan = backfillPlan('2026-11-24', '2026-11-25', ny('2026-11-24', '10:00'));
    expect(plan.window?.date).toBe('2026-11-24');
    expect(plan.skipped).toEqual([
      { date: '2026-11-25', why: 'in the future: the schedule fires it on the day' },
    ]);
  });
});

describe('Catalyst schedules', () => {
  it('reads the venue and account from the id, and ignores other schedules', () => {
    expect(parseScheduleId('catalyst-trading-day-sim')).toEqual({ venue: 'simulator', account: null });
    expect(parseScheduleId('catalyst-trading-day-paper-PA123')).toEqual({ venue: 'paper', account: 'PA123' });
    expect(parseScheduleId('catalyst-trading-day-live-987')).toEqual({ venue: 'live', account: '987' });
    expect(parseScheduleId('nightly-backup')).toBeNull();
    expect(parseScheduleId('catalyst-trading-day-moon-1')).toBeNull();
  });

  it('describes a calendar as a person reads it', () => {
    const r = <T>(start: T, end: T = start) => [{ start, end, step: 1 }];
    const base = {
      second: r(0),
      dayOfMonth: r(1, 31),
      month: r('JANUARY' as const, 'DECEMBER' as const),
      year: [],
    };
    expect(
      describeCalendar({
        ...base,
        hour: r(9),
        minute: r(30),
        dayOfWeek: r('MONDAY' as const, 'FRIDAY' as const),
        comment: 'US equities open',
      }),
    ).toBe('Mon–Fri 09:30 (US equities open)');
    expect(
      describeCalendar({
        ...base,
        hour: r(9),
        minute: r(30),
        dayOfMonth: r(26),
        month: r('NOVEMBER' as const),
        year: r(2026),
        dayOfWeek: r('SUNDAY' as const, 'SATURDAY' as const),
      }),
    ).toBe('2026-11-26 09:30');
  });
});

describe('the Temporal connection: address, namespace, TLS, API key, mTLS', () => {
  it('defaults to the local dev server without TLS', () => {
    expect(temporalTargetFromEnv({})).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      apiKey: undefined,
      tls: false,
    });
    expect(tlsConfigFor(temporalTargetFromEnv({}))).toBeUndefined();
  });

  it('turns TLS on with an API key (Temporal Cloud) unless TEMPORAL_TLS=false', () => {
    const cloud = temporalTargetFromEnv({
      TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'my-ns.a1b2c',
      TEMPORAL_API_KEY: 'key',
    });
    expect(cloud).toMatchObject({ namespace: 'my-ns.a1b2c', apiKey: 'key', tls: true });
    expect(tlsConfigFor(cloud)).toEqual({});
    expect(temporalTargetFromEnv({ TEMPORAL_API_KEY: 'key', TEMPORAL_TLS: 'false' }).tls).toBe(false);
  });

  it('reads the mTLS certificate, key and CA files, with the server name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-mtls-'));
    const { cert, key } = selfSignedCert();
    writeFileSync(join(dir, 'client.pem'), cert);
    writeFileSync(join(dir, 'client.key'), key);
    writeFileSync(join(dir, 'ca.pem'), cert);
    const target = temporalTargetFromEnv({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'client.key'),
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    });
    expect(target.tls).toBe(true);
    const tls = tlsConfigFor(target)!;
    expect(Buffer.from(tls.clientCertPair!.crt).toString()).toBe(cert);
    expect(Buffer.from(tls.clientCertPair!.key).toString()).toBe(key);
    expect(Buffer.from(tls.serverRootCACertificate!).toString()).toBe(cert);
    expect(tls.serverNameOverride).toBe('temporal');
  });

  it('names the variable and the file it cannot read, and refuses half a certificate pair', () => {
    expect(() =>
      tlsConfigFor(
        temporalTargetFromEnv({
          TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem',
          TEMPORAL_TLS_CLIENT_KEY_PATH: '/nonexistent/client.key',
        }),
      ),
    ).toThrow('cannot read TEMPORAL_TLS_CLIENT_CERT_PATH /nonexistent/client.pem: file not found');
    expect(() => tlsConfigFor(temporalTargetFromEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/x.pem' }))).toThrow(
      /needs both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    expect(() => parseEnv({ TEMPORAL_TLS_CLIENT_KEY_PATH: '/x.key' })).toThrow(
      'environment variable TEMPORAL_TLS_CLIENT_CERT_PATH must be set because TEMPORAL_TLS_CLIENT_KEY_PATH is (set both or neither)',
    );
    expect(
      parseEnv({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c', TEMPORAL_TLS_CLIENT_KEY_PATH: '/k' }).TEMPORAL_TLS,
    ).toBe(true);
  });

  it('knows at once that a closed port does not answer, and says nothing of one that does', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    expect(await probeAddress(`127.0.0.1:${port}`)).toBeNull();
    server.close();
    await new Promise((r) => server.once('close', r));
    const started = Date.now();
    expect(await probeAddress(`127.0.0.1:${port}`)).toBe('connection refused');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

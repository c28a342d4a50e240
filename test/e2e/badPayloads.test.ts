/**
 * Bad-input battery, category (c): raw signal, query and update payloads sent through the Temporal
 * client to a running TradingDayWorkflow (real dev server, the real workflow bundle, the fake
 * venue's stubs as activities — test/workflows/specs/specWorker.ts). Each row is one malformed
 * message; the count of rows is the count of cases.
 *
 *  - an update with a bad payload is rejected by its validator with one clear message, and the day
 *    keeps running with its status unchanged (queried before and after);
 *  - a bad monitor report (or a signal nobody handles) is ignored: the day keeps running, its
 *    status unchanged — never a failed workflow task, never garbage in the status;
 *  - a malformed emergency stop still halts (by design: a malformed request must never be the
 *    reason the book stays open), with safe defaults for every malformed field;
 *  - a bad query argument (or an unknown query) is a query error; the day is unaffected.
 *
 * Two days run side by side: day A waits for its open (no monitor, no cycle: its status only
 * changes through what the test sends), day B is supervised with candidates waiting for approval.
 * Cleanup terminates both and replays their histories against the workflow code.
 *
 * The battery's four files, one table of rows each: (a) test/battery/configFiles.test.ts,
 * (b) test/battery/cliArguments.test.ts, (c) test/e2e/badPayloads.test.ts (it needs the Temporal
 * dev server, so it runs in the `temporal` project), (d) test/battery/brokerResponses.test.ts.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TradingDayStatus } from '../../src/workflows/messages';
import { FakeVenue } from '../workflows/specs/fakeVenue';
import {
  startSpecWorker,
  waitFor,
  waitForStatus,
  type SpecDay,
  type SpecWorker,
} from '../workflows/specs/specWorker';

const HUGE = 'X'.repeat(100_000);

/** A well-formed monitor report, the base the bad ones are cut from. */
const REPORT = {
  marketTimeMs: 1_795_530_000_000,
  openPositions: 2,
  openOrders: 4,
  foreignPositions: 7,
  foreignOrders: 5,
  realizedPnl: '12.34',
  unrealizedPnl: '-1.50',
  dailyPnl: '10.84',
  closedByMonitor: [],
  failedTicks: 0,
};

/** The update's rejection message (it must be rejected, as a WorkflowUpdateFailedError). */
async function rejection(update: Promise<unknown>): Promise<string> {
  const err = await update.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the update was accepted').toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

async function running(day: SpecDay): Promise<string> {
  return (await day.handle.describe()).status.name;
}

describe('bad-input battery (c): raw payloads to a running TradingDayWorkflow', () => {
  let w: SpecWorker;
  /** Waits for its open: nothing but the test's messages changes its status. */
  let dayA: SpecDay;
  /** Supervised, cycle 1's candidates (AAA, ABB, ACC) waiting for approval. */
  let dayB: SpecDay;
  let baselineA: TradingDayStatus;
  let baselineB: TradingDayStatus;

  beforeAll(async () => {
    w = await startSpecWorker('badpayloads');
    const venueA = new FakeVenue({ speed: 1, startMinutesBeforeOpen: 120 });
    const venueB = new FakeVenue({ speed: 60, config: { approvalTimeoutMinutes: 60 } });
    [dayA, dayB] = await Promise.all([w.startDay(venueA), w.startDay(venueB, { mode: 'supervised' })]);
    baselineA = await waitForStatus(
      dayA,
      'day A waiting for its open',
      (s) => s.phase === 'waiting_for_open' && s.marketTimeMs !== null,
    );
    baselineB = await waitForStatus(dayB, 'day B candidates waiting', (s) => s.pendingApproval?.cycle === 1);
    expect(baselineB.pendingApproval!.candidates.map((c) => c.symbol)).toEqual(['AAA', 'ABB', 'ACC']);
  });

  afterAll(async () => {
    try {
      await w?.cleanup(); // terminates both days and replays their histories
    } finally {
      await w?.close();
    }
  });

  /** Day B's status as far as an approval decision could change it. */
  const decisionState = (s: TradingDayStatus) => ({
    phase: s.phase,
    mode: s.mode,
    cycle: s.cycle,
    pendingApproval: s.pendingApproval,
    ordersSubmitted: s.ordersSubmitted,
    halted: s.halted,
    entriesPaused: s.entriesPaused,
  });

  describe('updates with a bad payload are rejected with one clear message; the day is unchanged', () => {
    const updates: [string, 'A' | 'B', string, unknown[], RegExp][] = [
      [
        'setEntriesPaused "yes" (a string)',
        'A',
        'setEntriesPaused',
        ['yes'],
        /paused must be true or false \(got "yes"\)/,
      ],
      ['setEntriesPaused null', 'A', 'setEntriesPaused', [null], /paused must be true or false \(got null\)/],
      ['setEntriesPaused with no argument', 'A', 'setEntriesPaused', [], /paused must be true or false/],
      [
        'setEntriesPaused 1 (a number)',
        'A',
        'setEntriesPaused',
        [1],
        /paused must be true or false \(got 1\)/,
      ],
      [
        'setMode "AUTONOMOUS" (wrong case)',
        'A',
        'setMode',
        ['AUTONOMOUS'],
        /mode must be supervised or autonomous \(got "AUTONOMOUS"\)/,
      ],
      [
        'setMode {mode: …} (an object)',
        'A',
        'setMode',
        [{ mode: 'supervised' }],
        /mode must be supervised or autonomous \(got \{"mode":"supervised"\}\)/,
      ],
      [
        'setMode with a 100 kB string',
        'A',
        'setMode',
        [HUGE],
        /mode must be supervised or autonomous \(got "XXXX.*… \(100000 characters\)\)/,
      ],
      [
        'decideCandidates null',
        'B',
        'decideCandidates',
        [null],
        /decision must be \{cycle: number, approve: string\[\]\}/,
      ],
      [
        'decideCandidates approve as a string',
        'B',
        'decideCandidates',
        [{ cycle: 1, approve: 'AAA' }],
        /decision must be \{cycle: number, approve: string\[\]\}/,
      ],
      [
        'decideCandidates approve holding a number',
        'B',
        'decideCandidates',
        [{ cycle: 1, approve: [42] }],
        /decision must be \{cycle: number, approve: string\[\]\}/,
      ],
      [
        'decideCandidates cycle as a string',
        'B',
        'decideCandidates',
        [{ cycle: '1', approve: ['AAA'] }],
        /decision must be \{cycle: number, approve: string\[\]\}/,
      ],
      [
        'decideCandidates wrapped in an array',
        'B',
        'decideCandidates',
        [[{ cycle: 1, approve: ['AAA'] }]],
        /decision must be \{cycle: number, approve: string\[\]\}/,
      ],
      [
        'decideCandidates negative cycle',
        'B',
        'decideCandidates',
        [{ cycle: -1, approve: ['AAA'] }],
        /no candidates are waiting for approval in cycle -1/,
      ],
      [
        'decideCandidates unknown symbol',
        'B',
        'decideCandidates',
        [{ cycle: 1, approve: ['AAA', 'ZZZZ'] }],
        /^not offered in cycle 1: ZZZZ$/,
      ],
      [
        'decideCandidates a 100 kB symbol',
        'B',
        'decideCandidates',
        [{ cycle: 1, approve: [HUGE] }],
        /not offered in cycle 1: "XXXX.*… \(100000 characters\)$/,
      ],
      ['an update nobody handles', 'A', 'setEntriesPausedd', [true], /setEntriesPausedd/],
    ];

    it.each(updates)('%s', async (_name, which, update, args, expected) => {
      const day = which === 'A' ? dayA : dayB;
      const before = which === 'A' ? baselineA : decisionState(baselineB);
      // Sent as given, an empty list too: what a client that skips the SDK's typing could send.
      const message = await rejection(day.handle.executeUpdate(update, { args: args as [unknown] }));
      expect(message).toMatch(expected);
      expect(message.length, 'one short line, whatever the payload').toBeLessThan(300);
      expect(message).not.toContain('\n');
      const after = await day.status();
      expect(which === 'A' ? after : decisionState(after)).toEqual(before);
      expect(await running(day)).toBe('RUNNING');
    });

    it('control: extra update arguments are ignored and a valid update still applies', async () => {
      expect(await dayA.handle.executeUpdate('setEntriesPaused', { args: [false, 'extra', { x: 1 }] })).toBe(
        false,
      );
      expect(await dayA.status()).toEqual(baselineA);
    });
  });

  describe('bad signals are ignored; the day keeps running, unchanged', () => {
    const { closedByMonitor: _closed, ...withoutList } = REPORT;
    const signals: [string, string, unknown[]][] = [
      ['monitorReport null', 'monitorReport', [null]],
      ['monitorReport with no argument', 'monitorReport', []],
      ['monitorReport an empty object', 'monitorReport', [{}]],
      ['monitorReport an array', 'monitorReport', [[REPORT]]],
      [
        'monitorReport counts as strings',
        'monitorReport',
        [{ ...REPORT, openPositions: 'lots', openOrders: '4' }],
      ],
      ['monitorReport a negative count', 'monitorReport', [{ ...REPORT, openPositions: -3 }]],
      ['monitorReport a fractional count', 'monitorReport', [{ ...REPORT, openOrders: 1.5 }]],
      ['monitorReport P&L "NaN"', 'monitorReport', [{ ...REPORT, realizedPnl: 'NaN' }]],
      ['monitorReport P&L as a number', 'monitorReport', [{ ...REPORT, dailyPnl: 10.84 }]],
      ['monitorReport a 100 kB P&L string', 'monitorReport', [{ ...REPORT, unrealizedPnl: HUGE }]],
      ['monitorReport market time as text', 'monitorReport', [{ ...REPORT, marketTimeMs: 'soon' }]],
      ['monitorReport missing closedByMonitor', 'monitorReport', [withoutList]],
      ['monitorReport closedByMonitor of numbers', 'monitorReport', [{ ...REPORT, closedByMonitor: [1, 2] }]],
      ['a signal nobody handles', 'emergencyStopp', [{ reason: 'typo in the signal name' }]],
    ];

    it.each(signals)('%s', async (_name, signal, args) => {
      await dayA.handle.signal(signal, ...args);
      // Queries see every signal sent before them: the status after this one was handled.
      expect(await dayA.status()).toEqual(baselineA);
      expect(await running(dayA)).toBe('RUNNING');
    });

    it('control: a well-formed report is applied (the bad ones did reach the handler)', async () => {
      await dayA.handle.signal('monitorReport', REPORT);
      expect(await dayA.status()).toMatchObject({
        foreignPositions: 7,
        foreignOrders: 5,
        realizedPnl: '12.34',
      });
      baselineA = await dayA.status();
    });
  });

  describe('bad query arguments are query errors; the day is unaffected', () => {
    const queries: [string, string, unknown[], RegExp][] = [
      ['emergencyStopOutcome of a number', 'emergencyStopOutcome', [42], /requestId must be a string/],
      ['emergencyStopOutcome with no argument', 'emergencyStopOutcome', [], /requestId must be a string/],
      [
        'emergencyStopOutcome of an object',
        'emergencyStopOutcome',
        [{ id: 'x' }],
        /requestId must be a string/,
      ],
      [
        'emergencyStopOutcome of a 100 kB id',
        'emergencyStopOutcome',
        [HUGE],
        /requestId must be 1-80 letters.*100000 characters/,
      ],
      ['a query nobody handles', 'statuss', [], /statuss/],
    ];

    it.each(queries)('%s', async (_name, query, args, expected) => {
      const err = await dayA.handle.query(query, ...args).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err, 'the query answered').toBeInstanceOf(Error);
      expect(err!.message).toMatch(expected);
      expect(err!.message.length).toBeLessThan(300);
      expect(await dayA.status()).toEqual(baselineA);
      expect(await running(dayA)).toBe('RUNNING');
    });

    it('control: the status query ignores extra arguments; an unknown request id is null', async () => {
      expect(await dayA.handle.query('status', 'extra', 1)).toEqual(baselineA);
      expect(await dayA.handle.query('emergencyStopOutcome', 'never-sent')).toBeNull();
    });
  });

  describe('a malformed emergency stop still halts, with safe defaults (by design)', () => {
    // Whatever is malformed means the full stop's value: doing less than asked must never be the mistake.
    const FULL_STOP = { closePositions: true, haltNewTrades: true, sendAlert: true, cooldownMinutes: 0 };
    const stops: [string, unknown[], string, string][] = [
      ['emergencyStop with a number for a payload', [42], 'signal-1', 'no reason given'],
      [
        'emergencyStop with wrong field types',
        [{ reason: 7, actions: 'none', requestId: '../x', source: [] }],
        'signal-2',
        'no reason given',
      ],
      [
        'emergencyStop with a 100 kB reason',
        [{ reason: HUGE, requestId: 'huge-reason' }],
        'huge-reason',
        'X'.repeat(500),
      ],
    ];

    it.each(stops)('%s', async (_name, args, requestId, reason) => {
      const before = (await dayA.status()).emergencies;
      await dayA.handle.signal('emergencyStop', ...args);
      const s = await dayA.status();
      expect(s).toMatchObject({ emergencies: before + 1, halted: true, lastProblem: null });
      // Done: its flatten ends before the next row (or the cleanup) sends anything.
      const outcome = await waitFor(`the outcome of ${requestId}`, async () => {
        const o = await dayA.handle.query<{ done: boolean } | null, [string]>(
          'emergencyStopOutcome',
          requestId,
        );
        return o?.done ? o : null;
      });
      expect(outcome).toMatchObject({ requestId, reason, source: 'signal', actions: FULL_STOP, flat: true });
      expect(await running(dayA)).toBe('RUNNING');
    });
  });
});

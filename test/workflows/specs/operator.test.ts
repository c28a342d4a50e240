/**
 * The operator's controls of TradingDayWorkflow: supervised approval (a subset, silence, a switch
 * to autonomous), pausing entries, and the validators that refuse bad updates.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  decideCandidatesUpdate,
  setEntriesPausedUpdate,
  setModeUpdate,
  type CandidateDecision,
  type TradingMode,
} from '../../../src/workflows/messages';
import { FakeVenue, MINUTE } from './fakeVenue';
import { startSpecWorker, waitFor, waitForStatus, type SpecDay, type SpecWorker } from './specWorker';

/** The update's failure, which must be a WorkflowUpdateFailedError; returns its cause's message. */
const rejection = async (update: Promise<unknown>): Promise<string> => {
  const err = await update.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
};

const decide = (day: SpecDay, decision: CandidateDecision) =>
  day.handle.executeUpdate(decideCandidatesUpdate, { args: [decision] });

/** Symbols placed by the cycle, in order. */
const placedIn = (venue: FakeVenue, cycle: number): string[] =>
  venue
    .inputsOf('placeBracketOrder')
    .filter((p) => p.cycleNumber === cycle)
    .map((p) => p.decision.symbol);

const cycleFinished = (venue: FakeVenue, cycle: number) =>
  waitFor(`cycle ${cycle} to finish`, () =>
    venue.inputsOf('finishCycle').find((f) => f.cycleId.includes(`-c${String(cycle).padStart(2, '0')}-`)),
  );

/**
 * A cycle every 30 minutes: the 09:32 cycle's orders may go until 10:02, three wall seconds at
 * ×600, room for a test's updates and the re-check at approval on a busy machine.
 */
const SLOW_OPERATOR = { approvalTimeoutMinutes: 20, scanFrequencyMinutes: 30 };

describe('TradingDayWorkflow: operator controls', () => {
  let w: SpecWorker;
  beforeAll(async () => {
    w = await startSpecWorker('operator');
  });
  afterEach(async () => w.cleanup());
  afterAll(async () => w?.close());

  it('supervised: places exactly the approved subset, and refuses decisions it cannot apply', async () => {
    const venue = new FakeVenue({ speed: 600, config: SLOW_OPERATOR });
    venue.universe = (cycle) => (cycle === 1 ? ['AAA', 'ABB', 'ACC'] : []);
    const day = await w.startDay(venue, { mode: 'supervised' });
    const s = await waitForStatus(
      day,
      'candidates waiting for approval',
      (st) => st.pendingApproval !== null,
    );
    expect(s.pendingApproval!.cycle).toBe(1);
    expect(s.pendingApproval!.candidates.map((c) => c.symbol)).toEqual(['AAA', 'ABB', 'ACC']);
    expect(venue.callsOf('placeBracketOrder')).toEqual([]);

    expect(await rejection(decide(day, { cycle: 1, approve: ['ABB', 'ZZZZ'] }))).toMatch(
      'not offered in cycle 1: ZZZZ',
    );
    expect(await rejection(decide(day, { cycle: 2, approve: ['ABB'] }))).toMatch(
      'no candidates are waiting for approval in cycle 2',
    );
    const garbage = { cycle: '1', approve: 'ABB' } as unknown as CandidateDecision;
    expect(await rejection(decide(day, garbage))).toMatch(
      'decision must be {cycle: number, approve: string[]}',
    );
    // A refused decision changed nothing: the candidates still wait.
    expect((await day.status()).pendingApproval?.cycle).toBe(1);

    expect(await decide(day, { cycle: 1, approve: ['ABB'] })).toEqual({
      approved: ['ABB'],
      rejected: ['AAA', 'ACC'],
    });
    expect(await cycleFinished(venue, 1)).toMatchObject({
      status: 'completed',
      funnel: { riskApproved: 3, ordersPlaced: 1 },
    });
    expect(placedIn(venue, 1)).toEqual(['ABB']);
    // Status tells what the operator turned down from what the risk manager did.
    const shown = (await day.status()).candidates.filter((c) => c.cycle === 1);
    expect(Object.fromEntries(shown.map((c) => [c.symbol, [c.approved, c.reasons?.[0]]]))).toEqual({
      AAA: [false, 'approved by the risk manager, not by the operator (rejected, or no answer in time)'],
      ABB: [true, expect.any(String)],
      ACC: [false, 'approved by the risk manager, not by the operator (rejected, or no answer in time)'],
    });
    // The window is closed now: a late answer is refused too.
    expect(await rejection(decide(day, { cycle: 1, approve: ['AAA'] }))).toMatch(
      'no candidates are waiting for approval in cycle 1',
    );
    const result = await day.handle.result();
    expect(venue.placedSymbols()).toEqual(['ABB']);
    expect(result).toMatchObject({ status: 'completed', ordersSubmitted: 1, openPositionsAtClose: 0 });
  });

  it('supervised: the operator’s choice is judged again at approval time, and what risk now refuses is not placed', async () => {
    const venue = new FakeVenue({ speed: 600, config: SLOW_OPERATOR });
    venue.universe = (cycle) => (cycle === 1 ? ['AAA', 'ABB', 'ACC'] : []);
    venue.refuseAtApproval.add('AAA');
    const day = await w.startDay(venue, { mode: 'supervised' });
    await waitForStatus(day, 'candidates waiting for approval', (st) => st.pendingApproval !== null);
    expect(await decide(day, { cycle: 1, approve: ['AAA', 'ABB'] })).toEqual({
      approved: ['AAA', 'ABB'],
      rejected: ['ACC'],
    });
    await cycleFinished(venue, 1);
    const judged = venue.inputsOf('validateRisk').filter((v) => v.cycleNumber === 1);
    expect(judged.map((v) => [v.atApproval ?? false, v.candidates.map((c) => c.symbol).sort()])).toEqual([
      [false, ['AAA', 'ABB', 'ACC']],
      [true, ['AAA', 'ABB']],
    ]);
    expect(placedIn(venue, 1)).toEqual(['ABB']);
    const aaa = (await day.status()).candidates.find((c) => c.symbol === 'AAA');
    expect(aaa).toMatchObject({ approved: false, reasons: ['daily loss budget used up'] });
    await day.handle.result();
  });

  it('supervised: silence until the approval timeout places nothing, and the cycle completes', async () => {
    const venue = new FakeVenue({ speed: 600, config: { approvalTimeoutMinutes: 5 } });
    const day = await w.startDay(venue, { mode: 'supervised' });
    await waitForStatus(day, 'candidates waiting for approval', (st) => st.pendingApproval?.cycle === 1);
    const finished = await cycleFinished(venue, 1);
    expect(finished).toMatchObject({ status: 'completed', funnel: { riskApproved: 3, ordersPlaced: 0 } });
    expect((await day.status()).pendingApproval).toBeNull();
    const result = await day.handle.result();

    expect(venue.callsOf('placeBracketOrder')).toEqual([]);
    expect(
      venue.inputsOf('finishCycle').every((f) => f.status === 'completed' && f.funnel.ordersPlaced === 0),
    ).toBe(true);
    const asked = venue.inputsOf('sendAlert').filter((a) => /^Approval needed: cycle 1 /.test(a.subject));
    expect(asked).toEqual([expect.objectContaining({ severity: 'INFO' })]);
    expect(result).toMatchObject({ status: 'completed', ordersSubmitted: 0, halted: false });
    expect(result.cycles).toBeGreaterThanOrEqual(2);
  });

  it('supervised: switching to autonomous while candidates wait places them all', async () => {
    // ×300: the switch must land before the cycle's 15-minute deadline, 3 s of wall time here.
    const venue = new FakeVenue({ speed: 300, config: SLOW_OPERATOR });
    const day = await w.startDay(venue, { mode: 'supervised' });
    await waitForStatus(day, 'candidates waiting for approval', (st) => st.pendingApproval?.cycle === 1);

    const bad = 'yolo' as unknown as TradingMode;
    expect(await rejection(day.handle.executeUpdate(setModeUpdate, { args: [bad] }))).toMatch(
      'mode must be supervised or autonomous (got "yolo")',
    );
    expect(await day.handle.executeUpdate(setModeUpdate, { args: ['autonomous'] })).toBe('autonomous');
    expect(await cycleFinished(venue, 1)).toMatchObject({ funnel: { riskApproved: 3, ordersPlaced: 3 } });
    expect(placedIn(venue, 1)).toEqual(['AAA', 'ABB', 'ACC']);
    const result = await day.handle.result();

    // Later cycles trade without asking.
    expect(venue.inputsOf('sendAlert').filter((a) => /^Approval needed/.test(a.subject))).toHaveLength(1);
    expect(placedIn(venue, 2)).toEqual(['BAA', 'BBB', 'BCC']);
    expect((await day.status()).mode).toBe('autonomous');
    expect(result).toMatchObject({ status: 'completed', openPositionsAtClose: 0 });
  });

  it('supervised: waiting for an approval never holds back the flatten', async () => {
    // A valid config (approval_timeout_minutes ≤ 120): the 09:32 cycle may wait until 10:32,
    // past its own 09:47 deadline, the 10:20 flatten and the 10:30 close.
    const venue = new FakeVenue({ speed: 600, config: { approvalTimeoutMinutes: 60 } });
    venue.fillBracket('cat-20261124-c00-OLD-entry', 'OLD', 10); // a position from earlier in the day
    const day = await w.startDay(venue, { mode: 'supervised' });
    await waitForStatus(day, 'candidates waiting for approval', (st) => st.pendingApproval?.cycle === 1);
    const flattenMs = venue.closeMs - venue.config.flattenBeforeCloseMinutes * MINUTE;
    const flatten = await waitFor('the first flatten', () => venue.callsOf('flattenBook')[0], 12_000);
    // Held back, it would come after the 10:32 end of the approval window; on a busy machine a
    // market minute is a tenth of a second, so allow a few of them for scheduling.
    expect(flatten.atMs, venue.timeline(['beginCycle', 'finishCycle', 'flattenBook'])).toBeLessThan(
      flattenMs + 8 * MINUTE,
    );
    expect(venue.positions.has('OLD')).toBe(false);
  });

  it('pause stops the cycles; resume runs one at once instead of waiting for the next slot', async () => {
    // Cycles every 20 minutes: 09:32, 09:52, 10:12 — and no new entries from 10:10.
    const venue = new FakeVenue({ speed: 600, config: { scanFrequencyMinutes: 20 } });
    const day = await w.startDay(venue);
    await cycleFinished(venue, 1);

    expect(
      await rejection(day.handle.executeUpdate(setEntriesPausedUpdate, { args: ['yes' as never] })),
    ).toMatch('paused must be true or false (got "yes")');
    expect((await day.status()).entriesPaused).toBe(false);
    expect(await day.handle.executeUpdate(setEntriesPausedUpdate, { args: [true] })).toBe(true);
    const pausedAt = venue.clock.now();
    expect(pausedAt).toBeLessThan(venue.openMs + 22 * MINUTE); // before the 09:52 slot

    // Past the 09:52 slot: nothing ran while paused.
    await waitFor('09:56', () => venue.clock.now() >= venue.openMs + 26 * MINUTE);
    expect(venue.callsOf('listUniverse')).toHaveLength(1);
    expect(venue.callsOf('beginCycle')).toHaveLength(1);
    expect((await day.status()).entriesPaused).toBe(true);

    expect(await day.handle.executeUpdate(setEntriesPausedUpdate, { args: [false] })).toBe(false);
    const resumedAt = venue.clock.now();
    const scan = await waitFor('a scan after the resume', () => venue.callsOf('listUniverse')[1]);
    // At once: well before the 10:12 slot (which is past the cut-off and would never come).
    expect(scan.atMs).toBeGreaterThanOrEqual(resumedAt);
    expect(scan.atMs - resumedAt).toBeLessThan(6 * MINUTE);
    const result = await day.handle.result();
    expect(placedIn(venue, 2)).toEqual(['BAA', 'BBB', 'BCC']);
    expect(result).toMatchObject({ status: 'completed', cycles: 2, openPositionsAtClose: 0 });
  });
});

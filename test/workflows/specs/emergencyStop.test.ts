/**
 * The emergency stop of TradingDayWorkflow on the real dev server with a fake venue: during a
 * placement, with a garbage payload, and with a mail server that refuses or hangs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  emergencyStopOutcomeQuery,
  emergencyStopSignal,
  lastEmergencyQuery,
  type EmergencyStopOutcome,
  type EmergencyStopRequest,
} from '../../../src/workflows/messages';
import type { AlertInput } from '../../../src/activities/types';
import { FakeVenue } from './fakeVenue';
import {
  settlesWithin,
  startSpecWorker,
  waitFor,
  waitForStatus,
  type SpecDay,
  type SpecWorker,
} from './specWorker';

const outcomeDone = (day: SpecDay, requestId: string): Promise<EmergencyStopOutcome> =>
  waitFor(`emergency ${requestId} done`, async () => {
    const o = await day.handle.query(emergencyStopOutcomeQuery, requestId);
    return o?.done ? o : null;
  });

describe('TradingDayWorkflow: emergency stop', () => {
  let w: SpecWorker;
  beforeAll(async () => {
    w = await startSpecWorker('emergency');
  });
  afterEach(async () => w.cleanup());
  afterAll(async () => w?.close());

  it('stops a cycle in the middle of its placements, flattens, and places nothing for the rest of the day', async () => {
    const venue = new FakeVenue({ speed: 600 });
    const held = venue.holdPlacements();
    const day = await w.startDay(venue);

    const first = await waitFor('the first placement', () => venue.callsOf('placeBracketOrder')[0]);
    const [risk] = venue.inputsOf('validateRisk');
    expect(risk?.candidates.map((c) => c.symbol)).toEqual(['AAA', 'ABB', 'ACC']);
    expect(venue.positions.has('AAA')).toBe(true); // the order is in; its answer is not
    const signalledAt = venue.clock.now();
    await day.handle.signal(emergencyStopSignal, {
      reason: 'spec: halt during placement',
      source: 'cli',
      requestId: 'halt-1',
    });
    const outcome = await outcomeDone(day, 'halt-1');
    held.release();
    const result = await day.handle.result();
    const status = await day.status();

    expect(outcome).toMatchObject({
      requestId: 'halt-1',
      reason: 'spec: halt during placement',
      source: 'cli',
      done: true,
      flat: true,
      closedPositions: ['AAA'],
      cancelledOrders: 2,
      failures: [],
    });
    // No further placement started: the two other approved candidates were never sent.
    expect(venue.inputsOf('placeBracketOrder').map((p) => p.decision.symbol)).toEqual(['AAA']);
    expect(venue.placedSymbols()).toEqual(['AAA']);
    const flattens = venue.callsOf('flattenBook');
    expect(flattens[0]!.seq).toBeGreaterThan(first.seq);
    expect(flattens[0]!.atMs).toBeGreaterThanOrEqual(signalledAt);
    expect(venue.inputsOf('flattenBook')[0]?.reason).toBe('emergency stop');
    // No later cycle ran at all, so none could place.
    expect(venue.callsOf('listUniverse')).toHaveLength(1);
    expect(status.halted).toBe(true);
    expect(status.haltReason).toBe('spec: halt during placement');
    expect(result).toMatchObject({
      status: 'completed',
      halted: true,
      haltReason: 'spec: halt during placement',
      cycles: 1,
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
    });
    expect(venue.isFlat()).toBe(true);
    // The CRITICAL alert and the risk event went out.
    const alerts = venue.inputsOf('sendAlert');
    expect(alerts.filter((a) => a.severity === 'CRITICAL' && /EMERGENCY STOP/.test(a.subject))).toHaveLength(
      1,
    );
    expect(venue.inputsOf('recordRiskEvent')).toEqual([
      expect.objectContaining({ eventType: 'emergency_stop', severity: 'CRITICAL' }),
    ]);
    // The aborted cycle is recorded as aborted (its trading_cycles row must not stay "running").
    expect(venue.inputsOf('finishCycle'), 'finishCycle of the aborted cycle').toEqual([
      expect.objectContaining({ status: 'aborted', error: 'emergency stop' }),
    ]);
  });

  it('reports flat only once a placement whose request was already on its way can no longer open a position', async () => {
    const venue = new FakeVenue({ speed: 600 });
    const held = venue.holdPlacements('request');
    const day = await w.startDay(venue);
    const placement = await waitFor('the first placement', () => venue.callsOf('placeBracketOrder')[0]);
    await day.handle.signal(emergencyStopSignal, {
      reason: 'spec: slow request',
      source: 'cli',
      requestId: 'halt-2',
    });
    // Flattening starts at once, but the stop cannot call itself done while an order may still
    // land: a request already on the wire cannot be recalled.
    await waitFor('the stop to flatten', () => venue.callsOf('flattenBook')[0]);
    const early = await day.handle.query(emergencyStopOutcomeQuery, 'halt-2');
    expect(early).toMatchObject({ done: false });
    held.release();
    await waitFor('the placement to finish', () => placement.outcome !== 'running');
    const outcome = await outcomeDone(day, 'halt-2');
    expect(outcome).toMatchObject({ done: true, flat: true });
    expect(
      [...venue.positions.keys()],
      `positions Catalyst holds after the emergency stop reported flat (placement ${placement.outcome})`,
    ).toEqual([]);
  });

  it('halts on an emergencyStop signal whose payload is garbage', async () => {
    const venue = new FakeVenue({ speed: 600 });
    const day = await w.startDay(venue);
    await waitFor('three positions', () => venue.positions.size === 3);
    const garbage = { reason: { nested: true }, source: 7, requestId: '../../etc/passwd' };
    await day.handle.signal(emergencyStopSignal, garbage as unknown as EmergencyStopRequest);
    const outcome = await outcomeDone(day, 'signal-1');
    expect(outcome).toMatchObject({
      requestId: 'signal-1',
      reason: 'no reason given',
      source: 'signal',
      flat: true,
    });
    expect(outcome.closedPositions.sort()).toEqual(['AAA', 'ABB', 'ACC']);
    // A payload that is not even an object halts too.
    await day.handle.signal(emergencyStopSignal, null as unknown as EmergencyStopRequest);
    await outcomeDone(day, 'signal-2');
    const status = await day.status();
    expect(status).toMatchObject({ halted: true, haltReason: 'no reason given', emergencies: 2 });
    const result = await day.handle.result();
    expect(result).toMatchObject({ status: 'completed', halted: true, openPositionsAtClose: 0 });
    expect(venue.callsOf('listUniverse')).toHaveLength(1);
  });

  describe('with broken SMTP', () => {
    const emergencyAndCloseOut = async (venue: FakeVenue, beforeStop = (): void => {}): Promise<SpecDay> => {
      const day = await w.startDay(venue);
      await waitFor('three positions', () => venue.positions.size === 3);
      beforeStop();
      await day.handle.signal(emergencyStopSignal, {
        reason: 'spec: smtp',
        source: 'cli',
        requestId: 'smtp-1',
      });
      const outcome = await outcomeDone(day, 'smtp-1');
      expect(outcome).toMatchObject({ done: true, flat: true });
      expect(outcome.closedPositions.sort()).toEqual(['AAA', 'ABB', 'ACC']);
      // The close-out runs too, and finds the book flat.
      await waitForStatus(day, 'the close-out', (s) =>
        ['flattening', 'reporting', 'closed'].includes(s.phase),
      );
      await waitFor('the close-out flat check', () =>
        venue
          .callsOf('checkFlat')
          .some(
            (c) =>
              c.atMs >= venue.closeMs - venue.config.flattenBeforeCloseMinutes * 60_000 && c.outcome === 'ok',
          ),
      );
      return day;
    };

    it('alerts that always throw (and a database that is down) hold back neither the emergency stop nor the close-out, and the day ends', async () => {
      const venue = new FakeVenue({ speed: 600 });
      venue.alerts = 'throw';
      let downFrom = 0;
      const day = await emergencyAndCloseOut(venue, () => {
        venue.dbDown = true;
        downFrom = venue.calls.at(-1)!.seq;
      });
      const result = await day.handle.result();
      expect(result).toMatchObject({ status: 'completed', halted: true, openPositionsAtClose: 0 });
      // Nothing could be recorded: the result falls back on what the day saw.
      for (const name of ['recordRiskEvent', 'recordBook', 'finishTradingDay'] as const)
        expect(
          venue.callsOf(name).filter((c) => c.seq > downFrom && c.outcome === 'ok'),
          name,
        ).toEqual([]);
      expect(venue.callsOf('finishTradingDay').length).toBeGreaterThan(0);
      expect((await day.status()).lastProblem).toMatch(/could not record the day's end/);
      const critical = venue
        .callsOf('sendAlert')
        .filter((c) => (c.input as AlertInput).severity === 'CRITICAL');
      expect(critical.length).toBeGreaterThan(0);
      expect(critical.every((c) => c.outcome === 'failed')).toBe(true);
      expect(await day.handle.query(lastEmergencyQuery)).toMatchObject({
        requestId: 'smtp-1',
        done: true,
        flat: true,
      });
    });

    it('alerts that hang hold back neither the emergency stop nor the close-out, and the day ends', async () => {
      const venue = new FakeVenue({ speed: 600 });
      venue.alerts = 'hang';
      const day = await emergencyAndCloseOut(venue);
      await waitFor('the day to record its end', () => venue.callsOf('finishTradingDay')[0], 10_000);
      // The book is flat and the day's end is recorded: the workflow should return within seconds,
      // not wait out the hung alert's timeouts (30 s start-to-close × 3 attempts).
      const ended = await settlesWithin(day.handle.result(), 10_000);
      expect(ended, 'the day returned within 10 s of finishTradingDay').toBe(true);
    });
  });
});

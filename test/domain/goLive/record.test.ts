/** Which days are paper: read from the workflow id, the one name that always carries the venue. */
import { describe, expect, it } from 'vitest';
import { paperRecord, venueOfWorkflowId } from '../../../src/domain/goLive';
import { tradingDayWorkflowId } from '../../../src/shared';
import { day, trade } from './kit';

describe('venueOfWorkflowId', () => {
  it('reads the venue of every id tradingDayWorkflowId makes', () => {
    const date = '2026-11-24';
    expect(venueOfWorkflowId(tradingDayWorkflowId(date, { venue: 'simulator' }))).toBe('simulator');
    expect(venueOfWorkflowId(tradingDayWorkflowId(date, { venue: 'simulator', run: 'bt-7' }))).toBe(
      'simulator',
    );
    expect(venueOfWorkflowId(tradingDayWorkflowId(date, { venue: 'paper', account: 'PA1234567890' }))).toBe(
      'paper',
    );
    expect(venueOfWorkflowId(tradingDayWorkflowId(date, { venue: 'live', account: '123456789' }))).toBe(
      'live',
    );
  });

  it('calls ids of any other shape unknown, never paper', () => {
    for (const id of ['trading-day-2026-11-24', 'test-day-paper-PA1', 'trading-day-2026-11-24-paper-', 'x'])
      expect(venueOfWorkflowId(id)).toBe('unknown');
  });
});

describe('paperRecord', () => {
  it("keeps paper days, their account's trades of those dates, and stops made on paper", () => {
    const paper = day('2026-11-02');
    const sim = day('2026-11-02', 'sim');
    const record = paperRecord({
      days: [paper, sim],
      trades: [
        trade('10', '2026-11-02'),
        trade('20', '2026-11-03'), // no paper day that date
        trade('30', '2026-11-02', 0, 'acct-sim'),
      ],
      emergencyStops: [
        { eventKey: `${paper.workflowId}/run-1/emergency-stop/r1`, tradingDate: '2026-11-02', venue: null },
        { eventKey: `${sim.workflowId}/run-1/emergency-stop/r2`, tradingDate: '2026-11-02', venue: null },
        { eventKey: 'halt-without-day/1', tradingDate: '2026-11-09', venue: 'paper' },
        { eventKey: 'halt-without-day/2', tradingDate: '2026-11-09', venue: 'simulator' },
      ],
    });
    expect(record.days).toEqual([paper]);
    expect(record.trades.map((t) => t.realizedPnl)).toEqual([10_000_000n]);
    expect(record.emergencyStops.map((e) => e.eventKey)).toEqual([
      `${paper.workflowId}/run-1/emergency-stop/r1`,
      'halt-without-day/1',
    ]);
  });
});

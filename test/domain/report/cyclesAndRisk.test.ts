/** The funnel per cycle and summed, cycle durations, and the risk manager's decisions tallied. */
import { describe, expect, it } from 'vitest';
import { cycleDurations } from '../../../src/domain/report/cycleDurations';
import { cycleReports, funnelTotals } from '../../../src/domain/report/funnelStats';
import { reasonKind, riskDecisions } from '../../../src/domain/report/riskDecisions';
import { candidate, cycle, ny } from './reportKit';

describe('cycles: funnel and durations', () => {
  const one = cycle({ cycleNumber: 1 });
  const two = cycle({
    cycleNumber: 2,
    marketTime: ny('10:05'),
    startedAt: '2026-12-07T10:01:00.000Z',
    finishedAt: '2026-12-07T10:01:07.250Z',
    funnel: {
      universe: 4120,
      scanned: 200,
      news: 35,
      patterns: 20,
      technical: 10,
      scored: 2,
      risk_approved: 0,
      orders: 0,
    },
  });
  const failed = cycle({
    cycleNumber: 3,
    marketTime: ny('10:35'),
    status: 'failed',
    finishedAt: null,
    funnel: null,
    error: 'broker unavailable',
  });

  it('orders cycles by market time, with each one’s duration', () => {
    const reports = cycleReports([failed, two, one]);
    expect(reports.map((c) => [c.cycleNumber, c.durationSeconds, c.status])).toEqual([
      [1, 4.5, 'completed'],
      [2, 7.25, 'completed'],
      [3, null, 'failed'],
    ]);
  });

  it('sums each stage over the cycles that recorded a funnel, with the average per cycle', () => {
    const totals = funnelTotals(cycleReports([one, two, failed]));
    expect(totals.map((t) => [t.stage, t.total, t.perCycle])).toEqual([
      ['universe', 8245, 4122.5],
      ['scanned', 400, 200],
      ['news', 70, 35],
      ['patterns', 40, 20],
      ['technical', 20, 10],
      ['scored', 8, 4],
      ['risk_approved', 3, 1.5],
      ['orders', 3, 1.5],
    ]);
  });

  it('durations: average, shortest and longest of the finished cycles; nothing when none finished', () => {
    expect(cycleDurations(cycleReports([one, two, failed]))).toEqual({
      cycles: 2,
      averageSeconds: 5.88,
      shortestSeconds: 4.5,
      longestSeconds: 7.25,
    });
    expect(cycleDurations([])).toEqual({
      cycles: 0,
      averageSeconds: null,
      shortestSeconds: null,
      longestSeconds: null,
    });
    expect(funnelTotals([]).every((t) => t.total === 0 && t.perCycle === 0)).toBe(true);
  });
});

describe('riskDecisions', () => {
  const c1 = cycle({ cycleNumber: 1 });
  const c2 = cycle({ cycleNumber: 2, marketTime: ny('10:05'), cycleId: 'c2' });

  it('lists judged candidates in cycle order, best score first, and tallies rejections by kind', () => {
    const summary = riskDecisions(
      [
        candidate({
          cycleId: c2.cycleId,
          symbol: 'LATE',
          compositeScore: '90',
          riskApproved: false,
          riskReasons: ['max positions: 5 of 5 held'],
        }),
        candidate({
          cycleId: c1.cycleId,
          symbol: 'LOW',
          compositeScore: '58',
          riskApproved: false,
          riskReasons: ['max positions: 5 of 5 held', 'sector exposure: Tech at 31 %'],
        }),
        candidate({ cycleId: c1.cycleId, symbol: 'TOP', compositeScore: '77' }),
        candidate({ cycleId: c1.cycleId, symbol: 'UNJUDGED', riskApproved: null, riskReasons: [] }),
      ],
      [c1, c2],
    );
    expect(summary.decisions.map((d) => [d.cycleNumber, d.symbol, d.approved])).toEqual([
      [1, 'TOP', true],
      [1, 'LOW', false],
      [2, 'LATE', false],
    ]);
    expect(summary).toMatchObject({
      judged: 3,
      approved: 1,
      rejected: 2,
      rejectionReasons: [
        { reason: 'max positions', count: 2 },
        { reason: 'sector exposure', count: 1 },
      ],
    });
  });

  it('a reason without a colon is its own kind', () => {
    expect(reasonKind('entries are paused')).toBe('entries are paused');
    expect(reasonKind('daily loss limit reached: P&L -$500')).toBe('daily loss limit reached');
  });

  it('nothing judged: an empty summary', () => {
    expect(riskDecisions([], [])).toEqual({
      judged: 0,
      approved: 0,
      rejected: 0,
      rejectionReasons: [],
      decisions: [],
    });
  });
});

/** No paper day failed, was left running, or ended with Catalyst's book open. */
import { describe, expect, it } from 'vitest';
import { badDays, checkFailedDays } from '../../../src/domain/goLive';
import { day } from './kit';

const TODAY = '2026-11-20';

describe('checkFailedDays', () => {
  it('passes clean days, a cancelled day, and a day still running today', () => {
    const days = [
      day('2026-11-18'),
      day('2026-11-19', 'paper', { status: 'cancelled' }),
      day(TODAY, 'paper', { status: 'running', openPositionsAtClose: null, openOrdersAtClose: null }),
    ];
    expect(checkFailedDays(days, TODAY)).toMatchObject({ status: 'pass', value: 0, threshold: 0 });
  });

  it('fails a failed day, a day left running past its date, and open positions or orders at close', () => {
    const days = [
      day('2026-11-16', 'paper', { status: 'failed' }),
      day('2026-11-17', 'paper', { status: 'running', openPositionsAtClose: null }),
      day('2026-11-18', 'paper', { openPositionsAtClose: 1 }),
      day('2026-11-19', 'paper', { openOrdersAtClose: 2 }),
      day('2026-11-13'),
    ];
    expect(badDays(days, TODAY).map((b) => `${b.tradingDate} ${b.why}`)).toEqual([
      '2026-11-16 failed',
      '2026-11-17 left running',
      '2026-11-18 1 open position(s) at close',
      '2026-11-19 2 open order(s) at close',
    ]);
    const check = checkFailedDays(days, TODAY);
    expect(check).toMatchObject({ status: 'fail', value: 4 });
    expect(check.detail).toMatch(
      /^4 failed or crashed paper day\(s\): 2026-11-16 failed \(trading-day-2026-11-16-paper-PA123\); /,
    );
  });

  it('fails a single bad day among many good ones', () => {
    const days = [day('2026-11-18'), day('2026-11-19', 'paper', { openPositionsAtClose: 1 })];
    expect(checkFailedDays(days, TODAY).status).toBe('fail');
  });
});

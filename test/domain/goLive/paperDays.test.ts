/** At least ten distinct completed paper trading days; no other venue counts. */
import { describe, expect, it } from 'vitest';
import { checkPaperDays, MIN_PAPER_DAYS } from '../../../src/domain/goLive';
import { day, tradingDate } from './kit';

const paperDays = (n: number) => Array.from({ length: n }, (_, i) => day(tradingDate(i)));

describe('checkPaperDays', () => {
  it('passes at exactly ten days and fails at nine', () => {
    expect(MIN_PAPER_DAYS).toBe(10);
    const ten = checkPaperDays(paperDays(10));
    expect(ten).toMatchObject({ status: 'pass', value: 10, threshold: 10 });
    expect(ten.detail).toBe('10 completed paper trading day(s) (2026-11-02 … 2026-11-13) ≥ 10');
    expect(checkPaperDays(paperDays(9))).toMatchObject({ status: 'fail', value: 9 });
  });

  it('counts a date once however many runs it had', () => {
    const days = [...paperDays(9), day(tradingDate(8)), day(tradingDate(8), 'paper', { accountId: 'other' })];
    expect(checkPaperDays(days)).toMatchObject({ status: 'fail', value: 9 });
  });

  it('never counts simulator or live days, and says so', () => {
    const days = [
      ...paperDays(6),
      ...Array.from({ length: 10 }, (_, i) => day(tradingDate(i), 'sim')),
      day(tradingDate(7), 'live'),
    ];
    const check = checkPaperDays(days);
    expect(check).toMatchObject({ status: 'fail', value: 6 });
    expect(check.detail).toMatch(/< 10; not counted: 10 simulator day\(s\), 1 live day\(s\)$/);
  });

  it('counts only completed days: failed, holiday and running days are not trading done', () => {
    const days = [
      ...paperDays(9),
      day(tradingDate(9), 'paper', { status: 'failed' }),
      day(tradingDate(10), 'paper', { status: 'market_closed' }),
      day(tradingDate(11), 'paper', { status: 'running' }),
    ];
    expect(checkPaperDays(days)).toMatchObject({ status: 'fail', value: 9 });
  });
});

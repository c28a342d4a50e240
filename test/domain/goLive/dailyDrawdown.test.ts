/** Peak-to-trough of each day's cumulative realized P&L in close order: under $500 every day. */
import { describe, expect, it } from 'vitest';
import { checkDailyDrawdown, dayDrawdown } from '../../../src/domain/goLive';
import { formatMicros } from '../../../src/domain/money';
import { trade } from './kit';

const D = '2026-11-03';

describe('dayDrawdown', () => {
  it('measures from the peak of the running total, trade by trade in close order', () => {
    // In close order +300, -450, +100, -200: running 300, -150, -50, -250; peak 300 → 550.
    const day = [trade('-200', D, 40), trade('300', D, 10), trade('100', D, 30), trade('-450', D, 20)];
    expect(formatMicros(dayDrawdown(day))).toBe('550.00');
  });

  it('starts the day at 0: a first losing trade is a drawdown', () => {
    expect(formatMicros(dayDrawdown([trade('-120', D, 1), trade('500', D, 2)]))).toBe('120.00');
  });

  it('is 0 for a day that only gained', () => {
    expect(dayDrawdown([trade('10', D, 1), trade('20', D, 2)])).toBe(0n);
  });
});

describe('checkDailyDrawdown', () => {
  it('passes just under $500 and fails at exactly $500', () => {
    // Up $100, then down to -$399.99: $499.99 below the peak.
    const under = checkDailyDrawdown([trade('100', D, 1), trade('-499.99', D, 2)]);
    expect(under).toMatchObject({ status: 'pass', value: '499.99', threshold: '500.00' });
    expect(under.detail).toBe(`max daily drawdown $499.99 (${D}) < $500.00`);
    const at = checkDailyDrawdown([trade('100', D, 1), trade('-500', D, 2)]);
    expect(at).toMatchObject({ status: 'fail', value: '500.00' });
    expect(at.detail).toBe(
      `max daily drawdown $500.00 on ${D} ≥ $500.00 (1 day(s) at or over: ${D} $500.00)`,
    );
  });

  it('judges each day on its own: losses on two days never add up', () => {
    const check = checkDailyDrawdown([trade('-300', '2026-11-02', 1), trade('-300', D, 1)]);
    expect(check).toMatchObject({ status: 'pass', value: '300.00' });
  });

  it('names every day at or over the limit', () => {
    const check = checkDailyDrawdown([
      trade('-700', '2026-11-02', 1),
      trade('-100', D, 1),
      trade('-510', '2026-11-04', 1),
    ]);
    expect(check.status).toBe('fail');
    expect(check.detail).toMatch(
      /\$700\.00 on 2026-11-02 .*2 day\(s\) at or over: 2026-11-02 \$700\.00, 2026-11-04 \$510\.00/,
    );
  });
});

/** The average closed trade must make more than $50, compared exactly in micros. */
import { describe, expect, it } from 'vitest';
import { checkAverageTrade } from '../../../src/domain/goLive';
import { trade, trades } from './kit';

describe('checkAverageTrade', () => {
  it('fails at exactly $50 and passes a micro-dollar above', () => {
    const exactly = checkAverageTrade([trade('100'), trade('0'), trade('50')]);
    expect(exactly).toMatchObject({ status: 'fail', value: '50.00', threshold: '50.00' });
    expect(exactly.detail).toBe('average trade $50.00 ($150.00 over 3 trades) ≤ $50.00');
    // $150.000001 over 3 trades: the average rounds to $50.00 but is above it.
    expect(checkAverageTrade([trade('100.000001'), trade('0'), trade('50')]).status).toBe('pass');
    expect(checkAverageTrade([trade('100'), trade('0'), trade('49.999999')]).status).toBe('fail');
  });

  it('prints thousands and losses in dollars', () => {
    const check = checkAverageTrade([...trades(60, '62.10')]);
    expect(check.detail).toBe('average trade $62.10 ($3,726.00 over 60 trades) > $50.00');
    expect(checkAverageTrade([trade('-120.5'), trade('20.5')]).detail).toBe(
      'average trade -$50.00 (-$100.00 over 2 trades) ≤ $50.00',
    );
  });

  it('fails with no trades at all', () => {
    expect(checkAverageTrade([])).toMatchObject({ status: 'fail', value: null });
  });
});

/** Win rate strictly above 50 % of the closed paper trades; a scratch is not a win. */
import { describe, expect, it } from 'vitest';
import { checkWinRate } from '../../../src/domain/goLive';
import { trades } from './kit';

describe('checkWinRate', () => {
  it('passes just above half and fails at exactly half', () => {
    const above = checkWinRate([...trades(35, '10'), ...trades(25, '-5')]);
    expect(above).toMatchObject({ status: 'pass', value: 35 / 60, threshold: 0.5 });
    expect(above.detail).toBe('win rate 58.3 % (35/60) > 50 %');
    const half = checkWinRate([...trades(30, '10'), ...trades(30, '-5')]);
    expect(half).toMatchObject({ status: 'fail' });
    expect(half.detail).toBe('win rate 50.0 % (30/60) ≤ 50 %');
    expect(checkWinRate([...trades(31, '10'), ...trades(30, '-5')]).status).toBe('pass');
  });

  it('does not count a trade that made exactly nothing as a win', () => {
    expect(checkWinRate([...trades(2, '0'), ...trades(1, '0.01')])).toMatchObject({
      status: 'fail',
      value: 1 / 3,
    });
  });

  it('fails with no trades at all', () => {
    expect(checkWinRate([])).toMatchObject({ status: 'fail', value: null });
  });
});

/** The emergency stop must have been exercised on paper at least once. */
import { describe, expect, it } from 'vitest';
import { checkEmergencyStop } from '../../../src/domain/goLive';

describe('checkEmergencyStop', () => {
  it('passes with one stop and fails with none', () => {
    const one = checkEmergencyStop([{ eventKey: 'k', tradingDate: '2026-11-05', venue: null }]);
    expect(one).toMatchObject({ status: 'pass', value: 1, threshold: 1 });
    expect(one.detail).toBe('emergency stop exercised on paper 1 time(s) (2026-11-05) ≥ 1');
    const none = checkEmergencyStop([]);
    expect(none).toMatchObject({ status: 'fail', value: 0 });
    expect(none.detail).toMatch(/never exercised on paper .*catalyst halt/);
  });
});

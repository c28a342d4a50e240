import { describe, expect, it } from 'vitest';
import { calendarDisagreement } from '../../src/domain/calendarDisagreement';

describe('calendar disagreement with the broker', () => {
  it('finds none when both say closed, or both give the same hours', () => {
    expect(calendarDisagreement('2026-11-26', null)).toBeNull(); // Thanksgiving
    expect(calendarDisagreement('2026-11-28', null)).toBeNull(); // a Saturday
    expect(calendarDisagreement('2026-11-25', { open: '09:30', close: '16:00' })).toBeNull();
    expect(calendarDisagreement('2026-11-27', { open: '09:30', close: '13:00' })).toBeNull();
  });

  it('finds a session where we see a holiday', () => {
    expect(calendarDisagreement('2026-11-26', { open: '09:30', close: '16:00' })).toEqual({
      date: '2026-11-26',
      broker: { open: '09:30', close: '16:00' },
      ours: null,
      summary: '2026-11-26: the broker says 09:30–16:00, our NYSE calendar says closed',
    });
  });

  it('finds a closure we do not know of (a national day of mourning announced at short notice)', () => {
    expect(calendarDisagreement('2026-12-08', null)?.summary).toBe(
      '2026-12-08: the broker says closed, our NYSE calendar says 09:30–16:00',
    );
  });

  it('finds different hours: a missed early close, or an unexpected one', () => {
    expect(calendarDisagreement('2026-11-27', { open: '09:30', close: '16:00' })?.ours).toEqual({
      open: '09:30',
      close: '13:00',
    });
    expect(calendarDisagreement('2026-12-23', { open: '09:30', close: '13:00' })?.summary).toBe(
      '2026-12-23: the broker says 09:30–13:00, our NYSE calendar says 09:30–16:00',
    );
    expect(calendarDisagreement('2026-12-23', { open: '10:30', close: '16:00' })).not.toBeNull();
  });
});

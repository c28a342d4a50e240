import { describe, expect, it } from 'vitest';
import { moreSevere, routeAlert } from '../../../src/domain/alerts/routeAlert';

describe('routeAlert', () => {
  it('sends each severity to its own addresses', () => {
    const to = { CRITICAL: 'oncall@x.test', WARNING: 'desk@x.test', INFO: 'log@x.test' };
    expect(routeAlert('CRITICAL', to)).toEqual({ to: 'oncall@x.test', via: 'CRITICAL' });
    expect(routeAlert('WARNING', to)).toEqual({ to: 'desk@x.test', via: 'WARNING' });
    expect(routeAlert('INFO', to)).toEqual({ to: 'log@x.test', via: 'INFO' });
  });

  it('falls back to the next more severe level: INFO → WARNING → CRITICAL', () => {
    expect(routeAlert('INFO', { WARNING: 'desk@x.test', CRITICAL: 'oncall@x.test' })).toEqual({
      to: 'desk@x.test',
      via: 'WARNING',
    });
    expect(routeAlert('INFO', { CRITICAL: 'oncall@x.test' })).toEqual({
      to: 'oncall@x.test',
      via: 'CRITICAL',
    });
    expect(routeAlert('WARNING', { CRITICAL: 'a@x.test,b@x.test', INFO: 'log@x.test' })).toEqual({
      to: 'a@x.test,b@x.test',
      via: 'CRITICAL',
    });
  });

  it('never falls back to a less severe level, and treats blank lists as unset', () => {
    expect(routeAlert('CRITICAL', { WARNING: 'desk@x.test', INFO: 'log@x.test' })).toBeNull();
    expect(routeAlert('WARNING', { CRITICAL: ' ', WARNING: '', INFO: 'log@x.test' })).toBeNull();
    expect(routeAlert('INFO', {})).toBeNull();
  });

  it('orders severities', () => {
    expect(moreSevere('INFO', 'CRITICAL')).toBe('CRITICAL');
    expect(moreSevere('WARNING', 'INFO')).toBe('WARNING');
    expect(moreSevere('WARNING', 'WARNING')).toBe('WARNING');
  });
});

/** The paper account answers GET /v2/account; without keys the line is a skip saying why. */
import { describe, expect, it } from 'vitest';
import { checkBrokerReachable } from '../../../src/domain/goLive';

const endpoint = 'https://paper-api.alpaca.markets';

describe('checkBrokerReachable', () => {
  it('skips without keys, saying why', () => {
    expect(checkBrokerReachable({ kind: 'skipped', reason: 'no paper keys' })).toMatchObject({
      status: 'skip',
      detail: 'broker not checked: no paper keys',
    });
  });

  it('passes a reachable account that may trade', () => {
    const check = checkBrokerReachable({
      kind: 'reached',
      endpoint,
      accountNumber: 'PA1',
      status: 'ACTIVE',
      tradingBlocked: false,
    });
    expect(check).toMatchObject({ status: 'pass' });
    expect(check.detail).toBe(`broker reachable at ${endpoint}: account PA1 ACTIVE`);
  });

  it('fails an unreachable broker and a blocked account', () => {
    expect(checkBrokerReachable({ kind: 'unreachable', endpoint, message: 'HTTP 401' }).status).toBe('fail');
    expect(
      checkBrokerReachable({
        kind: 'reached',
        endpoint,
        accountNumber: 'PA1',
        status: 'ACTIVE',
        tradingBlocked: true,
      }).status,
    ).toBe('fail');
  });
});

import { ApiError, FetchError } from '@alpacahq/alpaca-trade-api';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { mayHaveBeenProcessed, toBrokerFailure } from '../../src/broker/brokerErrors';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../../src/shared';

const SECRET = 'sk-very-secret-value';

/** An ApiError as the client builds it from a response. */
function apiError(
  status: number,
  body: { code?: number; message: string },
  headers: Record<string, string> = {},
) {
  const response = new Response(JSON.stringify(body), { status, headers });
  const reset = headers['X-Ratelimit-Reset'];
  const retryAfter = headers['Retry-After'];
  const retryAfterMs =
    retryAfter !== undefined
      ? Number(retryAfter) * 1000
      : reset !== undefined
        ? Math.max(0, Number(reset) * 1000 - Date.now())
        : undefined;
  return new ApiError(response, status, body.code, body.message, undefined, retryAfterMs, 'req-1');
}

function mapped(err: unknown): ApplicationFailure {
  const out = toBrokerFailure(err, 'submitBracketOrder AAPL (cat-1)', [SECRET, 'KEYID123']);
  expect(out).toBeInstanceOf(ApplicationFailure);
  return out as ApplicationFailure;
}

describe('broker error mapping', () => {
  it('makes broker rejections typed, non-retryable failures', () => {
    const cases: Array<[ApiError, string, RegExp]> = [
      [
        apiError(422, {
          code: 40010001,
          message: 'take_profit.limit_price must be above stop_loss.stop_price',
        }),
        ErrorType.InvalidOrder,
        /HTTP 422 \(code 40010001\): take_profit/,
      ],
      [
        apiError(403, { code: 40310000, message: 'insufficient buying power' }),
        ErrorType.InsufficientBuyingPower,
        /HTTP 403 \(code 40310000\): insufficient buying power/,
      ],
      [
        apiError(403, { code: 40310100, message: 'trade denied due to pattern day trading protection' }),
        ErrorType.DayTradingProtection,
        /pattern day trading protection/,
      ],
      [
        apiError(422, { code: 40010001, message: 'asset "ZZZZQ" not found' }),
        ErrorType.UnknownSymbol,
        /ZZZZQ/,
      ],
      [
        apiError(404, { code: 40410000, message: 'asset not found' }),
        ErrorType.UnknownSymbol,
        /asset not found/,
      ],
      [apiError(403, { code: 40310001, message: 'account is blocked' }), ErrorType.BrokerRejected, /blocked/],
      [
        apiError(401, { code: 40110000, message: `request is not authorized for ${SECRET}` }),
        ErrorType.BrokerRejected,
        /key id\/secret were not accepted/,
      ],
    ];
    for (const [err, type, message] of cases) {
      const f = mapped(err);
      expect(f.type, err.message).toBe(type);
      expect(f.nonRetryable, err.message).toBe(true);
      expect(NON_RETRYABLE_ERROR_TYPES).toContain(type);
      expect(f.message).toMatch(message);
      expect(f.message).not.toContain(SECRET);
      expect(f.nextRetryDelay).toBeUndefined();
      expect(f.details?.[0]).toMatchObject({
        operation: 'submitBracketOrder AAPL (cat-1)',
        status: err.status,
      });
    }
  });

  it('waits out X-Ratelimit-Reset on a 429', () => {
    const reset = Math.ceil(Date.now() / 1000) + 30;
    const f = mapped(
      apiError(
        429,
        { code: 42910000, message: 'rate limit exceeded' },
        { 'X-Ratelimit-Limit': '200', 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': String(reset) },
      ),
    );
    expect(f.type).toBe(ErrorType.BrokerUnavailable);
    expect(f.nonRetryable).toBe(false);
    expect(Number(f.nextRetryDelay)).toBeGreaterThan(28_000);
    expect(Number(f.nextRetryDelay)).toBeLessThanOrEqual(31_000);
    expect(NON_RETRYABLE_ERROR_TYPES).not.toContain(f.type);
  });

  it('retries 5xx on the retry policy, unless the server names a Retry-After', () => {
    const reset = Math.ceil(Date.now() / 1000) + 45;
    const plain = mapped(
      apiError(
        500,
        { code: 50010000, message: 'internal server error' },
        { 'X-Ratelimit-Reset': String(reset) },
      ),
    );
    expect(plain).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    expect(plain.nextRetryDelay).toBeUndefined();
    const busy = mapped(apiError(503, { message: 'service unavailable' }, { 'Retry-After': '5' }));
    expect(busy).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    expect(Number(busy.nextRetryDelay)).toBe(5000);
  });

  it('types timeouts, resets and cut-off bodies as retryable BrokerUnavailable', () => {
    const timeout = mapped(
      new FetchError(
        new DOMException('Request timed out after 300 ms', 'TimeoutError'),
        'The request was aborted',
      ),
    );
    expect(timeout).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    expect(timeout.message).toMatch(/request timed out: Request timed out after 300 ms/);

    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const reset = mapped(
      new FetchError(new TypeError('fetch failed', { cause: socket }), 'The request failed'),
    );
    expect(reset).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    expect(reset.message).toMatch(/network error: other side closed \(UND_ERR_SOCKET\)/);

    const refused = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:1`), { code: 'ECONNREFUSED' });
    expect(mapped(new FetchError(new TypeError('fetch failed', { cause: refused }), 'x'))).toMatchObject({
      type: ErrorType.BrokerUnavailable,
      nonRetryable: false,
    });

    const cutOff = mapped(new TypeError('terminated', { cause: socket }));
    expect(cutOff).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
  });

  it('lets our own bugs through unchanged', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'qty')");
    expect(toBrokerFailure(bug, 'listPositions')).toBe(bug);
  });

  it('knows which failures may hide an accepted order', () => {
    expect(mayHaveBeenProcessed(apiError(500, { message: 'internal server error' }))).toBe(true);
    expect(mayHaveBeenProcessed(apiError(504, { message: 'gateway timeout' }))).toBe(true);
    expect(mayHaveBeenProcessed(new FetchError(new DOMException('t', 'TimeoutError'), 'aborted'))).toBe(true);
    expect(mayHaveBeenProcessed(apiError(429, { message: 'rate limit exceeded' }))).toBe(false);
    expect(mayHaveBeenProcessed(apiError(422, { message: 'invalid' }))).toBe(false);
    expect(mayHaveBeenProcessed(new Error('bug'))).toBe(false);
  });
});

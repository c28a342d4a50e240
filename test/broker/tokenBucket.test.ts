import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/broker/tokenBucket';

describe('token bucket', () => {
  it('lets the burst through at once, then paces at the rate', async () => {
    const bucket = createTokenBucket({ perMinute: 600, burst: 2 }); // 10 per second
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, () => bucket.take().then(() => times.push(Date.now() - started))),
    );
    times.sort((a, b) => a - b);
    expect(times[1]).toBeLessThan(50);
    expect(times[4]).toBeGreaterThanOrEqual(280);
    expect(times[4]).toBeLessThan(800);
  });

  it('runs on broker minutes: clockSpeed 600 makes a minute 100 ms', async () => {
    const bucket = createTokenBucket({ perMinute: 10, burst: 1, clockSpeed: 600 });
    const started = Date.now();
    for (let i = 0; i < 6; i++) await bucket.take();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(400);
  });

  it('lets an aborted waiter go without spending a token', async () => {
    const bucket = createTokenBucket({ perMinute: 60, burst: 1 }); // one a second
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    const started = Date.now();
    await bucket.take();
    expect(Date.now() - started).toBeLessThan(1_300);
  });

  it('refuses nonsense settings', () => {
    expect(() => createTokenBucket({ perMinute: 0 })).toThrow(/perMinute/);
    expect(() => createTokenBucket({ perMinute: 10, burst: 0 })).toThrow(/burst/);
    expect(() => createTokenBucket({ perMinute: 10, clockSpeed: -1 })).toThrow(/clockSpeed/);
    expect(() => createTokenBucket({ perMinute: 10, safetyReserve: -1 })).toThrow(/safetyReserve/);
  });

  it('keeps the reserve from normal traffic: after the burst, normal requests wait for new tokens', async () => {
    const bucket = createTokenBucket({ perMinute: 600, burst: 2, safetyReserve: 3 }); // 10 per second
    const started = Date.now();
    await bucket.take();
    await bucket.take();
    await bucket.take(); // the reserve's 3 tokens stay: this one waits ~100 ms for a new token
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
  });

  it('sends safety requests at once from the reserve while normal traffic has the budget drained', async () => {
    const bucket = createTokenBucket({ perMinute: 60, burst: 2, safetyReserve: 3 }); // one a second
    const order: string[] = [];
    // A scan's worth of normal requests: two go, the rest queue a second apart.
    const normal = Array.from({ length: 5 }, (_, i) => bucket.take().then(() => order.push(`normal ${i}`)));
    await Promise.all(normal.slice(0, 2));
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        bucket.take(undefined, 'safety').then(() => order.push(`safety ${i}`)),
      ),
    );
    expect(Date.now() - started).toBeLessThan(50);
    // A fourth safety request has no reserve left, but goes before every queued normal one.
    const fourth = bucket.take(undefined, 'safety').then(() => order.push('safety 3'));
    await fourth;
    expect(order.slice(0, 6)).toEqual([
      'normal 0',
      'normal 1',
      'safety 0',
      'safety 1',
      'safety 2',
      'safety 3',
    ]);
    // Normal traffic resumes only once the reserve has refilled above its floor: not within this test.
    expect(order).not.toContain('normal 2');
  }, 5_000);

  it('lets an aborted safety waiter go and serves the next one', async () => {
    const bucket = createTokenBucket({ perMinute: 600, burst: 1, safetyReserve: 0 });
    await bucket.take();
    const controller = new AbortController();
    const gone = bucket.take(controller.signal, 'safety');
    const next = bucket.take(undefined, 'safety');
    controller.abort(new Error('stop cancelled'));
    await expect(gone).rejects.toThrow('stop cancelled');
    const started = Date.now();
    await next;
    expect(Date.now() - started).toBeLessThan(300);
  });
});

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
  });
});

import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/sim/http/rateLimiter';
import { api, startManual } from './simKit';

const DATE = '2026-11-24';

describe('rate limiter', () => {
  it('counts per key in a window that opens at the key’s first request', () => {
    let now = 1_000_000_123;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    const seen = [1, 2, 3, 4].map(() => limiter.take('A'));
    expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(seen.map((d) => d.headers['X-Ratelimit-Remaining'])).toEqual(['2', '1', '0', '0']);
    expect(seen[3]!.headers).toEqual({
      'X-Ratelimit-Limit': '3',
      'X-Ratelimit-Remaining': '0',
      'X-Ratelimit-Reset': String(Math.ceil((1_000_000_123 + 60_000) / 1000)),
    });
    expect(limiter.take('B').allowed).toBe(true);
    now += 59_999;
    expect(limiter.take('A').allowed).toBe(false);
    now += 1;
    const fresh = limiter.take('A');
    expect(fresh.allowed).toBe(true);
    expect(fresh.headers['X-Ratelimit-Remaining']).toBe('2');
  });

  it('is off at 0 or Infinity: no 429, no headers', () => {
    for (const limit of [0, Infinity]) {
      const limiter = createRateLimiter({ limit, windowMs: 60_000 });
      for (let i = 0; i < 1000; i++) expect(limiter.take('A')).toEqual({ allowed: true, headers: {} });
    }
  });
});

describe('simulator rate limit over HTTP', () => {
  it('answers 429 after N requests a minute, with the headers on every response', async () => {
    // Speed 1: a market minute is a wall-clock minute, as on Alpaca.
    const sim = await startManual({ seed: 3, date: DATE, speed: 1, rateLimitPerMinute: 5 });
    try {
      const before = Math.floor(Date.now() / 1000);
      const responses = [];
      for (let i = 0; i < 7; i++) responses.push(await api(sim, 'GET', '/v2/clock'));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(responses.map((r) => r.headers.get('X-Ratelimit-Remaining'))).toEqual([
        '4',
        '3',
        '2',
        '1',
        '0',
        '0',
        '0',
      ]);
      for (const r of responses) {
        expect(r.headers.get('X-Ratelimit-Limit')).toBe('5');
        const reset = Number(r.headers.get('X-Ratelimit-Reset'));
        expect(reset).toBeGreaterThanOrEqual(before + 59);
        expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
      }
      expect(responses[5]!.body).toEqual({ code: 42910000, message: 'rate limit exceeded' });

      // Another key has its own budget (and is then refused for its credentials).
      const stranger = await api(sim, 'GET', '/v2/clock', undefined, { keyId: 'OTHER', secretKey: 'x' });
      expect(stranger.status).toBe(401);
      expect(stranger.headers.get('X-Ratelimit-Remaining')).toBe('4');
    } finally {
      await sim.close();
    }
  });

  // Speed 30: a 2 s window, so four requests fall in one even on a loaded host (at speed 600 its
  // 100 ms were once too short for them in a fresh-clone run).
  it('counts per market minute: at speed 30 the window is 2 s of wall time', async () => {
    const sim = await startManual({ seed: 3, date: DATE, speed: 30, rateLimitPerMinute: 3 });
    try {
      const burst = [];
      for (let i = 0; i < 4; i++) burst.push((await api(sim, 'GET', '/v2/clock')).status);
      expect(burst).toEqual([200, 200, 200, 429]);
      await new Promise((r) => setTimeout(r, 2_100));
      expect((await api(sim, 'GET', '/v2/clock')).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('can be switched off', async () => {
    const sim = await startManual({ seed: 3, date: DATE, speed: 1, rateLimitPerMinute: 0 });
    try {
      for (let i = 0; i < 250; i++) {
        const res = await api(sim, 'GET', '/v2/clock');
        expect(res.status).toBe(200);
        expect(res.headers.get('X-Ratelimit-Limit')).toBeNull();
      }
    } finally {
      await sim.close();
    }
  });
});

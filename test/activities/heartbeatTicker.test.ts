import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { heartbeatTicker } from '../../src/activities/heartbeatTicker';

function contextWith(heartbeatTimeoutMs: number | undefined) {
  const beats: number[] = [];
  const ctx = { info: { heartbeatTimeoutMs }, heartbeat: () => void beats.push(Date.now()) };
  return { ctx: ctx as unknown as Context, beats };
}

const run = (ctx: Context, work: () => Promise<unknown>) =>
  heartbeatTicker(ctx).inbound!.execute!({ args: [], headers: {} }, work);

describe('heartbeatTicker', () => {
  it('heartbeats through a request longer than its heartbeat timeout, never silent that long, and stops after', async () => {
    const { ctx, beats } = contextWith(1_000);
    const started = Date.now();
    await expect(run(ctx, () => sleep(2_100).then(() => 'placed'))).resolves.toBe('placed');
    expect(beats.length).toBeGreaterThanOrEqual(7); // every 250 ms: a quarter of the timeout
    const gaps = [beats[0]! - started, ...beats.slice(1).map((t, i) => t - beats[i]!)];
    expect(Math.max(...gaps)).toBeLessThan(1_000);
    const after = beats.length;
    await sleep(300);
    expect(beats.length).toBe(after);
  });

  it('stops when the activity fails, and passes the failure on', async () => {
    const { ctx, beats } = contextWith(400);
    const boom = new Error('broker down');
    await expect(run(ctx, () => sleep(250).then(() => Promise.reject(boom)))).rejects.toBe(boom);
    const after = beats.length;
    await sleep(300);
    expect(beats.length).toBe(after);
  });

  it('leaves an activity without a heartbeat timeout alone', async () => {
    const { ctx, beats } = contextWith(undefined);
    await run(ctx, () => sleep(300));
    expect(beats).toEqual([]);
  });
});

/**
 * `npx catalyst sim` as a user runs it, driven by the official @alpacahq/alpaca-trade-api 4.x
 * client directly (not through Catalyst's adapter): account, clock, assets, bars, snapshots,
 * news and a bracket order; plus determinism, no look-ahead and a fault seen through that client.
 */
import type { ChildProcess } from 'node:child_process';
import { Alpaca, TimeFrame, TimeFrameUnit, timeFrame } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/startSimulator';
import { startCatalystSim } from '../support/catalystSim';

const officialClient = (url: string) =>
  new Alpaca({
    keyId: 'SIMKEY',
    secret: 'SIMSECRET',
    paper: true,
    retry: false,
    rateLimit: false,
    // The 4.x client has no baseUrl option: rewrite the origin of every request (as in the README).
    fetchApi: (input, init) => fetch(String(input).replace(/^https:\/\/[^/]+/, url), init),
  });

describe('catalyst sim with the official Alpaca client', () => {
  let child: ChildProcess;
  let alpaca: ReturnType<typeof officialClient>;

  beforeAll(async () => {
    const sim = await startCatalystSim(['--seed', '7', '--speed', '600', '--date', '2026-11-24']);
    child = sim.child;
    alpaca = officialClient(sim.url);
    // Let a few market minutes pass (speed 600: 0.1 s each) so bars and news exist.
    await new Promise((r) => setTimeout(r, 2_500));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('answers account, clock and assets', async () => {
    const account = await alpaca.trading.account.getAccount();
    expect(Number(account.cash)).toBe(100_000);
    const clock = await alpaca.trading.clock.legacyClock();
    expect(clock.isOpen).toBe(true);
    const assets = await alpaca.trading.assets.getV2Assets({ assetClass: 'us_equity' });
    expect(assets.filter((a) => a.tradable).length).toBeGreaterThanOrEqual(4000);
  });

  it('serves bars (auto-paginated) and snapshots, none after the simulated now', async () => {
    const clock = await alpaca.trading.clock.legacyClock();
    const bars = await alpaca.marketData.getStockBars({
      symbols: ['AAPL', 'MSFT', 'KO'],
      timeframe: TimeFrame.Minute,
      start: new Date('2026-11-24T14:30:00Z'),
    });
    for (const symbol of ['AAPL', 'MSFT', 'KO']) expect(bars[symbol]?.length).toBeGreaterThan(5);
    const after = await alpaca.trading.clock.legacyClock();
    const last = Math.max(
      ...Object.values(bars).flatMap((list) =>
        list.map((b) => new Date(b.timestamp as unknown as string).getTime()),
      ),
    );
    expect(last).toBeLessThanOrEqual(new Date(after.timestamp as unknown as string).getTime());
    expect(last).toBeGreaterThanOrEqual(
      new Date(clock.timestamp as unknown as string).getTime() - 5 * 60_000,
    );
    const snaps = await alpaca.marketData.stocks.stockSnapshots({ symbols: 'AAPL,MSFT' });
    expect(Object.keys(snaps).sort()).toEqual(['AAPL', 'MSFT']);
  });

  it('serves news', async () => {
    const news = await alpaca.marketData.collectNews({ start: new Date('2026-11-24T00:00:00Z'), limit: 50 });
    expect(news.length).toBeGreaterThan(0);
    expect(news[0]).toHaveProperty('headline');
  });

  it('takes a bracket order whose legs wait for the entry, and closes it', async () => {
    const snap = (await alpaca.marketData.stocks.stockSnapshots({ symbols: 'KO' })).KO!;
    const price = Number(snap.latestTrade!.p);
    const order = await alpaca.trading.orders.bracket({
      symbol: 'KO',
      side: 'buy',
      qty: 3,
      clientOrderId: 'official-client-bracket-1',
      takeProfit: { limitPrice: (price * 1.06).toFixed(2) },
      stopLoss: { stopPrice: (price * 0.98).toFixed(2) },
    });
    expect(order.orderClass).toBe('bracket');
    let filled = order;
    for (let i = 0; i < 50 && filled.status !== 'filled'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      filled = await alpaca.trading.orders.getOrderByClientOrderId({
        clientOrderId: 'official-client-bracket-1',
      });
    }
    expect(filled.status).toBe('filled');
    const positions = await alpaca.trading.positions.getAllOpenPositions();
    expect(positions.map((p) => p.symbol)).toContain('KO');
    await alpaca.trading.closeAllPositions({ cancelOrders: true });
    for (let i = 0; i < 50 && (await alpaca.trading.positions.getAllOpenPositions()).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await alpaca.trading.positions.getAllOpenPositions()).toEqual([]);
  });
});

describe('determinism and faults through the official client', () => {
  it('gives identical bars for the same seed, independent of the clock speed', async () => {
    const run = async (speed: number) => {
      const sim = await startSimulator({ seed: 21, speed, date: '2026-11-24', manualClock: true });
      try {
        sim.advanceTo(Date.parse('2026-11-24T15:30:00Z'));
        return await officialClient(sim.url).marketData.getStockBars({
          symbols: ['AAPL', 'XOM'],
          timeframe: timeFrame(5, TimeFrameUnit.Minute),
          start: new Date('2026-11-24T14:30:00Z'),
        });
      } finally {
        await sim.close();
      }
    };
    const [a, b] = [await run(1), await run(900)];
    expect(a.AAPL!.length).toBe(12);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('surfaces an injected 500 to the client, and recovers when faults are switched off', async () => {
    const sim = await startSimulator({
      seed: 3,
      speed: 600,
      date: '2026-11-24',
      faults: 'GET /v2/account:500:1',
    });
    try {
      const client = officialClient(sim.url);
      await expect(client.trading.account.getAccount()).rejects.toMatchObject({ status: 500 });
      sim.setFaults(null);
      expect(Number((await client.trading.account.getAccount()).cash)).toBe(100_000);
    } finally {
      await sim.close();
    }
  });
});

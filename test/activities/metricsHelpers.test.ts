/** The metric-recording helpers of src/activities/metrics.ts, on their own. */
import { describe, expect, it } from 'vitest';
import {
  createFillWatch,
  createTickLag,
  recordBracketSubmitted,
  timeStages,
  type ActivityMetrics,
} from '../../src/activities/metrics';
import type { Activities } from '../../src/activities/types';
import type { BookOrder } from '../../src/domain/positions/bookTypes';

const noop = (): void => {};
function fake(overrides: Partial<ActivityMetrics>): ActivityMetrics {
  return {
    orderSubmitted: noop,
    orderRejected: noop,
    orderExpired: noop,
    orderFilled: noop,
    book: noop,
    cycleFinished: noop,
    stageFinished: noop,
    monitorTick: noop,
    alertDelivered: noop,
    ...overrides,
  };
}

const order = (
  id: string,
  side: 'buy' | 'sell',
  type: string,
  filledQty: string,
  legs: BookOrder[] = [],
): BookOrder => ({
  id,
  clientOrderId: `c-${id}`,
  symbol: 'AAPL',
  side,
  type,
  qty: '10',
  filledQty,
  filledAvgPrice: filledQty === '0' ? null : '100.00',
  limitPrice: null,
  stopPrice: null,
  status: filledQty === '0' ? 'new' : 'filled',
  createdAt: '2026-11-24T15:00:00Z',
  submittedAt: null,
  filledAt: null,
  legs,
});

describe('timeStages', () => {
  it("records each timed activity's stage, outcome and seconds, and leaves the others alone", async () => {
    const seen: unknown[][] = [];
    let clock = 0;
    const untimed = async (): Promise<void> => {};
    const activities = {
      scanChunk: async () => {
        clock += 1_500;
        return 'scanned';
      },
      validateRisk: async () => {
        clock += 250;
        throw new Error('database down');
      },
      readMarketClock: untimed,
    } as unknown as Activities;
    const timed = timeStages(activities, fake({ stageFinished: (...a) => void seen.push(a) }), () => clock);
    await expect(timed.scanChunk({} as never)).resolves.toBe('scanned');
    await expect(timed.validateRisk({} as never)).rejects.toThrow('database down');
    expect(seen).toEqual([
      ['scan', 'ok', 1.5],
      ['risk', 'error', 0.25],
    ]);
    expect(timed.scanChunk.name).toBe('scanChunk');
    expect(timed.readMarketClock).toBe(untimed);
  });
});

describe('recordBracketSubmitted', () => {
  it('counts the entry and the legs the broker made with it', () => {
    const seen: unknown[][] = [];
    const m = fake({ orderSubmitted: (...a) => void seen.push(a) });
    recordBracketSubmitted(
      m,
      order('e', 'buy', 'limit', '0', [order('tp', 'sell', 'limit', '0'), order('sl', 'sell', 'stop', '0')]),
    );
    recordBracketSubmitted(undefined, order('x', 'buy', 'limit', '0'));
    expect(seen).toEqual([
      ['buy', 'entry'],
      ['sell', 'take_profit'],
      ['sell', 'stop_loss'],
    ]);
  });
});

describe('createFillWatch', () => {
  it("takes a date's first book as the baseline, then counts each order once, when first filled", () => {
    const seen: unknown[][] = [];
    const watch = createFillWatch(fake({ orderFilled: (...a) => void seen.push(a) }));
    const day = '2026-11-24';
    // A worker started mid-day: the morning's fill is not counted again.
    watch({ tradingDate: day, orders: [order('morning', 'buy', 'market', '10')] });
    expect(seen).toEqual([]);
    const entry = (filled: string, stop: string) =>
      order('e1', 'buy', 'limit', filled, [
        order('tp1', 'sell', 'limit', '0'),
        order('sl1', 'sell', 'stop', stop),
      ]);
    watch({ tradingDate: day, orders: [entry('0', '0')] });
    watch({ tradingDate: day, orders: [entry('10', '0')] });
    watch({ tradingDate: day, orders: [entry('10', '0')] });
    watch({ tradingDate: day, orders: [entry('10', '10'), order('x1', 'sell', 'market', '5')] });
    expect(seen).toEqual([
      ['buy', 'entry'],
      ['sell', 'stop_loss'],
      ['sell', 'exit'],
    ]);
  });
});

describe('createTickLag', () => {
  const M = 60_000;
  it('measures from the minute the monitor slept until', () => {
    const lag = createTickLag();
    // First tick here: from the start of its own minute.
    expect(lag('monitor-a', 10 * M + 4_000)).toBe(4_000);
    // The next: from the minute after the previous tick, however late (a fast clock).
    expect(lag('monitor-a', 13 * M + 500)).toBe(2 * M + 500);
    // Sent by the monitor: that minute, whatever this worker saw.
    expect(lag('monitor-a', 20 * M + 250, 20 * M)).toBe(250);
    // Monitors are kept apart.
    expect(lag('monitor-b', 20 * M + 9_000)).toBe(9_000);
  });
});

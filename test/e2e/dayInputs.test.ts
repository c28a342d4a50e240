/** What a trading day does with a holiday and with input it cannot trade on. */
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDaysOn } from '../../src/db/repositories/tradingDays';
import type { TradingDayInput } from '../../src/workflows/messages';
import { startHarness, type Harness } from '../support/catalystHarness';

describe('trading day inputs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 5, speed: 1000 });
  });
  afterAll(async () => h?.close());

  it('ends a holiday as "market closed" without trading', async () => {
    const handle = await h.startDay({ tradingDate: '2026-11-26' }); // Thanksgiving
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'market_closed', cycles: 0, ordersSubmitted: 0, fills: 0 });
    expect(await h.broker.listOrders({ status: 'all' })).toEqual([]);
    const [row] = await tradingDaysOn(h.database.db, '2026-11-26');
    expect(row?.status).toBe('market_closed');
  });

  it.each<[Partial<TradingDayInput>, RegExp]>([
    [{ speed: 0 }, /speed must be a number/],
    [{ tradingDate: '26-11-2026' }, /tradingDate must be YYYY-MM-DD/],
    [{ mode: 'yolo' as TradingDayInput['mode'] }, /mode must be supervised or autonomous/],
  ])('fails fast with a clear message for %j', async (bad, message) => {
    const handle = await h.startDay({ ...bad, tradingDate: bad.tradingDate ?? '2026-11-25' });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.message).toMatch(message);
  });
});

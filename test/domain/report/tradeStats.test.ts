/** tradeStats: counts, win rate, exact totals, largest win and loss, profit factor. */
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../src/domain/report/reportTypes';
import { tradeStats } from '../../../src/domain/report/tradeStats';

let seq = 0;
function trade(realizedPnl: string, p: Partial<Trade> = {}): Trade {
  seq += 1;
  return {
    tradingDate: '2026-11-24',
    accountId: 'a',
    symbol: `S${seq}`,
    entryClientOrderId: `e${seq}`,
    cycle: 1,
    cycleId: 'c1',
    status: 'closed',
    quantity: 10,
    closedQuantity: 10,
    openQuantity: 0,
    entryPrice: '10.00',
    exitPrice: '11.00',
    openedAt: '2026-11-24T15:00:00.000Z',
    closedAt: '2026-11-24T16:00:00.000Z',
    holdSeconds: 3600,
    realizedPnl,
    stopPrice: null,
    takeProfitPrice: null,
    exitReason: 'target',
    why: { factors: null, riskApproved: null, riskReasons: [] },
    ...p,
  };
}

describe('tradeStats', () => {
  it('no trades: zeros, and null where a ratio or an average has nothing to divide', () => {
    expect(tradeStats([])).toEqual({
      trades: 0,
      openTrades: 0,
      wins: 0,
      losses: 0,
      winRate: null,
      totalPnl: '0.00',
      averagePnl: null,
      largestWin: null,
      largestLoss: null,
      grossProfit: '0.00',
      grossLoss: '0.00',
      profitFactor: null,
      exitReasons: { target: 0, stop: 0, 'max hold': 0, flatten: 0, emergency: 0 },
    });
  });

  it('wins, losses and a breakeven', () => {
    const s = tradeStats([
      trade('30.00'),
      trade('-12.50', { exitReason: 'stop' }),
      trade('5.25'),
      trade('-40.00', { exitReason: 'emergency' }),
      trade('0.00', { exitReason: 'flatten' }),
    ]);
    expect(s).toMatchObject({
      trades: 5,
      wins: 2,
      losses: 2,
      winRate: 0.4,
      totalPnl: '-17.25',
      averagePnl: '-3.45',
      largestWin: '30.00',
      largestLoss: '-40.00',
      grossProfit: '35.25',
      grossLoss: '52.50',
      // 35.25 / 52.50
      profitFactor: 0.6714,
      exitReasons: { target: 2, stop: 1, 'max hold': 0, flatten: 1, emergency: 1 },
    });
  });

  it('no losing trade: the profit factor is null, not infinite', () => {
    expect(tradeStats([trade('1.00'), trade('2.00')]).profitFactor).toBeNull();
  });

  it('sums exactly before rounding: three trades of 0.005 total 0.02, not 0.03', () => {
    // Sub-dollar prices give sub-cent P&L; rounding each would add a cent the fills never made.
    expect(tradeStats([trade('0.005'), trade('0.005'), trade('0.005')]).totalPnl).toBe('0.02');
  });

  it('an open trade with nothing closed counts as open, not as a trade', () => {
    const s = tradeStats([
      trade('0.00', { status: 'open', closedQuantity: 0, openQuantity: 10, exitReason: null }),
      trade('3.00', { status: 'open', closedQuantity: 4, openQuantity: 6 }),
    ]);
    expect(s).toMatchObject({ trades: 1, openTrades: 2, wins: 1, totalPnl: '3.00' });
  });
});

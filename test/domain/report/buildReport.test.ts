/** buildReport: one recorded day in, every figure out, agreeing with its own trades; an empty day is a report too. */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/domain/report/buildReport';
import { formatMicros, toMicros } from '../../../src/domain/money';
import { DATE } from './reportKit';
import { emptyData, fixtureData } from './reportFixture';

const scope = { from: DATE, to: DATE, venue: 'simulator' };

describe('buildReport', () => {
  it('a day with a target, a stop, a max-hold exit, a partial fill flattened, and a trade still open', () => {
    const r = buildReport(fixtureData(), scope);
    expect(r.trades.map((t) => [t.symbol, t.status, t.realizedPnl, t.exitReason])).toEqual([
      ['AAPL', 'closed', '60.20', 'target'],
      ['MSFT', 'closed', '-7.49', 'stop'],
      ['BRK.B', 'closed', '9.60', 'max hold'],
      ['NVDA', 'closed', '2.0085', 'flatten'],
      ['TSLA', 'open', '0.00', null],
    ]);
    // 60.20 − 7.49 + 9.60 + 2.0085 = 64.3185
    expect(r.figures).toMatchObject({
      trades: 4,
      openTrades: 1,
      wins: 3,
      losses: 1,
      winRate: 0.75,
      totalPnl: '64.32',
      largestWin: '60.20',
      largestLoss: '-7.49',
      profitFactor: 9.5872,
      exitReasons: { target: 1, stop: 1, 'max hold': 1, flatten: 1, emergency: 0 },
    });
    // The curve ends at the trades' total, to the micro.
    expect(toMicros(r.equityCurve.at(-1)!.equity)).toBe(
      r.trades.reduce((sum, t) => sum + toMicros(t.realizedPnl), 0n),
    );
    // The MSFT stop at 10:20 closes first, 7.49 below the opening zero; after it the curve only rises.
    expect(r.figures.maxIntradayDrawdown).toBe('7.49');
    expect(r.days).toEqual([
      expect.objectContaining({ tradingDate: DATE, status: 'running', trades: 4, realizedPnl: '64.32' }),
    ]);
    expect(r.cycles).toHaveLength(5);
    expect(r.funnel.find((s) => s.stage === 'orders')).toEqual({ stage: 'orders', total: 6, perCycle: 1.5 });
    expect(r.risk).toMatchObject({ judged: 6, approved: 5, rejected: 1 });
    expect(r.riskEvents.map((e) => e.eventType)).toEqual(['max_hold_exit', 'daily_loss_warning']);
    expect(r.trades.every((t) => t.why.factors !== null)).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // --json prints it as is
  });

  it('an empty day: no trades, zero P&L, still its funnel', () => {
    const r = buildReport(emptyData(), scope);
    expect(r.trades).toEqual([]);
    expect(r.equityCurve).toEqual([]);
    expect(r.figures).toMatchObject({
      trades: 0,
      totalPnl: '0.00',
      winRate: null,
      profitFactor: null,
      maxIntradayDrawdown: '0.00',
    });
    expect(r.cycles).toHaveLength(1);
    expect(formatMicros(toMicros(r.figures.totalPnl), 2)).toBe('0.00');
  });
});

/**
 * What a backtest asks of the venue beside its days: the trading days of its range, from the
 * broker calendar (holidays skipped, early closes honoured by each day itself), and its figures,
 * from the broker's record of Catalyst's own orders, so they are the broker's truth to the cent.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isIsoDate, nyTimeToUtcMs } from '../domain/calendar';
import { backtestStats } from '../domain/backtest/backtestStats';
import { ErrorType } from '../shared';
import type { BacktestFigures } from '../workflows/messages';
import type { ActivityDeps } from './deps';
import { readBook } from './reconciliation';

export function createBacktestActivities(deps: Pick<ActivityDeps, 'broker'>) {
  return {
    async listTradingDays(input: { from: string; to: string }): Promise<string[]> {
      if (!isIsoDate(input.from) || !isIsoDate(input.to) || input.to < input.from)
        throw ApplicationFailure.nonRetryable(
          `a backtest range is two YYYY-MM-DD dates, from ≤ to (got ${JSON.stringify(input)})`,
          ErrorType.InvalidInput,
        );
      const days = await deps.broker.getCalendar(input.from, input.to);
      return days
        .map((d) => d.date)
        .filter((d) => d >= input.from && d <= input.to)
        .sort();
    },

    async summarizeBacktest(input: { from: string }): Promise<BacktestFigures> {
      const book = await readBook(deps, {
        tradingDate: null,
        sinceMs: nyTimeToUtcMs(input.from, '00:00') - 1,
      });
      const s = backtestStats(book.trips);
      return {
        trades: s.trades,
        wins: s.wins,
        losses: s.losses,
        realizedPnl: s.realizedPnl,
        winRate: s.winRate,
        maxDrawdown: s.maxDrawdown,
        profitFactor: s.profitFactor,
      };
    },
  };
}

/**
 * The risk manager: sizes and validates the cycle's candidates against the account, the open
 * book and risk_parameters.yaml. Every decision and its reasons are written to scan_results.
 */
import type { BrokerBar } from '../broker/port';
import { updateScanScores } from '../db/repositories/scanResults';
import { isOpenOrder } from '../domain/positions';
import { validateRisk as decide, type RiskCandidate } from '../domain/risk';
import { riskLimitsFromConfig } from '../settings/riskLimits';
import type { CycleRef, RiskDecisionSummary, ScoredCandidate } from './types';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { sessionOf } from './marketClock';
import { readBook } from './reconciliation';
import { sectorOf, type ReferenceData } from './referenceData';

export function createRiskActivities(deps: ActivityDeps, cache: MarketCache, ref: ReferenceData) {
  return {
    async validateRisk(
      input: CycleRef & { candidates: ScoredCandidate[] },
    ): Promise<{ decisions: RiskDecisionSummary[] }> {
      if (input.candidates.length === 0) return { decisions: [] };
      const settings = deps.settings.current();
      const [account, book, positions, day] = await Promise.all([
        deps.broker.getAccount(),
        readBook(deps, { tradingDate: input.tradingDate }),
        deps.broker.listPositions(),
        sessionOf(deps, cache, input.tradingDate),
      ]);
      // Catalyst's own holdings count toward max_positions; the account's other holdings are
      // exposure (sector, correlation, never a second position in the symbol) but not Catalyst's.
      const ourSymbols = new Set(book.holdings.filter((h) => h.closableQty > 0).map((h) => h.symbol));
      const symbols = [
        ...new Set([...input.candidates.map((c) => c.symbol), ...positions.map((p) => p.symbol)]),
      ];
      const lookback = settings.risk.correlation.lookback_days;
      const daily = settings.risk.correlation.check_enabled
        ? await deps.broker.getBars({
            symbols,
            timeframe: '1Day',
            // Calendar days enough for `lookback` trading days, holidays included.
            start: new Date(day.openMs - Math.ceil((lookback * 7) / 5 + 7) * 86_400_000).toISOString(),
            end: new Date(day.openMs - 1).toISOString(),
          })
        : new Map<string, BrokerBar[]>();
      const closes = (s: string): number[] | undefined =>
        daily
          .get(s)
          ?.slice(-lookback)
          .map((b) => b.c);

      const candidates: RiskCandidate[] = input.candidates.map((c) => ({
        symbol: c.symbol,
        sector: c.sector,
        entryPrice: c.price,
        compositeScore: c.compositeScore,
        atr: c.atr,
        recentCloses: closes(c.symbol),
      }));
      const decisions = decide(
        candidates,
        {
          equity: account.equity,
          buyingPower: account.buyingPower,
          // Catalyst's own P&L (the monitor grades the same figure): trades made by hand are not its loss.
          dailyPnl: book.dailyPnl,
          openPositions: positions.map((p) => ({
            symbol: p.symbol,
            sector: sectorOf(ref, p.symbol),
            marketValue: p.marketValue,
            recentCloses: closes(p.symbol),
            ours: ourSymbols.has(p.symbol),
          })),
          openOrderSymbols: [
            ...new Set(book.holdings.filter((h) => h.orders.some(isOpenOrder)).map((h) => h.symbol)),
          ],
          foreignOrderSymbols: [...new Set(book.foreignOrders.map((o) => o.symbol))],
          halted: false,
          entriesAllowed: true,
          tradingBlocked: account.tradingBlocked,
          patternDayTrader: account.patternDayTrader,
        },
        riskLimitsFromConfig(settings),
      );
      await updateScanScores(
        deps.db,
        input.cycleId,
        decisions.map((d) => ({
          symbol: d.symbol,
          stageReached: d.approved ? 'risk' : 'technical',
          riskApproved: d.approved,
          riskReasons: d.reasons,
        })),
      );
      const priceOf = new Map(input.candidates.map((c) => [c.symbol, c.price]));
      return {
        decisions: decisions.map((d) => ({
          symbol: d.symbol,
          approved: d.approved,
          qty: d.qty,
          entryPrice: priceOf.get(d.symbol)!,
          limitPrice: d.limitPrice ?? '0',
          stopPrice: d.stopPrice ?? '0',
          takeProfitPrice: d.takeProfitPrice ?? '0',
          reasons: d.reasons,
        })),
      };
    },
  };
}

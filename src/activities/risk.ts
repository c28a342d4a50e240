/**
 * The risk manager: sizes and validates the cycle's candidates against the account, the open
 * book, the day's own gates and risk_parameters.yaml. Every decision and its reasons are written
 * to scan_results (and, for decisions at approval time, replace the earlier ones).
 */
import type { BrokerBar } from '../broker/port';
import { updateScanScores } from '../db/repositories/scanResults';
import { utcMsToNyDate } from '../domain/calendar';
import { isOpenOrder } from '../domain/positions';
import { bookExposure, validateRisk as decide, type DatedClose, type RiskCandidate } from '../domain/risk';
import { riskLimitsFromConfig } from '../settings/riskLimits';
import { activeCooldown } from './cooldown';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { sessionOf } from './marketClock';
import { readBook } from './reconciliation';
import { sectorOf, type ReferenceData } from './referenceData';
import type { RiskDecisionSummary, ValidateRiskInput } from './types';

export function createRiskActivities(deps: ActivityDeps, cache: MarketCache, ref: ReferenceData) {
  return {
    async validateRisk(input: ValidateRiskInput): Promise<{ decisions: RiskDecisionSummary[] }> {
      if (input.candidates.length === 0) return { decisions: [] };
      // One snapshot for the whole decision: the cycle's (an approval re-check: the one in force now).
      const settings = input.atApproval ? deps.settings.current() : deps.settings.at(input.configVersion);
      const overrides = settings.risk.sector_limits.sector_overrides;
      const [account, book, positions, day, clock] = await Promise.all([
        deps.broker.getAccount(),
        readBook(deps, { tradingDate: input.tradingDate }),
        deps.broker.listPositions(),
        sessionOf(deps, cache, input.tradingDate),
        deps.broker.getClock(),
      ]);
      const nowMs = Date.parse(clock.timestamp);
      const cooldown = await activeCooldown(deps, nowMs);
      // Catalyst's own holdings count toward max_positions; the account's other holdings are
      // exposure (sector, correlation, never a second position in the symbol) but not Catalyst's.
      const ourSymbols = new Set(book.holdings.filter((h) => h.closableQty > 0).map((h) => h.symbol));
      const exposure = bookExposure(book, settings.trading.positions.default_stop_loss_pct);
      const symbols = [
        ...new Set([
          ...input.candidates.map((c) => c.symbol),
          ...positions.map((p) => p.symbol),
          ...exposure.pendingEntries.map((e) => e.symbol),
        ]),
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
      const closes = (s: string): DatedClose[] | undefined =>
        daily
          .get(s)
          ?.slice(-lookback)
          .map((b) => ({ date: utcMsToNyDate(Date.parse(b.t)), close: b.c }));
      const sector = (s: string): string => sectorOf(ref, overrides, s);

      const candidates: RiskCandidate[] = input.candidates.map((c) => ({
        symbol: c.symbol,
        sector: sector(c.symbol),
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
          cash: account.cash,
          pendingBuyNotional: exposure.pendingBuyNotional,
          // Catalyst's own P&L from the broker's fills and prices (the monitor grades the same
          // figure): trades made by hand are not its loss.
          dailyPnl: book.dailyPnl,
          openStopRisk: exposure.openStopRisk,
          openPositions: positions.map((p) => ({
            symbol: p.symbol,
            sector: sector(p.symbol),
            marketValue: p.marketValue,
            recentCloses: closes(p.symbol),
            ours: ourSymbols.has(p.symbol),
          })),
          openOrderSymbols: [
            ...new Set(book.holdings.filter((h) => h.orders.some(isOpenOrder)).map((h) => h.symbol)),
          ],
          pendingEntries: exposure.pendingEntries.map((e) => ({
            symbol: e.symbol,
            sector: sector(e.symbol),
            notional: e.notional,
            recentCloses: closes(e.symbol),
          })),
          foreignOrderSymbols: [...new Set(book.foreignOrders.map((o) => o.symbol))],
          halted: input.halted ?? false,
          entriesAllowed:
            (input.entriesOpen ?? true) && (input.cutoffMs === undefined || nowMs < input.cutoffMs),
          tradingBlocked: account.tradingBlocked,
          patternDayTrader: account.patternDayTrader,
          nowMs,
          cooldownUntilMs: cooldown?.untilMs ?? null,
        },
        riskLimitsFromConfig(settings),
      );
      const note = input.atApproval ? ['judged again at approval time'] : [];
      await updateScanScores(
        deps.db,
        input.cycleId,
        decisions.map((d) => ({
          symbol: d.symbol,
          stageReached: d.approved ? 'risk' : 'technical',
          riskApproved: d.approved,
          riskReasons: [...note, ...d.reasons],
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
          reasons: [...note, ...d.reasons],
        })),
      };
    },
  };
}

/**
 * The technical service: RSI 14, MACD 12/26/9, EMA 9/21, VWAP, ATR 14 and Bollinger 20/2 for the
 * pattern stage's survivors, from our typed-array kernels over the previous session's and today's
 * minute bars up to the decision minute; the technical score with its reasons; the momentum and
 * volume factors re-derived from the same bars. Cut to `filters.technical_top_n`; every symbol's
 * indicators go to technical_indicators.
 *
 * The ATR handed on (the one ATR stops are sized on) is computed on `positions.atr_timeframe` bars
 * cut from the same minute bars: a one-minute ATR is a stop inside the noise of a trade held for
 * hours. Fewer than 15 complete bars of the timeframe give no ATR, and the bracket uses the
 * percent stop.
 */
import { recordTechnicals, type TechnicalRow } from '../db/repositories/cycleAnalysis';
import { updateScanScores } from '../db/repositories/scanResults';
import {
  aggregateBars,
  indicatorSetOf,
  sessionScanInput,
  sessionVwap,
  technicalScore,
} from '../domain/indicators';
import { lastValues } from '../domain/indicators/kernels';
import { computeScanMetrics } from '../domain/scan';
import { cutStage, momentumScore, round4, volumeScore } from '../domain/scoring';
import type { AtrTimeframe } from '../settings/tradingConfig';
import { candidateBars } from './candidateBars';
import type { ActivityDeps } from './deps';
import { beat } from './heartbeat';
import type { MarketCache } from './marketCache';
import type { ReferenceData } from './referenceData';
import { elapsedShare } from './scanner';
import type { Candidate, StageInput, StageOutcome } from './types';

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export const ATR_TIMEFRAME_MINUTES: Readonly<Record<AtrTimeframe, number>> = {
  '1Min': 1,
  '5Min': 5,
  '15Min': 15,
  '30Min': 30,
  '1Hour': 60,
};

export function createTechnicalActivities(deps: ActivityDeps, cache: MarketCache, ref: ReferenceData) {
  return {
    async computeIndicators(input: StageInput): Promise<StageOutcome> {
      if (input.candidates.length === 0) return { candidates: [] };
      const { trading } = deps.settings.at(input.configVersion);
      const atrTimeframe = trading.positions.atr_timeframe;
      const [bars, share] = await Promise.all([
        candidateBars(deps, cache, { ...input, symbols: input.candidates.map((c) => c.symbol) }),
        elapsedShare(deps, cache, input.tradingDate, input.asOfMs),
      ]);
      beat('bars');

      const scored: Candidate[] = [];
      const rows: TechnicalRow[] = [];
      for (const c of input.candidates) {
        const cb = bars.get(c.symbol)!;
        const last = lastValues(cb.bars);
        const vwap = sessionVwap(cb.bars, cb.sessionStart);
        const tech = technicalScore(indicatorSetOf(last, vwap));
        const asOf = sessionScanInput(c.symbol, cb.bars, cb.sessionStart, {
          prevSessionVolume: cb.prevSessionVolume,
          avgVolume: ref.get(c.symbol)?.avgVolume,
        });
        const m = asOf ? computeScanMetrics(asOf, share) : null;
        const atrBars = aggregateBars(
          cb.bars,
          cb.startMs,
          ATR_TIMEFRAME_MINUTES[atrTimeframe],
          cb.sessions,
          input.asOfMs,
        );
        const atr = finiteOrNull(lastValues(atrBars).atr14);
        scored.push({
          ...c,
          technicalScore: tech.score,
          // Without a bar before the minute the scan's figures are all there is; say so by keeping them.
          momentumScore: m ? momentumScore(m) : c.momentumScore,
          volumeScore: m ? volumeScore(m) : c.volumeScore,
          relativeVolume: m ? m.relativeVolume : c.relativeVolume,
          lastClose: Number.isFinite(last.close) ? last.close : c.price,
          atr,
        });
        rows.push({
          symbol: c.symbol,
          computedAt: new Date(input.asOfMs),
          rsi: finiteOrNull(last.rsi14),
          macd: finiteOrNull(last.macd),
          macdSignal: finiteOrNull(last.macdSignal),
          macdHistogram: finiteOrNull(last.macdHistogram),
          sma20: finiteOrNull(last.bbMiddle),
          ema9: finiteOrNull(last.ema9),
          vwap: finiteOrNull(vwap),
          atr: finiteOrNull(last.atr14),
          bollingerUpper: finiteOrNull(last.bbUpper),
          bollingerLower: finiteOrNull(last.bbLower),
          volumeRatio: m ? m.relativeVolume : null,
          score: tech.score,
          details: {
            ema21: finiteOrNull(last.ema21),
            emaCross: finiteOrNull(last.emaCross),
            percentB: finiteOrNull(last.bbPercentB),
            bars: last.barCount,
            sessionBars: last.barCount - cb.sessionStart,
            lastBarAt: Number.isFinite(cb.lastBarMs) ? new Date(cb.lastBarMs).toISOString() : null,
            // The row's indicators are one-minute ones; the ATR a stop is sized on is recorded beside them.
            stopAtr: atr,
            stopAtrTimeframe: atrTimeframe,
            stopAtrBars: atrBars.length,
            reasons: tech.reasons,
          },
        });
      }
      const top = cutStage(scored, trading.filters.technical_top_n, [
        (c) => c.technicalScore ?? 0,
        (c) => c.patternScore ?? 50,
        (c) => c.newsScore ?? 50,
        (c) => c.scanScore,
      ]);
      const kept = new Set(top.map((c) => c.symbol));
      await recordTechnicals(deps.db, input.cycleId, rows);
      await updateScanScores(
        deps.db,
        input.cycleId,
        scored.map((c) => ({
          symbol: c.symbol,
          technicalScore: c.technicalScore,
          momentumScore: round4(c.momentumScore),
          volumeScore: round4(c.volumeScore),
          ...(kept.has(c.symbol) ? { stageReached: 'technical' } : {}),
        })),
      );
      return { candidates: top };
    },
  };
}

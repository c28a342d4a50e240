/**
 * The minute bars the pattern and technical stages read for their candidates: the previous
 * session's and today's, up to the decision minute and never past it. The prior session gives
 * the indicators their warm-up, so a 09:35 cycle has a real RSI and MACD instead of nothing.
 *
 * Only bars that started before the decision minute are read (end = minute − 1 ms): each of them
 * is complete by that minute, so no decision sees a bar still forming after it.
 */
import { previousTradingDay } from '../domain/calendar';
import type { SessionHours } from '../domain/indicators';
import type { OhlcvBars } from '../domain/indicators/kernels';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { sessionOf } from './marketClock';

export interface CandidateBars {
  bars: OhlcvBars;
  /** Start (epoch ms) of each bar: what the ATR's timeframe buckets are cut by. */
  startMs: Float64Array;
  /** The previous session and today's, the bars' possible sources. */
  sessions: readonly SessionHours[];
  /** Index of today's first bar (bars before it are the previous session's). */
  sessionStart: number;
  /** Start time (epoch ms) of the last bar, or NaN without bars. */
  lastBarMs: number;
  /** Volume of the previous session, the relative-volume baseline when no average is known. */
  prevSessionVolume: number;
}

export async function candidateBars(
  deps: Pick<ActivityDeps, 'broker'>,
  cache: MarketCache,
  input: { cycleId: string; tradingDate: string; asOfMs: number; symbols: readonly string[] },
): Promise<Map<string, CandidateBars>> {
  const key = `${input.cycleId}@${input.asOfMs}`;
  const cached = cache.bars.get(key);
  const missing = input.symbols.filter((s) => !cached?.has(s));
  if (cached && missing.length === 0) return cached;

  const [today, prior] = await Promise.all([
    sessionOf(deps, cache, input.tradingDate),
    sessionOf(deps, cache, previousTradingDay(input.tradingDate)),
  ]);
  const fetched = await deps.broker.getBars({
    symbols: missing,
    timeframe: '1Min',
    start: new Date(prior.openMs).toISOString(),
    end: new Date(input.asOfMs - 1).toISOString(),
  });
  const sessions: readonly SessionHours[] = [
    { openMs: prior.openMs, closeMs: prior.closeMs },
    { openMs: today.openMs, closeMs: today.closeMs },
  ];
  const out = new Map(cached ?? []);
  for (const symbol of missing) {
    const list = (fetched.get(symbol) ?? []).filter((b) => Date.parse(b.t) < input.asOfMs);
    const n = list.length;
    const bars: OhlcvBars = {
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
      length: n,
    };
    const startMs = new Float64Array(n);
    let sessionStart = n;
    let prevSessionVolume = 0;
    for (let i = 0; i < n; i++) {
      const b = list[i]!;
      bars.open[i] = b.o;
      bars.high[i] = b.h;
      bars.low[i] = b.l;
      bars.close[i] = b.c;
      bars.volume[i] = b.v;
      const t = Date.parse(b.t);
      startMs[i] = t;
      if (t >= today.openMs) sessionStart = Math.min(sessionStart, i);
      else if (t >= prior.openMs && t < prior.closeMs) prevSessionVolume += b.v;
    }
    out.set(symbol, {
      bars,
      startMs,
      sessions,
      sessionStart,
      lastBarMs: n > 0 ? startMs[n - 1]! : Number.NaN,
      prevSessionVolume,
    });
  }
  cache.bars.set(key, out);
  return out;
}

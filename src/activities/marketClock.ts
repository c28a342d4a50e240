import { ApplicationFailure } from '@temporalio/common';
import { nyTimeToUtcMs } from '../domain/calendar';
import { ErrorType } from '../shared';
import type { MarketClockReading, MarketDay } from '../workflows/messages';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';

const HHMM = /^\d{2}:\d{2}$/;

export function createMarketClockActivities(deps: Pick<ActivityDeps, 'broker'>, cache: MarketCache) {
  const readMarketClock = async (): Promise<MarketClockReading> => {
    const clock = await deps.broker.getClock();
    const nowMs = Date.parse(clock.timestamp);
    if (!Number.isFinite(nowMs))
      throw ApplicationFailure.nonRetryable(
        `broker clock sent an invalid timestamp ${JSON.stringify(clock.timestamp)}`,
        ErrorType.BrokerRejected,
      );
    const nextOpenMs = Date.parse(clock.nextOpen);
    const nextCloseMs = Date.parse(clock.nextClose);
    if (!Number.isFinite(nextOpenMs) || !Number.isFinite(nextCloseMs))
      throw ApplicationFailure.nonRetryable(
        `broker clock sent an invalid next_open/next_close ${JSON.stringify([clock.nextOpen, clock.nextClose])}`,
        ErrorType.BrokerRejected,
      );
    return { nowMs, isOpen: clock.isOpen, nextOpenMs, nextCloseMs };
  };

  return {
    readMarketClock,

    /** The session of a date from the broker calendar: holidays and early closes come from the venue. */
    async getMarketDay(tradingDate: string): Promise<MarketDay> {
      const [calendar, clock] = await Promise.all([
        deps.broker.getCalendar(tradingDate, tradingDate),
        readMarketClock(),
      ]);
      const session = calendar.find((d) => d.date === tradingDate);
      if (!session) {
        return {
          tradingDate,
          isTradingDay: false,
          openMs: 0,
          closeMs: 0,
          earlyClose: false,
          nowMs: clock.nowMs,
        };
      }
      if (!HHMM.test(session.open) || !HHMM.test(session.close)) {
        throw ApplicationFailure.nonRetryable(
          `broker calendar for ${tradingDate} has malformed hours open=${session.open} close=${session.close}`,
          ErrorType.BrokerRejected,
        );
      }
      const day: MarketDay = {
        tradingDate,
        isTradingDay: true,
        openMs: nyTimeToUtcMs(tradingDate, session.open),
        closeMs: nyTimeToUtcMs(tradingDate, session.close),
        earlyClose: session.close < '16:00',
        nowMs: clock.nowMs,
      };
      cache.days.set(tradingDate, day);
      return day;
    },
  };
}

/** The session of a date, from the cache or the broker (activities of later stages use it). */
export async function sessionOf(
  deps: Pick<ActivityDeps, 'broker'>,
  cache: MarketCache,
  tradingDate: string,
): Promise<MarketDay> {
  const cached = cache.days.get(tradingDate);
  if (cached) return cached;
  return createMarketClockActivities(deps, cache).getMarketDay(tradingDate);
}

import { ApplicationFailure } from '@temporalio/common';
import { nyTimeToUtcMs } from '../domain/calendar';
import { ErrorType } from '../shared';
import type { MarketClockReading, MarketDay } from '../workflows/messages';
import { calendarCheckFor, type CalendarCheck } from './calendarCheck';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';

const HHMM = /^\d{2}:\d{2}$/;

type BrokerDeps = Pick<ActivityDeps, 'broker'>;

/**
 * `check` compares the broker's calendar with our NYSE calendar (default: a WARNING alert on a
 * disagreement); tests pass their own.
 */
export function createMarketClockActivities(
  deps: Pick<ActivityDeps, 'broker' | 'outboxDir' | 'log' | 'settings'>,
  cache: MarketCache,
  check: CalendarCheck = calendarCheckFor(deps),
) {
  return {
    readMarketClock: () => readMarketClock(deps),

    /**
     * The session of a date from the broker calendar: holidays and early closes come from the
     * venue. Our NYSE calendar only checks it: a disagreement raises a WARNING, and the broker wins.
     */
    getMarketDay: (tradingDate: string): Promise<MarketDay> => readMarketDay(deps, cache, tradingDate, check),
  };
}

async function readMarketClock(deps: BrokerDeps): Promise<MarketClockReading> {
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
}

async function readMarketDay(
  deps: BrokerDeps,
  cache: MarketCache,
  tradingDate: string,
  check?: CalendarCheck,
): Promise<MarketDay> {
  const [calendar, clock] = await Promise.all([
    deps.broker.getCalendar(tradingDate, tradingDate),
    readMarketClock(deps),
  ]);
  const session = calendar.find((d) => d.date === tradingDate);
  if (session && (!HHMM.test(session.open) || !HHMM.test(session.close))) {
    throw ApplicationFailure.nonRetryable(
      `broker calendar for ${tradingDate} has malformed hours open=${session.open} close=${session.close}`,
      ErrorType.BrokerRejected,
    );
  }
  check?.(tradingDate, session ?? null);
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
}

/**
 * The session of a date, from the cache or the broker (activities of later stages use it). No
 * calendar check here: the day's own getMarketDay made it when the day began.
 */
export async function sessionOf(
  deps: BrokerDeps,
  cache: MarketCache,
  tradingDate: string,
): Promise<MarketDay> {
  const cached = cache.days.get(tradingDate);
  if (cached) return cached;
  return readMarketDay(deps, cache, tradingDate);
}

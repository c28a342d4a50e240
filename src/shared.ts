/**
 * Names shared by the worker, the workflows and the CLI. Keep this file free of Node APIs:
 * workflow code imports it.
 *
 * Every name a trading day lives under carries its venue, and on a real broker its account: a
 * simulator run and a paper run on one Temporal cluster use different task queues, workflow
 * ids, schedules and search-attribute values, so neither can see, start, terminate or feed the
 * other's work.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export type Venue = 'simulator' | 'paper' | 'live';

/** Where a day trades: the venue, and for paper/live the broker account number. */
export interface VenueScope {
  venue: Venue;
  /** Broker account number; ignored for the simulator (each simulator run is a fresh account). */
  account?: string | null;
  /** Simulator only: a backtest's run tag, so its days never meet `npm start`'s or another backtest's. */
  run?: string | null;
}

/** `sim`, `paper-PA1234567890`, `live-123456789`: the part of every name that keeps venues apart. */
export function venueKey(scope: VenueScope): string {
  if (scope.venue === 'simulator') {
    const run = (scope.run ?? '').replace(/[^A-Za-z0-9-]/g, '');
    return run ? `sim-${run}` : 'sim';
  }
  const account = (scope.account ?? '').replace(/[^A-Za-z0-9]/g, '');
  if (!account) throw new Error(`a ${scope.venue} venue needs its broker account number`);
  return `${scope.venue}-${account}`;
}

export const taskQueueFor = (scope: VenueScope): string => `catalyst-${venueKey(scope)}`;

export const tradingDayWorkflowId = (tradingDate: string, scope: VenueScope): string =>
  `trading-day-${tradingDate}-${venueKey(scope)}`;

/** The monitor's id follows its day's (tests and replays give days ids of their own). */
export const positionMonitorWorkflowId = (tradingDayId: string): string =>
  tradingDayId.startsWith('trading-day-')
    ? tradingDayId.replace(/^trading-day-/, 'position-monitor-')
    : `position-monitor-${tradingDayId}`;

export const scheduleIdFor = (scope: VenueScope): string => `catalyst-trading-day-${venueKey(scope)}`;

/** Custom search attributes registered on the embedded dev server (and documented for real clusters). */
export const SearchAttr = {
  tradingDate: defineSearchAttributeKey('CatalystTradingDate', SearchAttributeType.KEYWORD),
  mode: defineSearchAttributeKey('CatalystMode', SearchAttributeType.KEYWORD),
  venue: defineSearchAttributeKey('CatalystVenue', SearchAttributeType.KEYWORD),
  account: defineSearchAttributeKey('CatalystAccount', SearchAttributeType.KEYWORD),
  realizedPnl: defineSearchAttributeKey('CatalystRealizedPnl', SearchAttributeType.DOUBLE),
  halted: defineSearchAttributeKey('CatalystHalted', SearchAttributeType.BOOL),
  /** Orders Catalyst submitted so far that day (entries and exits), kept current after each cycle. */
  orders: defineSearchAttributeKey('CatalystOrders', SearchAttributeType.INT),
} as const;

const CLI_TYPE: Partial<Record<SearchAttributeType, string>> = {
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.INT]: 'Int',
};

/** The same keys in the dev server's `--search-attribute NAME=Type` spelling. */
export const SEARCH_ATTRIBUTE_CLI_ARGS: string[] = Object.values(SearchAttr).map(
  (k) => `${k.name}=${CLI_TYPE[k.type] ?? 'Keyword'}`,
);

/** The CatalystAccount value of a venue's workflows: `-` on the simulator (a backtest's run tag). */
export const accountAttribute = (scope: VenueScope): string =>
  scope.venue === 'simulator'
    ? venueKey(scope).slice('sim-'.length) || '-'
    : venueKey(scope).slice(scope.venue.length + 1);

/** The visibility query that selects one venue's workflows. */
export const venueQuery = (scope: VenueScope): string =>
  `CatalystVenue = '${scope.venue}' AND CatalystAccount = '${accountAttribute(scope)}'`;

/**
 * Failure types that cross the activity boundary, and the workflows' own. Retry policies name
 * the non-retryable ones, so a broker rejection is never retried into a second order.
 */
export const ErrorType = {
  InvalidOrder: 'InvalidOrder',
  InsufficientBuyingPower: 'InsufficientBuyingPower',
  DayTradingProtection: 'DayTradingProtection',
  UnknownSymbol: 'UnknownSymbol',
  BrokerRejected: 'BrokerRejected',
  BrokerUnavailable: 'BrokerUnavailable',
  InvalidConfig: 'InvalidConfig',
  LiveTradingNotAllowed: 'LiveTradingNotAllowed',
  /** A workflow's input (or a message payload) it cannot act on. */
  InvalidInput: 'InvalidInput',
  /** The day failed for a reason it could not handle; its book was flattened first. */
  TradingDayFailed: 'TradingDayFailed',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

export const NON_RETRYABLE_ERROR_TYPES: string[] = [
  ErrorType.InvalidOrder,
  ErrorType.InsufficientBuyingPower,
  ErrorType.DayTradingProtection,
  ErrorType.UnknownSymbol,
  ErrorType.BrokerRejected,
  ErrorType.InvalidConfig,
  ErrorType.LiveTradingNotAllowed,
  ErrorType.InvalidInput,
];

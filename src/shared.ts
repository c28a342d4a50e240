/**
 * Names shared by the worker, the workflows and the CLI. Keep this file free of Node APIs:
 * workflow code imports it.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TASK_QUEUE = 'catalyst';

export const tradingDayWorkflowId = (tradingDate: string): string => `trading-day-${tradingDate}`;
export const positionMonitorWorkflowId = (tradingDate: string): string => `position-monitor-${tradingDate}`;
export const SCHEDULE_ID = 'catalyst-trading-day';

/** Custom search attributes registered on the embedded dev server (and documented for real clusters). */
export const SearchAttr = {
  tradingDate: defineSearchAttributeKey('CatalystTradingDate', SearchAttributeType.KEYWORD),
  mode: defineSearchAttributeKey('CatalystMode', SearchAttributeType.KEYWORD),
  venue: defineSearchAttributeKey('CatalystVenue', SearchAttributeType.KEYWORD),
  realizedPnl: defineSearchAttributeKey('CatalystRealizedPnl', SearchAttributeType.DOUBLE),
  halted: defineSearchAttributeKey('CatalystHalted', SearchAttributeType.BOOL),
} as const;

/** The same keys in the dev server's `--search-attribute NAME=Type` spelling. */
export const SEARCH_ATTRIBUTE_CLI_ARGS: string[] = [
  'CatalystTradingDate=Keyword',
  'CatalystMode=Keyword',
  'CatalystVenue=Keyword',
  'CatalystRealizedPnl=Double',
  'CatalystHalted=Bool',
];

/**
 * Failure types that cross the activity boundary. Retry policies name the non-retryable ones,
 * so a broker rejection is never retried into a second order.
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
];

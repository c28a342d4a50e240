/**
 * Which part of a position an order plays. Bracket legs are told apart by type (the take-profit
 * is the limit, the stop-loss a stop); a top-level buy is an entry and a top-level sell an exit.
 */
import type { BookOrder, LegRole } from './bookTypes';

const STOP_TYPES = new Set(['stop', 'stop_limit', 'trailing_stop']);

export function legRoleOf(order: Pick<BookOrder, 'side' | 'type'>, parent?: unknown): LegRole {
  if (!parent) return order.side === 'buy' ? 'entry' : 'exit';
  if (order.type === 'limit') return 'take_profit';
  if (STOP_TYPES.has(order.type)) return 'stop_loss';
  return 'exit';
}

/** A sell that protects a long position by its stop price (never a take-profit limit). */
export const isStopOrder = (o: Pick<BookOrder, 'side' | 'type'>): boolean =>
  o.side === 'sell' && STOP_TYPES.has(o.type);

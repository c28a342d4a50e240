/**
 * The paper account: cash and long positions in exact micro-units. Cash moves only by fills,
 * each by exactly price × qty, so the cash change over a day equals the sum of its fills.
 * Every fill is kept (the FILL activities) and feeds the day-trade count.
 */
import type { Micros } from '../../domain/money';
import { DayTradeLedger } from './dayTrading';

export interface SimPosition {
  symbol: string;
  qty: number;
  /** Sum paid for the shares still held (reduced pro rata on sells). */
  costBasis: Micros;
  /** Session index of the first fill that opened this position; -1 for shares held before session 0. */
  openedSession: number;
}

export interface Fill {
  orderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  price: Micros;
  at: number;
  /** The order's filled quantity after this fill, and what it still had to fill. */
  cumQty: number;
  leavesQty: number;
}

export class Account {
  readonly id: string;
  readonly accountNumber: string;
  readonly createdAt: number;
  cash: Micros;
  /** Equity at the previous session's close. */
  lastEquity: Micros;
  readonly positions = new Map<string, SimPosition>();
  readonly fills: Fill[] = [];
  readonly dayTrades = new DayTradeLedger();

  constructor(opts: {
    id: string;
    accountNumber: string;
    initialCash: Micros;
    createdAt: number;
    /** Held before session 0, bought at the previous close: their cost basis is that close's value. */
    openingPositions?: readonly SimPosition[];
  }) {
    this.id = opts.id;
    this.accountNumber = opts.accountNumber;
    this.createdAt = opts.createdAt;
    this.cash = opts.initialCash;
    this.lastEquity = opts.initialCash;
    for (const p of opts.openingPositions ?? []) {
      this.positions.set(p.symbol, { ...p });
      this.lastEquity += p.costBasis;
    }
  }

  applyFill(fill: Fill, sessionIndex: number): void {
    const notional = fill.price * BigInt(fill.qty);
    const position = this.positions.get(fill.symbol);
    if (fill.side === 'buy') {
      this.cash -= notional;
      if (position) {
        position.qty += fill.qty;
        position.costBasis += notional;
      } else {
        this.positions.set(fill.symbol, {
          symbol: fill.symbol,
          qty: fill.qty,
          costBasis: notional,
          openedSession: sessionIndex,
        });
      }
    } else {
      if (!position || position.qty < fill.qty) {
        throw new Error(
          `sell of ${fill.qty} ${fill.symbol} exceeds the position (short selling is not simulated)`,
        );
      }
      this.cash += notional;
      const remaining = position.qty - fill.qty;
      if (remaining === 0) this.positions.delete(fill.symbol);
      else {
        position.costBasis = (position.costBasis * BigInt(remaining)) / BigInt(position.qty);
        position.qty = remaining;
      }
    }
    this.fills.push(fill);
    this.dayTrades.recordFill(fill, sessionIndex);
  }
}

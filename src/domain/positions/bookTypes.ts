/**
 * The book as the position rules see it: a broker's orders and positions reduced to what the
 * rules read. Structurally a subset of the Broker port's shapes, so the adapter's values pass
 * straight in, while this folder imports nothing outside src/domain.
 */
export interface BookOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  /** market | limit | stop | stop_limit | trailing_stop */
  type: string;
  qty: string;
  filledQty: string;
  filledAvgPrice: string | null;
  limitPrice: string | null;
  stopPrice: string | null;
  status: string;
  createdAt: string;
  submittedAt: string | null;
  filledAt: string | null;
  updatedAt?: string | null;
  /** Bracket legs, when the orders were listed nested. */
  legs: BookOrder[];
}

export interface BookPosition {
  symbol: string;
  /** Decimal string; negative for a short, fractional for fractional shares. */
  qty: string;
  currentPrice: string;
}

/** Roles an order plays in one of Catalyst's positions (the orders table's leg_role). */
export type LegRole = 'entry' | 'take_profit' | 'stop_loss' | 'exit';

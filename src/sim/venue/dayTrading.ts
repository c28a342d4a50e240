/**
 * Day trades and the pattern-day-trader rule. A day trade is a sale of shares of a symbol
 * bought earlier in the same session: buy, buy, sell counts one; buy, sell, buy, sell counts
 * two; the fills of one sell order count once. Four day trades within five sessions mark the
 * account a pattern day trader (and the mark stays, as FINRA's does).
 */
import type { Micros } from '../../domain/money';

export const PDT_WINDOW_SESSIONS = 5;
export const PDT_MAX_DAY_TRADES = 3;
export const PDT_MIN_EQUITY: Micros = 25_000_000_000n;

export class DayTradeLedger {
  /** Per symbol, the session of a buy not yet matched by a same-session sell. */
  private readonly boughtIn = new Map<string, number>();
  /** Session index of every day trade, in order. */
  private readonly trades: number[] = [];
  private readonly countedSellOrders = new Set<string>();
  private flagged = false;

  recordFill(fill: { orderId: string; symbol: string; side: 'buy' | 'sell' }, session: number): void {
    if (fill.side === 'buy') {
      this.boughtIn.set(fill.symbol, session);
      return;
    }
    if (this.countedSellOrders.has(fill.orderId)) return;
    if (this.boughtIn.get(fill.symbol) !== session) return;
    this.boughtIn.delete(fill.symbol);
    this.countedSellOrders.add(fill.orderId);
    this.trades.push(session);
    if (this.count(session) > PDT_MAX_DAY_TRADES) this.flagged = true;
  }

  /** Day trades in the five sessions ending with `session`. */
  count(session: number): number {
    return this.trades.filter((s) => s > session - PDT_WINDOW_SESSIONS && s <= session).length;
  }

  get patternDayTrader(): boolean {
    return this.flagged;
  }

  /** Would selling `symbol` now be a day trade? */
  wouldDayTrade(symbol: string, session: number): boolean {
    return this.boughtIn.get(symbol) === session;
  }

  /**
   * Protection refuses the order that would be the fourth day trade in five sessions while
   * the equity of the previous close is under $25,000 (the equity FINRA's rule looks at).
   */
  refuses(symbol: string, session: number, lastEquity: Micros): boolean {
    return (
      lastEquity < PDT_MIN_EQUITY &&
      this.wouldDayTrade(symbol, session) &&
      this.count(session) >= PDT_MAX_DAY_TRADES
    );
  }
}

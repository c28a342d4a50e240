/**
 * The range's fills in market-time order, each with what it did to the book: the P&L it realized
 * (a sell, FIFO against its book's lots, exactly as the round-trip matcher closes them, so the
 * curve ends where the trades' total does) and the cost of everything held after it.
 */
import { toMicros, type Micros } from '../money';
import type { Fill } from '../positions/roundTrips';
import { bookKey, fillOrder, fillsByBook } from './reportFills';
import type { ReportOrderRow } from './reportRows';

export interface TimelineStep {
  fill: Fill;
  tradingDate: string;
  /** Realized by this fill (0 for a buy). */
  realized: Micros;
  /** Cost basis of every share held, across the range's books, after this fill. */
  openNotional: Micros;
  /** Symbols held (per book) after this fill. */
  openPositions: number;
}

interface Lot {
  remaining: number;
  price: Micros;
}

export function fillTimeline(orders: readonly ReportOrderRow[]): TimelineStep[] {
  const dateOfBook = new Map(orders.map((o) => [bookKey(o), o.tradingDate]));
  const all: { fill: Fill; book: string }[] = [];
  for (const [book, fills] of fillsByBook(orders)) for (const fill of fills) all.push({ fill, book });
  all.sort((a, b) => {
    const dateA = dateOfBook.get(a.book)!;
    const dateB = dateOfBook.get(b.book)!;
    return dateA !== dateB ? (dateA < dateB ? -1 : 1) : fillOrder(a.fill, b.fill);
  });

  const lots = new Map<string, Lot[]>();
  let openNotional: Micros = 0n;
  const steps: TimelineStep[] = [];
  for (const { fill, book } of all) {
    const key = `${book}|${fill.symbol}`;
    const held = lots.get(key) ?? [];
    const price = toMicros(fill.price);
    let realized: Micros = 0n;
    if (fill.side === 'buy') {
      held.push({ remaining: fill.qty, price });
      openNotional += price * BigInt(fill.qty);
    } else {
      let toClose = fill.qty;
      while (toClose > 0 && held.length > 0) {
        const lot = held[0]!;
        const q = Math.min(toClose, lot.remaining);
        lot.remaining -= q;
        toClose -= q;
        realized += (price - lot.price) * BigInt(q);
        openNotional -= lot.price * BigInt(q);
        if (lot.remaining === 0) held.shift();
      }
    }
    lots.set(key, held);
    steps.push({
      fill,
      tradingDate: dateOfBook.get(book)!,
      realized,
      openNotional,
      openPositions: [...lots.values()].filter((l) => l.length > 0).length,
    });
  }
  return steps;
}

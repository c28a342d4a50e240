/**
 * Every order the account ever placed, by id and client order id, in submission order.
 * Client order ids stay reserved forever (Alpaca rejects reuse even after a cancel).
 */
import type { Micros } from '../domain/money';
import type { SimOrder } from './orderModel';
import { isOpen } from './orderModel';

export class OrderBook {
  private readonly byId = new Map<string, SimOrder>();
  private readonly byClientId = new Map<string, SimOrder>();
  private readonly ordered: SimOrder[] = [];
  private nextSeq = 1;

  allocateSeq(): number {
    return this.nextSeq++;
  }

  add(order: SimOrder): void {
    this.byId.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order);
    this.ordered.push(order);
  }

  get(id: string): SimOrder | undefined {
    return this.byId.get(id);
  }

  byClientOrderId(clientOrderId: string): SimOrder | undefined {
    return this.byClientId.get(clientOrderId);
  }

  clientOrderIdUsed(clientOrderId: string): boolean {
    return this.byClientId.has(clientOrderId);
  }

  all(): readonly SimOrder[] {
    return this.ordered;
  }

  open(): SimOrder[] {
    return this.ordered.filter(isOpen);
  }

  legs(parent: SimOrder): SimOrder[] {
    return parent.legIds.map((id) => this.byId.get(id)!).filter(Boolean);
  }

  /** The parent and legs of the bracket `order` belongs to (just `order` when simple). */
  group(order: SimOrder): SimOrder[] {
    const parent = order.parentId ? this.byId.get(order.parentId) : order;
    if (!parent) return [order];
    return [parent, ...this.legs(parent)];
  }

  /** Cash set aside for open buy orders. */
  reservedCash(): Micros {
    let total = 0n;
    for (const o of this.ordered) if (isOpen(o)) total += o.reservedCash;
    return total;
  }

  /**
   * Shares of `symbol` promised to open sell orders. The two legs of one bracket are
   * one-cancels-other, so they hold the same shares once.
   */
  qtyHeldForSells(symbol: string): number {
    let held = 0;
    const countedParents = new Set<string>();
    for (const o of this.ordered) {
      if (o.symbol !== symbol || o.side !== 'sell' || !isOpen(o) || o.status === 'held') continue;
      if (o.parentId) {
        if (countedParents.has(o.parentId)) continue;
        countedParents.add(o.parentId);
      }
      held += o.qty - o.filledQty;
    }
    return held;
  }
}

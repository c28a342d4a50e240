/**
 * Every order the account ever placed, by id and client order id, in submission order.
 * Client order ids stay reserved forever (Alpaca rejects reuse even after a cancel).
 */
import type { Micros } from '../../domain/money';
import type { SimOrder } from './orderModel';
import { isOpen, remainingQty } from './orderModel';

export class OrderBook {
  private readonly byId = new Map<string, SimOrder>();
  private readonly byClientId = new Map<string, SimOrder>();
  private readonly ordered: SimOrder[] = [];
  /** Open orders only, so each minute boundary scans what can still trade, not the history. */
  private readonly openSet = new Set<SimOrder>();
  private nextSeq = 1;

  allocateSeq(): number {
    return this.nextSeq++;
  }

  add(order: SimOrder): void {
    this.byId.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order);
    this.ordered.push(order);
    if (isOpen(order)) this.openSet.add(order);
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

  /** Open orders in submission order (orders are added as their sequence is allocated). */
  open(): SimOrder[] {
    const out: SimOrder[] = [];
    for (const o of this.openSet) {
      if (isOpen(o)) out.push(o);
      else this.openSet.delete(o);
    }
    return out;
  }

  legs(parent: SimOrder): SimOrder[] {
    return parent.legIds.map((id) => this.byId.get(id)).filter((o): o is SimOrder => o !== undefined);
  }

  parentOf(order: SimOrder): SimOrder | undefined {
    return order.parentId ? this.byId.get(order.parentId) : undefined;
  }

  /** The parent and legs of the group `order` belongs to (just `order` when simple). */
  group(order: SimOrder): SimOrder[] {
    const parent = order.parentId ? this.byId.get(order.parentId) : order;
    if (!parent) return [order];
    return [parent, ...this.legs(parent)];
  }

  /** The other exit orders of `order`'s group: one-cancels-other partners. */
  exitSiblings(order: SimOrder): SimOrder[] {
    if (order.legRole === null) return [];
    return this.group(order).filter((o) => o !== order && o.legRole !== null);
  }

  /** Cash set aside for the unfilled part of open buy orders. */
  reservedCash(): Micros {
    let total = 0n;
    for (const o of this.open())
      if (o.side === 'buy' && o.status !== 'held') total += o.reservePrice * BigInt(remainingQty(o));
    return total;
  }

  /**
   * Shares of `symbol` promised to open sell orders. The exits of one group are
   * one-cancels-other and always have the same remaining quantity, so they hold it once.
   */
  qtyHeldForSells(symbol: string): number {
    let held = 0;
    const countedGroups = new Set<string>();
    for (const o of this.open()) {
      if (o.symbol !== symbol || o.side !== 'sell' || o.status === 'held') continue;
      if (o.legRole !== null) {
        const groupId = o.parentId ?? o.id;
        if (countedGroups.has(groupId)) continue;
        countedGroups.add(groupId);
      }
      held += remainingQty(o);
    }
    return held;
  }

  /** Puts `next` in `old`'s place in its group (a replace keeps the group's links). */
  swapIntoGroup(old: SimOrder, next: SimOrder): void {
    const parent = this.parentOf(old);
    if (parent) parent.legIds = parent.legIds.map((id) => (id === old.id ? next.id : id));
    next.legIds = old.legIds;
    old.legIds = [];
    for (const leg of this.legs(next)) leg.parentId = next.id;
  }
}

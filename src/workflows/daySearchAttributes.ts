/**
 * The day's search attributes kept current as it goes, so a Web UI saved view ("halted days this
 * month", "days with orders", "losing days") finds a running day by what it has done so far. Each
 * upsert is a history event: only a changed value is written.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { SearchAttr } from '../shared';
import type { TradingDayStatus } from './messages';

export class DaySearchAttributes {
  private orders = 0;
  private realizedPnl = 0;

  /** `enabled`: false when replaying a day started before these were kept current. */
  constructor(readonly enabled: boolean) {
    if (enabled) upsertSearchAttributes([{ key: SearchAttr.orders, value: 0 }]);
  }

  update(s: Pick<TradingDayStatus, 'ordersSubmitted' | 'realizedPnl'>): void {
    if (!this.enabled) return;
    const orders = s.ordersSubmitted;
    const realizedPnl = Number(s.realizedPnl);
    const changes = [
      ...(orders !== this.orders ? [{ key: SearchAttr.orders, value: orders }] : []),
      ...(Number.isFinite(realizedPnl) && realizedPnl !== this.realizedPnl
        ? [{ key: SearchAttr.realizedPnl, value: realizedPnl }]
        : []),
    ];
    if (changes.length === 0) return;
    this.orders = orders;
    if (Number.isFinite(realizedPnl)) this.realizedPnl = realizedPnl;
    upsertSearchAttributes(changes);
  }
}

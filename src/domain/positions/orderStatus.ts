/**
 * Alpaca order statuses that still hold shares or buying power. `done_for_day` and `calculated`
 * are not final (the order may still fill or be replaced), so they count as open.
 */
export const OPEN_ORDER_STATUSES: ReadonlySet<string> = new Set([
  'new',
  'accepted',
  'pending_new',
  'partially_filled',
  'held',
  'pending_cancel',
  'pending_replace',
  'accepted_for_bidding',
  'calculated',
  'done_for_day',
]);

export const isOpenOrder = (o: { status: string }): boolean => OPEN_ORDER_STATUSES.has(o.status);

/** Working at the venue: open and not held back behind an unfilled bracket entry. */
export const isWorkingOrder = (o: { status: string }): boolean => isOpenOrder(o) && o.status !== 'held';

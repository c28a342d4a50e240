/** The /v2/orders family: place, list, look up, replace, cancel. */
import { badRequest, invalid, notFound } from '../../venue/errors';
import { cancelAllOrders, cancelOrder, submitOrder } from '../../venue/orderEntry';
import { replaceOrder } from '../../venue/orderReplace';
import type { SimOrder } from '../../venue/orderModel';
import { isOpen, orderJson } from '../../venue/orderModel';
import type { Venue } from '../../venue/venue';
import type { Route } from './router';
import { queryFlag, route } from './router';

/** Group parents (bracket, oco, oto) always carry their legs; legs and simple orders carry none. */
function withLegs(venue: Venue, o: SimOrder): Record<string, unknown> {
  return orderJson(o, o.legIds.length > 0 ? venue.book.legs(o) : null);
}

/**
 * `after` / `until` (both exclusive) as whole milliseconds, the precision of submitted_at here.
 * Date.parse drops digits past the millisecond, which is right for `after` (> 12.3456 is >= 13,
 * like > 12) but for `until` an order at 12 is before 12.3456, so a finer `until` rounds up.
 */
function parseInstant(text: string | null, name: 'after' | 'until'): number | null {
  if (text === null || text === '') return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw invalid(`invalid ${name}: ${JSON.stringify(text)}`);
  const finer = /\.\d{3}(\d+)/.exec(text)?.[1];
  return name === 'until' && finer !== undefined && /[1-9]/.test(finer) ? ms + 1 : ms;
}

export const orderRoutes: Route[] = [
  route('POST', '/v2/orders', (req, venue) => {
    const order = submitOrder(venue, req.body, req.now);
    return { status: 200, body: withLegs(venue, order) };
  }),

  route('GET', '/v2/orders', (req, venue) => {
    const q = req.query;
    const status = q.get('status') ?? 'open';
    if (!['open', 'closed', 'all'].includes(status)) throw invalid(`invalid status: ${status}`);
    const limitText = q.get('limit');
    const limit = limitText === null ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw invalid(`invalid limit: ${limitText}`);
    const direction = q.get('direction') ?? 'desc';
    if (direction !== 'asc' && direction !== 'desc') throw invalid(`invalid direction: ${direction}`);
    const after = parseInstant(q.get('after'), 'after');
    const until = parseInstant(q.get('until'), 'until');
    const nested = queryFlag(q, 'nested');
    const symbols = q.get('symbols')
      ? new Set(
          q
            .get('symbols')!
            .split(',')
            .map((s) => s.trim().toUpperCase()),
        )
      : null;

    const matchesStatus = (open: boolean): boolean => status === 'all' || (status === 'open') === open;
    const candidates = venue.book.all().filter((o) => {
      if (nested && o.parentId) return false;
      if (symbols && !symbols.has(o.symbol)) return false;
      if (after !== null && !(o.submittedAt > after)) return false;
      if (until !== null && !(o.submittedAt < until)) return false;
      // Nested, a bracket counts as open while any of its orders is.
      const open = nested ? venue.book.group(o).some(isOpen) : isOpen(o);
      return matchesStatus(open);
    });
    const sorted = [...candidates].sort(
      (a, b) => (a.submittedAt - b.submittedAt || a.seq - b.seq) * (direction === 'asc' ? 1 : -1),
    );
    // Alpaca's documented maximum; a larger limit gets a full page, not an error.
    const page = sorted.slice(0, Math.min(limit, 500));
    return { status: 200, body: page.map((o) => (nested ? withLegs(venue, o) : orderJson(o, null))) };
  }),

  route('DELETE', '/v2/orders', (req, venue) => ({ status: 207, body: cancelAllOrders(venue, req.now) })),

  route('GET', '/v2/orders:by_client_order_id', (req, venue) => {
    const cid = req.query.get('client_order_id');
    if (!cid) throw badRequest('client_order_id is required');
    const order = venue.book.byClientOrderId(cid);
    if (!order) throw notFound('order not found');
    return { status: 200, body: withLegs(venue, order) };
  }),

  route('GET', '/v2/orders/:id', (req, venue) => {
    const order = venue.book.get(req.params.id!);
    if (!order) throw notFound('order not found');
    return { status: 200, body: withLegs(venue, order) };
  }),

  route('PATCH', '/v2/orders/:id', (req, venue) => {
    const order = replaceOrder(venue, req.params.id!, req.body, req.now);
    return { status: 200, body: withLegs(venue, order) };
  }),

  route('DELETE', '/v2/orders/:id', (req, venue) => {
    cancelOrder(venue, req.params.id!, req.now);
    return { status: 204 };
  }),
];

/**
 * Market Data v2: bars (multi- and single-symbol, paginated, the limit counted across symbols,
 * sorted by symbol then time) and snapshots. Everything is cut at the clock's now. The
 * simulator has one tape and no corporate actions, so `feed` and `adjustment` are validated
 * and otherwise change nothing.
 */
import { nyTimeToUtcMs, utcMsToNyDate } from '../../../domain/calendar';
import { notFound } from '../../venue/errors';
import type { MarketAt, Timeframe } from '../../market/marketView';
import { barJson, barsFor, parseTimeframe, snapshotJson } from '../../market/marketView';
import type { Venue } from '../../venue/venue';
import {
  ADJUSTMENTS,
  FEEDS,
  badParams,
  checkRange,
  encodePageToken,
  enumParam,
  expectOnly,
  instantParam,
  intParam,
  invalidParam,
  pageTokenParam,
  symbolsParam,
} from './queryParams';
import type { Route, SimRequest } from './router';
import { route } from './router';

const BAR_PARAMS = [
  'symbols',
  'timeframe',
  'start',
  'end',
  'limit',
  'page_token',
  'adjustment',
  'feed',
  'asof',
  'currency',
  'sort',
] as const;
const SNAPSHOT_PARAMS = ['symbols', 'feed', 'currency'] as const;

interface BarToken {
  s: string;
  t: number;
}
const isBarToken = (v: unknown): v is BarToken =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as BarToken).s === 'string' &&
  typeof (v as BarToken).t === 'number';

interface BarQuery {
  tf: Timeframe;
  start: number;
  end: number;
  limit: number;
  desc: boolean;
  token: BarToken | null;
}

function barQuery(req: SimRequest): BarQuery {
  const q = req.query;
  const timeframeText = q.get('timeframe');
  if (!timeframeText) throw badParams('missing timeframe');
  const tf = parseTimeframe(timeframeText);
  if (!tf) throw invalidParam('invalid timeframe');
  const limit = intParam(q, 'limit', 1000, 1, 10_000);
  const adjustment = q.get('adjustment');
  if (adjustment && adjustment.split(',').some((a) => !(ADJUSTMENTS as readonly string[]).includes(a.trim())))
    throw invalidParam(`invalid adjustment: ${JSON.stringify(adjustment)}`);
  enumParam(q, 'feed', FEEDS, 'sip');
  const desc = enumParam(q, 'sort', ['asc', 'desc'] as const, 'asc') === 'desc';
  // Alpaca's default window is the current day up to now.
  const start = instantParam(q, 'start') ?? nyTimeToUtcMs(utcMsToNyDate(req.now), '00:00');
  const end = instantParam(q, 'end', true) ?? req.now;
  checkRange(start, end);
  return { tf, start, end, limit, desc, token: pageTokenParam(q, isBarToken) };
}

/** One page of bars for `symbols` (sorted), the limit shared across them. */
function barsPage(
  venue: Venue,
  market: MarketAt,
  symbols: readonly string[],
  bq: BarQuery,
): { bars: Record<string, unknown[]>; next: string | null } {
  const out: Record<string, unknown[]> = {};
  let count = 0;
  for (const symbol of symbols) {
    if (!venue.universe.bySymbol.has(symbol)) continue;
    if (bq.token && symbol < bq.token.s) continue;
    const upd = venue.model.unitsPerDollar(symbol);
    let bars = [...barsFor(market, symbol, bq.tf, bq.start, bq.end)];
    if (bq.desc) bars.reverse();
    const token = bq.token;
    if (token && symbol === token.s) bars = bars.filter((b) => (bq.desc ? b.t <= token.t : b.t >= token.t));
    for (const bar of bars) {
      if (count === bq.limit) return { bars: out, next: encodePageToken({ s: symbol, t: bar.t }) };
      (out[symbol] ??= []).push(barJson(bar, upd));
      count++;
    }
  }
  return { bars: out, next: null };
}

export const marketDataRoutes: Route[] = [
  route('GET', '/v2/stocks/bars', (req, venue) => {
    expectOnly(req.query, BAR_PARAMS);
    const symbols = symbolsParam(req.query, true)!;
    const page = barsPage(venue, venue.market(req.now), symbols, barQuery(req));
    return { status: 200, body: { bars: page.bars, next_page_token: page.next } };
  }),

  route('GET', '/v2/stocks/snapshots', (req, venue) => {
    expectOnly(req.query, SNAPSHOT_PARAMS);
    const symbols = symbolsParam(req.query, true)!;
    enumParam(req.query, 'feed', FEEDS, 'sip');
    const market = venue.market(req.now);
    const body: Record<string, unknown> = {};
    for (const symbol of symbols)
      if (venue.universe.bySymbol.has(symbol)) body[symbol] = snapshotJson(market, symbol);
    return { status: 200, body };
  }),

  route('GET', '/v2/stocks/:symbol/bars', (req, venue) => {
    expectOnly(
      req.query,
      BAR_PARAMS.filter((p) => p !== 'symbols'),
    );
    const symbol = req.params.symbol!.toUpperCase();
    const page = barsPage(venue, venue.market(req.now), [symbol], barQuery(req));
    return { status: 200, body: { bars: page.bars[symbol] ?? [], symbol, next_page_token: page.next } };
  }),

  route('GET', '/v2/stocks/:symbol/snapshot', (req, venue) => {
    expectOnly(
      req.query,
      SNAPSHOT_PARAMS.filter((p) => p !== 'symbols'),
    );
    enumParam(req.query, 'feed', FEEDS, 'sip');
    const symbol = req.params.symbol!.toUpperCase();
    if (!venue.universe.bySymbol.has(symbol)) throw notFound(`no data for symbol ${symbol}`);
    return { status: 200, body: { symbol, ...snapshotJson(venue.market(req.now), symbol) } };
  }),
];

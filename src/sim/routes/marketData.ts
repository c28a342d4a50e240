/**
 * Market Data v2: bars (multi-symbol, paginated, limit counted across symbols) and snapshots.
 * Everything is cut at the clock's now.
 */
import { nyTimeToUtcMs, utcMsToNyDate } from '../../domain/calendar';
import { badRequest, notFound } from '../errors';
import type { MarketAt } from '../marketView';
import { barJson, barsFor, parseTimeframe, snapshotJson } from '../marketView';
import type { Route } from './router';
import { route } from './router';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseTime(text: string | null, name: string, endOfDay: boolean): number | null {
  if (text === null || text === '') return null;
  if (DATE_ONLY.test(text)) {
    try {
      const midnight = nyTimeToUtcMs(text, '00:00');
      return endOfDay ? nyTimeToUtcMs(text, '23:59:59') + 999 : midnight;
    } catch {
      throw badRequest(`invalid ${name}: ${JSON.stringify(text)}`);
    }
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw badRequest(`invalid ${name}: ${JSON.stringify(text)} (expected RFC 3339 or YYYY-MM-DD)`);
  }
  return ms;
}

function symbolList(text: string | null): string[] {
  if (!text) throw badRequest('symbols is required');
  const list = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s.length > 0),
    ),
  ];
  if (list.length === 0) throw badRequest('symbols is required');
  return list.sort();
}

interface PageToken {
  s: string;
  t: number;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function decodeToken(text: string): PageToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<PageToken>;
    if (typeof parsed.s === 'string' && typeof parsed.t === 'number') return { s: parsed.s, t: parsed.t };
  } catch {
    // reported below
  }
  throw badRequest('invalid page_token');
}

export const marketDataRoutes: Route[] = [
  route('GET', '/v2/stocks/bars', (req, venue) => {
    const q = req.query;
    const symbols = symbolList(q.get('symbols'));
    const timeframeText = q.get('timeframe');
    if (!timeframeText) throw badRequest('timeframe is required');
    const tf = parseTimeframe(timeframeText);
    if (!tf) throw badRequest(`invalid timeframe: ${timeframeText} (supported: 1-59Min, 1-23Hour, 1Day)`);
    const limitText = q.get('limit');
    const limit = limitText === null ? 1000 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw badRequest(`invalid limit: ${limitText} (1..10000)`);
    const market: MarketAt = venue.market(req.now);
    const start = parseTime(q.get('start'), 'start', false) ?? nyTimeToUtcMs(utcMsToNyDate(req.now), '00:00');
    const end = parseTime(q.get('end'), 'end', true) ?? req.now;
    const sortDesc = q.get('sort') === 'desc';
    const tokenText = q.get('page_token');
    const token = tokenText ? decodeToken(tokenText) : null;

    const out: Record<string, unknown[]> = {};
    let count = 0;
    let next: PageToken | null = null;
    outer: for (const symbol of symbols) {
      if (!venue.universe.bySymbol.has(symbol)) continue;
      if (token && symbol < token.s) continue;
      const upd = venue.model.unitsPerDollar(symbol);
      let bars = [...barsFor(market, symbol, tf, start, end)];
      if (sortDesc) bars.reverse();
      if (token && symbol === token.s)
        bars = bars.filter((b) => (sortDesc ? b.t <= token.t : b.t >= token.t));
      for (const bar of bars) {
        if (count === limit) {
          next = { s: symbol, t: bar.t };
          break outer;
        }
        (out[symbol] ??= []).push(barJson(bar, upd));
        count++;
      }
    }
    return { status: 200, body: { bars: out, next_page_token: next ? encodeToken(next) : null } };
  }),

  route('GET', '/v2/stocks/snapshots', (req, venue) => {
    const symbols = symbolList(req.query.get('symbols'));
    const market = venue.market(req.now);
    const body: Record<string, unknown> = {};
    for (const symbol of symbols)
      if (venue.universe.bySymbol.has(symbol)) body[symbol] = snapshotJson(market, symbol);
    return { status: 200, body };
  }),

  route('GET', '/v2/stocks/:symbol/snapshot', (req, venue) => {
    const symbol = req.params.symbol!.toUpperCase();
    if (!venue.universe.bySymbol.has(symbol)) throw notFound(`no data for symbol ${symbol}`);
    return { status: 200, body: { symbol, ...snapshotJson(venue.market(req.now), symbol) } };
  }),
];

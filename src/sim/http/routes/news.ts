/**
 * GET /v1beta1/news: the simulated stories published at or before the clock's now, newest first
 * by default, filtered by symbols and a [start, end] window on the publication time, paginated
 * with an opaque token. Without include_content the content is "", as Alpaca sends it.
 */
import type { NewsEvent } from '../../market/newsModel';
import type { Venue } from '../../venue/venue';
import { isoData } from '../../wireFormat';
import {
  boolParam,
  checkRange,
  encodePageToken,
  enumParam,
  expectOnly,
  instantParam,
  intParam,
  pageTokenParam,
  symbolsParam,
} from './queryParams';
import type { Route } from './router';
import { route } from './router';

const NEWS_PARAMS = [
  'symbols',
  'start',
  'end',
  'limit',
  'sort',
  'include_content',
  'exclude_contentless',
  'page_token',
] as const;
export const NEWS_SOURCE = 'catalyst-sim';

interface NewsToken {
  t: number;
  id: number;
}
const isNewsToken = (v: unknown): v is NewsToken =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as NewsToken).t === 'number' &&
  typeof (v as NewsToken).id === 'number';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function newsJson(e: NewsEvent, includeContent: boolean): Record<string, unknown> {
  return {
    id: e.id,
    headline: e.headline,
    author: e.author,
    created_at: isoData(e.createdAt),
    updated_at: isoData(e.updatedAt),
    summary: e.summary,
    content: includeContent ? e.body.map((p) => `<p>${escapeHtml(p)}</p>`).join('') : '',
    url: e.url,
    images: [],
    symbols: e.symbols,
    source: NEWS_SOURCE,
  };
}

/** Published stories in [start, end] (capped at now), in the requested order, lazily by session. */
function* published(
  venue: Venue,
  now: number,
  start: number | null,
  end: number,
  desc: boolean,
): Generator<NewsEvent> {
  const last = Math.min(end, now);
  const current = venue.market(now).sessionIndex;
  const inWindow = (e: NewsEvent): boolean => e.createdAt <= last && (start === null || e.createdAt >= start);
  // A session's stories run from the previous close to its own close: skip sessions outside the window.
  const relevant = (i: number): boolean => {
    const s = venue.model.session(i);
    const earliest = i > 0 ? venue.model.session(i - 1).closeMs : s.openMs - 7 * 86_400_000;
    return s.closeMs >= (start ?? -Infinity) && earliest <= last;
  };
  if (desc) {
    for (let i = current; i >= 0; i--) {
      if (start !== null && venue.model.session(i).closeMs < start) break;
      if (!relevant(i)) continue;
      const events = venue.model.news(i);
      for (let k = events.length - 1; k >= 0; k--) if (inWindow(events[k]!)) yield events[k]!;
    }
  } else {
    for (let i = 0; i <= current; i++) {
      if (!relevant(i)) continue;
      for (const e of venue.model.news(i)) if (inWindow(e)) yield e;
    }
  }
}

export const newsRoutes: Route[] = [
  route('GET', '/v1beta1/news', (req, venue) => {
    const q = req.query;
    expectOnly(q, NEWS_PARAMS);
    const symbols = symbolsParam(q, false);
    const start = instantParam(q, 'start');
    const end = instantParam(q, 'end', true) ?? req.now;
    checkRange(start, end);
    const limit = intParam(q, 'limit', 10, 1, 50);
    const desc = enumParam(q, 'sort', ['asc', 'desc'] as const, 'desc') === 'desc';
    const includeContent = boolParam(q, 'include_content');
    boolParam(q, 'exclude_contentless'); // every simulated story has content
    const token = pageTokenParam(q, isNewsToken);
    const wanted = symbols ? new Set(symbols) : null;
    const afterToken = (e: NewsEvent): boolean => {
      if (!token) return true;
      const cmp = e.createdAt - token.t || e.id - token.id;
      return desc ? cmp < 0 : cmp > 0;
    };

    const page: NewsEvent[] = [];
    let more = false;
    for (const e of published(venue, req.now, start, end, desc)) {
      if (wanted && !e.symbols.some((s) => wanted.has(s))) continue;
      if (!afterToken(e)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(e);
    }
    const last = page[page.length - 1];
    return {
      status: 200,
      body: {
        news: page.map((e) => newsJson(e, includeContent)),
        next_page_token: more && last ? encodePageToken({ t: last.createdAt, id: last.id }) : null,
      },
    };
  }),
];

/**
 * The news of one simulated session, deterministic for (seed, session): which companies have a
 * story, when it is published, how far it moves the price and how it reads.
 *
 * Every story that moves a price comes with a `PriceShock` the symbol's series applies, so the
 * move and the headline are one event. The move is drawn first and never depends on
 * `signalStrength`; the headline's tone then matches the move's direction with probability
 * (1 + signalStrength) / 2: at 0 tone is a coin flip, at 1 it always agrees.
 */
import { nyTimeToUtcMs, previousTradingDay } from '../../domain/calendar';
import type { NewsKind, Story, Tone } from './newsCatalog';
import { NEUTRAL_KINDS, NEWS_KINDS, haltStory, marketStory, shortName } from './newsCatalog';
import type { Rng } from './rng';
import { createRng } from './rng';
import type { MarketScenario } from './scenarios';
import type { Session } from './sessionTimeline';
import { MINUTE_MS, minuteStartMs } from './sessionTimeline';
import type { PriceShock } from './symbolSeries';
import type { SimAsset, Universe } from './universe';

export interface NewsEvent {
  /** Increasing with publication time across sessions. */
  id: number;
  sessionIndex: number;
  createdAt: number;
  updatedAt: number;
  kind: string;
  tone: Tone;
  /** Direction of the price move that comes with the story (0: none). Never on the wire. */
  moveSign: -1 | 0 | 1;
  symbols: string[];
  author: string;
  headline: string;
  summary: string;
  body: string[];
  url: string;
  shocks: Array<PriceShock & { symbol: string }>;
}

export interface SessionNews {
  /** Sorted by publication time, then id. */
  events: readonly NewsEvent[];
  shocksFor(symbol: string): readonly PriceShock[];
}

/** Symbols market-wide stories are tagged with (index ETFs, as real feeds do). */
export const MARKET_SYMBOLS = ['SPY', 'QQQ', 'DIA', 'IWM'] as const;
export const DEFAULT_SIGNAL_STRENGTH = 0.7;

const NEUTRAL_RATE = 0.008;
const SECOND_STORY_SHARE = 0.06;
const GAP_DAY_EXTRA_PREMARKET = 3;
const ID_BASE = 40_000_000;
const IDS_PER_SESSION = 10_000;
const AUTHORS = [
  'Dana Whitfield',
  'Marcus Oyelaran',
  'Priya Raman',
  'Tom Kessler',
  'Elena Brandt',
  'Newsdesk',
];

/** Stories per session per company: big caps draw analysts, drug makers have binary events. */
function storyRate(a: SimAsset): number {
  let p = 0.02;
  if (a.marketCap >= 1e10) p += 0.025;
  if (a.sector === 'Healthcare' && /biotech|drug/i.test(a.industry)) p += 0.01;
  return p;
}

/** Small, cheap names move more on the same news; mega caps less. */
function sizeMultiplier(a: SimAsset): number {
  if (a.price < 5 || (a.marketCap > 0 && a.marketCap < 3e8)) return 1.5;
  if (a.marketCap >= 2e11) return 0.6;
  return 1;
}

function pickKind(a: SimAsset, u: number): NewsKind {
  const kinds = NEWS_KINDS.filter((k) => k.applies(a));
  const total = kinds.reduce((s, k) => s + k.weight, 0);
  let x = u * total;
  for (const k of kinds) {
    x -= k.weight;
    if (x < 0) return k;
  }
  return kinds[kinds.length - 1]!;
}

const toneOf = (moveSign: -1 | 1, matches: boolean): 'positive' | 'negative' =>
  moveSign > 0 === matches ? 'positive' : 'negative';

interface Draft {
  createdAt: number;
  kind: string;
  tone: Tone;
  moveSign: -1 | 0 | 1;
  symbols: string[];
  story: Story;
  author: string;
  shocks: Array<PriceShock & { symbol: string }>;
}

export function generateSessionNews(args: {
  seed: number;
  session: Session;
  universe: Universe;
  signalStrength: number;
  scenario: MarketScenario;
}): SessionNews {
  const { seed, session, universe, signalStrength, scenario } = args;
  const shaped = scenario.sessionIndex === session.index;
  const gapDay = shaped && scenario.gap !== null;
  const matchProbability = (1 + signalStrength) / 2;
  const prevDate = previousTradingDay(session.date);
  const at = (date: string, hhmm: string): number => nyTimeToUtcMs(date, hhmm);
  const drafts: Draft[] = [];

  const premarketTime = (rng: Rng, kind: NewsKind): number => {
    // Half of all earnings come after the previous close, the rest before this open.
    if (kind.id === 'earnings' && rng.next() < 0.5) return at(prevDate, '16:05') + rng.int(145 * 60) * 1000;
    return at(session.date, '06:00') + rng.int(205 * 60) * 1000;
  };

  for (const asset of universe.assets) {
    if (!asset.tradable) continue;
    const rng = createRng(seed, 'news', asset.symbol, session.index);
    const rate = storyRate(asset);
    const u = rng.next();
    const extra = rng.next() < rate * GAP_DAY_EXTRA_PREMARKET;
    const neutral = rng.next() < NEUTRAL_RATE;
    const count = (u < rate ? (u < rate * SECOND_STORY_SHARE ? 2 : 1) : 0) + (gapDay && extra ? 1 : 0);
    const name = shortName(asset);
    for (let j = 0; j < count; j++) {
      const forcedPremarket = gapDay && extra && j === count - 1;
      const kind = pickKind(asset, rng.next());
      const moveSign: -1 | 1 = rng.next() < 0.5 ? -1 : 1;
      const [lo, hi] = kind.move;
      const magnitude = (lo + (hi - lo) * rng.next()) * sizeMultiplier(asset) * (forcedPremarket ? 1.5 : 1);
      const matches = rng.next() < matchProbability;
      const premarket = rng.next() < kind.premarket || forcedPremarket;
      let minute = 0;
      let createdAt: number;
      if (premarket) {
        createdAt = premarketTime(rng, kind);
      } else {
        // Published in the first seconds of minute m-1; the jump completes by boundary m, so
        // nothing in the price runs ahead of the headline and later orders fill after the jump.
        minute = 2 + rng.int(session.minutes - 3);
        createdAt = minuteStartMs(session, minute - 1) + rng.int(10) * 1000;
      }
      const jump = moveSign * magnitude;
      const shock: PriceShock = {
        minute,
        jump,
        drift: jump * (-0.4 + 1.1 * rng.next()),
        tau: 20 + 100 * rng.next(),
        activity: Math.min(8, 2 + 40 * magnitude),
      };
      const tone = toneOf(moveSign, matches);
      const text = createRng(seed, 'news-text', asset.symbol, session.index, j);
      drafts.push({
        createdAt,
        kind: kind.id,
        tone,
        moveSign,
        symbols: [asset.symbol],
        story: kind.write(tone, { asset, name, date: session.date, rng: text }),
        author: AUTHORS[text.int(AUTHORS.length)]!,
        shocks: [{ ...shock, symbol: asset.symbol }],
      });
    }
    if (neutral) {
      const kinds = NEUTRAL_KINDS.filter((k) => k.applies(asset));
      const kind = kinds[rng.int(kinds.length)]!;
      const from = at(session.date, '07:00');
      const span = Math.max(60, Math.floor((session.closeMs - MINUTE_MS - from) / 1000));
      const text = createRng(seed, 'news-text', asset.symbol, session.index, 'neutral');
      drafts.push({
        createdAt: from + rng.int(span) * 1000,
        kind: kind.id,
        tone: 'neutral',
        moveSign: 0,
        symbols: [asset.symbol],
        story: kind.write({ asset, name, date: session.date, rng: text }),
        author: AUTHORS[text.int(AUTHORS.length)]!,
        shocks: [],
      });
    }
  }

  if (shaped) drafts.push(...scenarioDrafts(seed, session, universe, scenario, matchProbability));

  drafts.sort(
    (a, b) =>
      a.createdAt - b.createdAt ||
      (a.symbols[0]! < b.symbols[0]! ? -1 : a.symbols[0]! > b.symbols[0]! ? 1 : 0) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  );
  if (drafts.length >= IDS_PER_SESSION) throw new Error(`too many news events in session ${session.index}`);
  const events: NewsEvent[] = drafts.map((d, i) => {
    const id = ID_BASE + session.index * IDS_PER_SESSION + i;
    return {
      id,
      sessionIndex: session.index,
      createdAt: d.createdAt,
      updatedAt: d.createdAt,
      kind: d.kind,
      tone: d.tone,
      moveSign: d.moveSign,
      symbols: d.symbols,
      author: d.author,
      headline: d.story.headline,
      summary: d.story.summary,
      body: d.story.body,
      url: `https://news.catalyst-sim.invalid/${session.date}/${id}-${slug(d.story.headline)}`,
      shocks: d.shocks,
    };
  });

  const bySymbol = new Map<string, PriceShock[]>();
  for (const e of events)
    for (const { symbol, ...shock } of e.shocks) {
      const list = bySymbol.get(symbol) ?? [];
      list.push(shock);
      bySymbol.set(symbol, list);
    }
  return { events, shocksFor: (symbol) => bySymbol.get(symbol) ?? [] };
}

/** The stories that explain a scenario: the crash, the gap, each halt and its reopening. */
function scenarioDrafts(
  seed: number,
  session: Session,
  universe: Universe,
  scenario: MarketScenario,
  matchProbability: number,
): Draft[] {
  const rng = createRng(seed, 'scenario-news', session.index);
  const drafts: Draft[] = [];
  const market = (kind: 'crash' | 'gap-up' | 'gap-down', createdAt: number, tone: Tone): Draft => ({
    createdAt,
    kind: 'market',
    tone,
    moveSign: tone === 'positive' ? 1 : -1,
    symbols: [...MARKET_SYMBOLS],
    story: marketStory(kind, rng),
    author: 'Newsdesk',
    shocks: [],
  });
  if (scenario.crash) {
    const t = minuteStartMs(session, scenario.crash.startMinute) + (90 + rng.int(60)) * 1000;
    if (t < session.closeMs) drafts.push(market('crash', t, 'negative'));
  }
  if (scenario.gap) {
    const up = scenario.gap.marketGap > 0;
    const t = nyTimeToUtcMs(session.date, '08:00') + rng.int(30 * 60) * 1000;
    drafts.push(market(up ? 'gap-up' : 'gap-down', t, up ? 'positive' : 'negative'));
  }
  for (const halt of scenario.halts) {
    const asset = universe.bySymbol.get(halt.symbol)!;
    const name = shortName(asset);
    const haltAt = minuteStartMs(session, halt.fromMinute);
    drafts.push({
      createdAt: haltAt + 2000,
      kind: 'halt',
      tone: 'neutral',
      moveSign: 0,
      symbols: [halt.symbol],
      story: haltStory(name, halt.symbol),
      author: 'Newsdesk',
      shocks: [],
    });
    // The news the halt was pending: out before the reopening, moving the reopening print.
    const kinds = NEWS_KINDS.filter(
      (k) => k.applies(asset) && ['merger', 'fda', 'guidance', 'corporate', 'legal'].includes(k.id),
    );
    const kind = kinds[rng.int(kinds.length)]!;
    const moveSign: -1 | 1 = rng.next() < 0.5 ? -1 : 1;
    const magnitude = 0.05 + 0.1 * rng.next();
    const matches = rng.next() < matchProbability;
    const duration = halt.toMinute - halt.fromMinute;
    const createdAt = haltAt + (1 + rng.int(Math.max(1, duration - 1))) * MINUTE_MS + rng.int(50) * 1000;
    const reopens = halt.toMinute < session.minutes;
    const tone = toneOf(moveSign, matches);
    drafts.push({
      createdAt: Math.min(createdAt, session.closeMs - 1000),
      kind: kind.id,
      tone,
      moveSign: reopens ? moveSign : 0,
      symbols: [halt.symbol],
      story: kind.write(tone, { asset, name, date: session.date, rng }),
      author: 'Newsdesk',
      shocks: reopens
        ? [
            {
              symbol: halt.symbol,
              minute: halt.toMinute,
              jump: moveSign * magnitude,
              drift: moveSign * magnitude * (-0.3 + 0.8 * rng.next()),
              tau: 30 + 60 * rng.next(),
              activity: 6,
            },
          ]
        : [],
    });
  }
  return drafts;
}

function slug(headline: string): string {
  return headline
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80)
    .replace(/-$/, '');
}

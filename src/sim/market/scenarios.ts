/**
 * Named market scenarios (`SimulatorOptions.market.scenario`) that reshape the first simulated
 * session, so reliability tests can meet a crash, a halt, a gap day or a broker outage on demand.
 *
 * Spec: one or more parts separated by commas, times in New York wall-clock (HH:MM, 24 h):
 *   crash[@HH:MM]                 a flash crash at HH:MM (default 11:00): the bids vanish and nothing
 *                                 trades anywhere for 1–2 minutes (seeded); the tape reopens at the
 *                                 trough, 1.4–1.7 times the depth down, and recovers to a selloff of
 *                                 7–10 % (seeded depth) within about an hour
 *   halt[:SYMBOL][@HH:MM][+Nm]    SYMBOL (default: a seeded liquid name) stops trading at HH:MM
 *                                 (default: seeded 10:00–14:00) for N minutes (default 30; a halt
 *                                 running past the close lasts to the close); it reopens on news
 *   gap[:up|:down]                the session opens with a market-wide gap of 3–6 % (direction
 *                                 seeded unless given), tripled sector gaps and four times the
 *                                 usual pre-market news, so many names gap hard
 *   outage[@HH:MM][+Nm]           the broker is down from HH:MM (default 11:00) for N market minutes
 *                                 (default 20; an outage running past the close ends at the close):
 *                                 every request, market data and clock included, gets 503 and does
 *                                 nothing, while the market, and the resting orders in it, go on
 * e.g. "crash@13:15", "halt:AAPL@10:30+45m", "gap:down,halt:TSLA", "outage@10:15+5m,outage@14:00".
 * At most one crash and one gap; several halts are fine, and several outages if none overlaps
 * another. Scenarios apply to session 0 only: later sessions are ordinary days.
 */
import { createRng } from './rng';
import type { Session } from './sessionTimeline';
import type { Universe } from './universe';

export interface CrashScenario {
  /** Minute of the session the selloff starts (0 = 09:30). */
  startMinute: number;
  /** Log-return depth the market factor keeps losing once the crash has played out, 0.07–0.10. */
  depth: number;
  /**
   * Minutes from `startMinute` in which nothing trades in any symbol (1 or 2): the drop happens
   * between two prints, so resting stops fill at the reopening print, not at their stop prices.
   */
  vacuumMinutes: number;
}

export interface HaltScenario {
  symbol: string;
  /** First halted minute; the last trade is the close of the minute before. */
  fromMinute: number;
  /** First minute trading again (= session minutes when halted into the close). */
  toMinute: number;
}

export interface GapScenario {
  /** Extra log gap of the market factor at the open. */
  marketGap: number;
}

/** The broker, not the market, is down: judged by the market clock, so at any speed alike. */
export interface OutageScenario {
  /** First minute of the session without service. */
  fromMinute: number;
  /** First minute served again (= session minutes when the outage runs into the close). */
  toMinute: number;
}

export interface MarketScenario {
  spec: string;
  /** The session the scenario shapes. */
  sessionIndex: number;
  crash: CrashScenario | null;
  halts: HaltScenario[];
  gap: GapScenario | null;
  /** In time order. */
  outages: OutageScenario[];
}

export const NO_SCENARIO: MarketScenario = {
  spec: '',
  sessionIndex: 0,
  crash: null,
  halts: [],
  gap: null,
  outages: [],
};

const SYNTAX =
  'crash[@HH:MM], halt[:SYMBOL][@HH:MM][+Nm], gap[:up|:down] or outage[@HH:MM][+Nm], comma-separated';
const DEFAULT_HALT_MINUTES = 30;
const DEFAULT_OUTAGE_START = '11:00';
const DEFAULT_OUTAGE_MINUTES = 20;
const LIQUID_VOLUME = 2_000_000;

export class ScenarioError extends Error {
  constructor(spec: string, problem: string) {
    super(`invalid market scenario ${JSON.stringify(spec)}: ${problem} (syntax: ${SYNTAX})`);
    this.name = 'ScenarioError';
  }
}

export function parseScenario(
  spec: string | undefined,
  ctx: { seed: number; universe: Universe; session: Session },
): MarketScenario {
  const text = (spec ?? '').trim();
  if (text === '') return NO_SCENARIO;
  const out: MarketScenario = {
    spec: text,
    sessionIndex: ctx.session.index,
    crash: null,
    halts: [],
    gap: null,
    outages: [],
  };
  const parts = text.split(',').map((p) => p.trim());
  parts.forEach((part, i) => {
    const fail = (problem: string): never => {
      throw new ScenarioError(text, `part ${JSON.stringify(part)}: ${problem}`);
    };
    const rng = createRng(ctx.seed, 'scenario', i, part);
    if (part === '') fail('empty part');
    let m: RegExpExecArray | null;
    if ((m = /^crash(?:@(\S+))?$/i.exec(part))) {
      if (out.crash) fail('only one crash per session');
      const startMinute =
        m[1] === undefined ? minuteOf('11:00', ctx.session, fail) : minuteOf(m[1], ctx.session, fail);
      const depth = 0.07 + 0.03 * rng.next();
      out.crash = { startMinute, depth, vacuumMinutes: rng.next() < 0.5 ? 1 : 2 };
      return;
    }
    if ((m = /^halt(?::([A-Za-z][A-Za-z0-9.]*))?(?:@([^+]+))?(?:\+(\d+)m)?$/i.exec(part))) {
      const symbol = m[1] ? m[1].toUpperCase() : seededHaltSymbol(ctx.universe, rng.next());
      const asset = ctx.universe.bySymbol.get(symbol);
      if (!asset) fail(`unknown symbol ${symbol}`);
      if (!asset!.tradable) fail(`${symbol} is not tradable`);
      if (out.halts.some((h) => h.symbol === symbol)) fail(`${symbol} is halted twice`);
      const fromMinute = m[2]
        ? minuteOf(m[2], ctx.session, fail)
        : Math.min(ctx.session.minutes - 30, 30 + rng.int(240));
      if (fromMinute < 1) fail('a halt starts at 09:31 or later (there is no trade to halt at the open)');
      const duration = m[3] === undefined ? DEFAULT_HALT_MINUTES : Number(m[3]);
      if (!(duration >= 1)) fail('halt duration must be at least 1 minute');
      out.halts.push({ symbol, fromMinute, toMinute: Math.min(ctx.session.minutes, fromMinute + duration) });
      return;
    }
    if ((m = /^gap(?::(up|down))?$/i.exec(part))) {
      if (out.gap) fail('only one gap per session');
      const sign = m[1] ? (m[1].toLowerCase() === 'up' ? 1 : -1) : rng.next() < 0.5 ? -1 : 1;
      out.gap = { marketGap: sign * (0.03 + 0.03 * rng.next()) };
      return;
    }
    if ((m = /^outage(?:@([^+]+))?(?:\+(\d+)m)?$/i.exec(part))) {
      const fromMinute = minuteOf(m[1] ?? DEFAULT_OUTAGE_START, ctx.session, fail);
      const duration = m[2] === undefined ? DEFAULT_OUTAGE_MINUTES : Number(m[2]);
      if (!(duration >= 1)) fail('outage duration must be at least 1 minute');
      const outage = { fromMinute, toMinute: Math.min(ctx.session.minutes, fromMinute + duration) };
      const clash = out.outages.find((o) => o.fromMinute < outage.toMinute && outage.fromMinute < o.toMinute);
      if (clash)
        fail(
          `outages overlap (${clockTime(clash.fromMinute)}–${clockTime(clash.toMinute)} and ${clockTime(outage.fromMinute)}–${clockTime(outage.toMinute)} ET)`,
        );
      out.outages.push(outage);
      out.outages.sort((a, b) => a.fromMinute - b.fromMinute);
      return;
    }
    if (/^(crash|halt|gap|outage)\b/i.test(part)) fail('malformed arguments');
    fail('unknown scenario name');
  });
  return out;
}

/** Minute of the session → HH:MM (New York). */
function clockTime(minute: number): string {
  const t = 9 * 60 + 30 + minute;
  return `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

/** HH:MM (New York) → minute of the session; must fall inside regular hours. */
function minuteOf(hhmm: string, session: Session, fail: (problem: string) => never): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) return fail(`invalid time ${JSON.stringify(hhmm)}, expected HH:MM`);
  const minutes = Number(m[1]) * 60 + Number(m[2]) - (9 * 60 + 30);
  if (Number(m[2]) > 59 || minutes < 0 || minutes >= session.minutes) {
    return fail(
      `time ${hhmm} is outside the session of ${session.date} (09:30–${clockTime(session.minutes - 1)} ET)`,
    );
  }
  return minutes;
}

function seededHaltSymbol(universe: Universe, u: number): string {
  const liquid = universe.assets.filter((a) => a.tradable && a.avgVolume >= LIQUID_VOLUME && a.price >= 10);
  const pool = liquid.length > 0 ? liquid : universe.assets.filter((a) => a.tradable);
  return pool[Math.floor(u * pool.length)]!.symbol;
}

/** The outage under way at minute `minute` of the scenario's session, if any. */
export function outageAt(scenario: MarketScenario, minute: number): OutageScenario | null {
  return scenario.outages.find((o) => minute >= o.fromMinute && minute < o.toMinute) ?? null;
}

export function haltOf(scenario: MarketScenario, symbol: string, sessionIndex: number): HaltScenario | null {
  if (sessionIndex !== scenario.sessionIndex) return null;
  return scenario.halts.find((h) => h.symbol === symbol) ?? null;
}

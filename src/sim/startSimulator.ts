/**
 * Starts Catalyst's Alpaca-compatible market simulator: an HTTP server on loopback speaking
 * the Trading API v2 / Market Data v2 subset Catalyst uses, deterministic for a seed, with a
 * market clock running `speed` times real time.
 *
 * Test hook: `manualClock: true` freezes the market clock; it then moves only through
 * `advanceTo(ms)` / `advanceToNextSession()`, which makes fills reproducible to the minute.
 * Reliability tests switch injected faults on and off with `setFaults(spec | null)`.
 */
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTradingDay, nextTradingDay, utcMsToNyDate } from '../domain/calendar';
import { toMicros } from '../domain/money';
import { createDrivenClock, type DrivenClock } from './clock/drivenClock';
import { createClock } from './clock/simClock';
import { createFaultInjector } from './http/faults';
import { parseHoldings } from './venue/holdings';
import { createHttpServer } from './http/httpServer';
import type { MarketDay } from './market/marketDays';
import { loadMarketDays } from './market/marketDays';
import { createRateLimiter } from './http/rateLimiter';
import { parseScenario } from './market/scenarios';
import { allRoutes } from './http/routes/index';
import { MINUTE_MS, makeSession } from './market/sessionTimeline';
import type { Universe } from './market/universe';
import { loadUniverse } from './market/universe';
import { Venue } from './venue/venue';

export interface SimulatorOptions {
  seed: number;
  /** Market-clock speed: 1 = real time, 600 = a 6.5-hour session in 39 s. */
  speed: number;
  /** Session date; default = today's New York date if a trading day, else the next trading day. */
  date?: string;
  /** Default 127.0.0.1; the simulator refuses anything but loopback. */
  host?: string;
  /** 0 = ephemeral (default). */
  port?: number;
  /** Default '100000'. */
  initialCash?: string;
  /**
   * Shares held before the first session, on top of `initialCash`: `SYMBOL:QTY[,SYMBOL:QTY…]`,
   * e.g. `AAPL:100,MSFT:25` (see holdings.ts); bought at the previous close, so the day starts
   * with no P&L and selling them is no day trade. A bad spec throws a HoldingsError.
   */
  holdings?: string;
  /** Default <repo>/data. */
  dataDir?: string;
  /** Default 'SIMKEY'. */
  keyId?: string;
  /** Default 'SIMSECRET'. */
  secretKey?: string;
  /** The clock starts this many market minutes before 09:30; default 1. */
  preOpenMinutes?: number;
  /** Test hook: the clock stands still until `advanceTo` / `advanceToNextSession` moves it. */
  manualClock?: boolean;
  /**
   * scaled (default): speed × wall time. driven: market time moves only through `drivenClock`,
   * when every participant of the simulated day waits (backtests); no rate limit then, since a
   * market minute takes no wall time at all.
   */
  clock?: 'scaled' | 'driven';
  /** Market behaviour: named scenario (crash, halt, gap, outage) and how strongly news tone follows price. */
  market?: SimMarketOptions;
  /** Venue behaviour: partial fills, day-trading protection. */
  trading?: SimTradingOptions;
  /** Fault injection spec (syntax in faultsSpec.ts), e.g. `500:0.05,POST /v2/orders:drop:0.1`; switchable at runtime. */
  faults?: string;
  /** Requests per market minute per key before 429; default 200; 0 or Infinity = no limit. */
  rateLimitPerMinute?: number;
}

export interface SimMarketOptions {
  /** e.g. 'crash', 'crash@11:00', 'halt', 'gap', 'outage@11:00+20m' — see scenarios.ts. */
  scenario?: string;
  /** 0 = headlines independent of price, 1 = tone always matches the move; default 0.7. */
  signalStrength?: number;
}

export interface SimTradingOptions {
  /** Share of eligible fills that fill partially (deterministic for the seed); default 0.1. */
  partialFillRate?: number;
  /** Reject a 4th day trade in 5 sessions under $25k equity with 403 40310100; default false. */
  dayTradingProtection?: boolean;
  /**
   * When market orders fill during regular hours: 'next-open' (default) at the next minute's open,
   * so fills depend on the submission minute alone and a seeded day replays to the cent whatever
   * the wall-clock jitter; 'on-arrival' at once, at the forming minute's last trade, as a real
   * exchange fills a marketable order (for latency measurements; fills then depend on the instant).
   */
  marketFills?: MarketFills;
}

export type MarketFills = 'next-open' | 'on-arrival';

export interface RunningSimulator {
  url: string;
  port: number;
  keyId: string;
  secretKey: string;
  seed: number;
  speed: number;
  sessionDate(): string;
  nowMs(): number;
  /** Generates the current session's market ahead of use (its first full scan is seconds of CPU otherwise). */
  prepareSession(): void;
  /** Jumps the clock to the next trading day, preOpenMinutes before open; account/positions carry over. */
  advanceToNextSession(): void;
  /** Moves the market clock forward to `ms` (epoch ms), processing every minute on the way. */
  advanceTo(ms: number): void;
  /** The driven clock (clock: 'driven'), null on a scaled clock. */
  drivenClock: DrivenClock | null;
  /** Replaces the fault spec (null = none) and restarts its sequences; throws FaultSpecError on a bad spec. */
  setFaults(spec: string | null): void;
  /** Faults injected since the last setFaults, by "METHOD /route kind". */
  faultCounts(): Record<string, number>;
  close(): Promise<void>;
}

const DEFAULT_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const dataCache = new Map<string, { universe: Universe; days: MarketDay[] }>();

function loadData(dataDir: string): { universe: Universe; days: MarketDay[] } {
  let data = dataCache.get(dataDir);
  if (!data) {
    data = { universe: loadUniverse(dataDir), days: loadMarketDays(dataDir) };
    dataCache.set(dataDir, data);
  }
  return data;
}

/** The simulated universe (cached per data directory), e.g. to check a holdings spec up front. */
export function loadSimulatorUniverse(dataDir: string = DEFAULT_DATA_DIR): Universe {
  return loadData(dataDir).universe;
}

function defaultSessionDate(): string {
  const today = utcMsToNyDate(Date.now());
  return isTradingDay(today) ? today : nextTradingDay(today);
}

/**
 * Checks a market scenario spec exactly as a simulator with these options would (its times
 * against that session's hours, its symbols against the universe), without starting one: a CLI
 * can refuse a typo before it starts any server. Throws the same ScenarioError.
 */
export function checkSimulatorScenario(
  spec: string,
  o: { seed: number; date?: string; dataDir?: string },
): void {
  const date = o.date ?? defaultSessionDate();
  // The simulator itself reports a date that is no session; its scenario cannot be judged without one.
  if (!isTradingDay(date)) return;
  parseScenario(spec, {
    seed: o.seed,
    universe: loadData(o.dataDir ?? DEFAULT_DATA_DIR).universe,
    session: makeSession(0, date),
  });
}

export async function startSimulator(o: SimulatorOptions): Promise<RunningSimulator> {
  if (!Number.isFinite(o.seed)) throw new Error(`simulator seed must be a number, got ${o.seed}`);
  if (!(o.speed > 0) || !Number.isFinite(o.speed))
    throw new Error(`simulator speed must be > 0, got ${o.speed}`);
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the simulator binds loopback only (127.0.0.1), not ${host}`);
  const date = o.date ?? defaultSessionDate();
  if (!isTradingDay(date)) throw new Error(`simulator date ${date} is not an NYSE trading day`);
  const preOpenMinutes = o.preOpenMinutes ?? 1;
  if (!(preOpenMinutes >= 0)) throw new Error(`preOpenMinutes must be >= 0, got ${preOpenMinutes}`);
  const keyId = o.keyId ?? 'SIMKEY';
  const secretKey = o.secretKey ?? 'SIMSECRET';
  const initialCash = toMicros(o.initialCash ?? '100000');

  const { universe, days } = loadData(o.dataDir ?? DEFAULT_DATA_DIR);
  const holdings = parseHoldings(o.holdings, universe);
  const first = makeSession(0, date);
  const driven = o.clock === 'driven';
  const clock = createClock(
    first.openMs - preOpenMinutes * MINUTE_MS,
    o.speed,
    driven || (o.manualClock ?? false),
  );
  const venue = new Venue({
    seed: o.seed,
    universe,
    marketDays: days,
    firstSessionDate: date,
    clock,
    initialCash,
    holdings,
    preOpenMinutes,
    market: o.market ?? {},
    trading: o.trading ?? {},
  });

  const rateLimitPerMinute = driven ? 0 : (o.rateLimitPerMinute ?? 200);
  if (!(rateLimitPerMinute >= 0))
    throw new Error(`rateLimitPerMinute must be >= 0, got ${rateLimitPerMinute}`);
  // Per market minute (60 s / speed of wall time): at speed 600 a correct client makes a market minute's requests in 0.1 s, so only this keeps Alpaca's 200/min meaningful.
  const rateLimiter = createRateLimiter({ limit: rateLimitPerMinute, windowMs: MINUTE_MS / o.speed });
  const faults = createFaultInjector(o.seed, o.faults ?? null);

  const server = createHttpServer({
    venue,
    routes: allRoutes,
    keyId,
    secretKey,
    host,
    port: o.port ?? 0,
    rateLimiter,
    faults,
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;

  // Fills happen on market time even when nobody asks: a light timer keeps the venue synced.
  let timer: NodeJS.Timeout | null = null;
  if (!clock.manual) {
    const tickMs = Math.min(1000, Math.max(10, MINUTE_MS / o.speed / 4));
    timer = setInterval(() => {
      try {
        venue.sync();
      } catch (e) {
        process.emitWarning(`simulator sync failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, tickMs);
    timer.unref();
  }

  const hostInUrl = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    keyId,
    secretKey,
    seed: o.seed,
    speed: o.speed,
    sessionDate: () => {
      venue.sync();
      return venue.session().date;
    },
    nowMs: () => clock.now(),
    prepareSession: () => venue.prepareSession(),
    advanceToNextSession: () => venue.advanceToNextSession(),
    advanceTo: (ms: number) => venue.advanceTo(ms),
    drivenClock: driven
      ? createDrivenClock({ now: () => clock.now(), advanceTo: (ms) => venue.advanceTo(ms) })
      : null,
    setFaults: (spec) => faults.set(spec),
    faultCounts: () => faults.counts(),
    close: async () => {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}

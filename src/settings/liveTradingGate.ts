/**
 * Which venue Catalyst trades on, and at which endpoints. Real money needs four independent
 * opt-ins — TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live Alpaca keys, and the explicit CLI
 * flag — so no single edit (a copied .env, a stray flag) can move it off paper. Without keys there
 * is nothing to trade with but the embedded simulator.
 *
 * ALPACA_BASE_URL can only narrow that: Alpaca's live host is used with every opt-in or not at
 * all (never with paper orders), and any endpoint that is not Alpaca's (an Alpaca-compatible
 * server such as `catalyst sim`) is traded as a paper venue whatever the opt-ins say.
 */
import type { Env } from './env';
import { SettingsError } from './settingsError';

export type TradingVenue = 'simulator' | 'paper' | 'live';

export interface VenueDecision {
  venue: TradingVenue;
  /** One sentence for logs and the CLI, naming any live opt-in that is missing. Never holds a secret. */
  reason: string;
  /** Live opt-ins not given; empty when live, or when live was not asked for at all. */
  missing: string[];
  /** True when any live opt-in was given: the CLI can then say loudly that it is not trading live. */
  liveRequested: boolean;
  /** Trading API base URL (no trailing /v2); null for the embedded simulator. */
  tradingBaseUrl: string | null;
  /** Market-data base URL; null for the embedded simulator. */
  dataBaseUrl: string | null;
  /** True when ALPACA_BASE_URL points somewhere other than Alpaca's own paper and live hosts. */
  customEndpoint: boolean;
}

export interface TradingVenueInput {
  env: Pick<
    Env,
    | 'ALPACA_API_KEY'
    | 'ALPACA_SECRET_KEY'
    | 'TRADING_MODE'
    | 'ENABLE_LIVE_TRADING'
    | 'ALPACA_BASE_URL'
    | 'ALPACA_DATA_URL'
  >;
  /** The explicit command-line opt-in (`--live`). */
  liveFlag: boolean;
}

export const ALPACA_PAPER_TRADING_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_TRADING_URL = 'https://api.alpaca.markets';
export const ALPACA_MARKET_DATA_URL = 'https://data.alpaca.markets';

const LIVE_HOST = 'api.alpaca.markets';
const PAPER_HOST = 'paper-api.alpaca.markets';

/** Alpaca paper-account key ids start with "PK"; they cannot trade a live account. */
const PAPER_KEY_PREFIX = 'PK';

/** What `missing` names when only ALPACA_BASE_URL stands between the opt-ins and live trading. */
const LIVE_URL_NEEDED = `ALPACA_BASE_URL unset or ${ALPACA_LIVE_TRADING_URL}`;

interface Endpoint {
  /** origin + path, without credentials, query or a trailing /v2: safe to print. */
  url: string;
  /** Lower case, without a trailing dot: `api.alpaca.markets.` is the same live host. */
  host: string;
}

/**
 * Env values are already checked by env.ts; this re-reads them so a hand-built input cannot
 * smuggle credentials into a reason or dodge the live-host check with a different spelling.
 */
function endpoint(name: 'ALPACA_BASE_URL' | 'ALPACA_DATA_URL', text: string | undefined): Endpoint | null {
  if (text === undefined) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SettingsError([`environment variable ${name} must be an http:// or https:// URL`]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SettingsError([`environment variable ${name} must be an http:// or https:// URL`]);
  return {
    url: `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v2$/i, '')}`,
    host: url.hostname.toLowerCase().replace(/\.$/, ''),
  };
}

const isAlpacaHost = (host: string): boolean => host === 'alpaca.markets' || host.endsWith('.alpaca.markets');

export function resolveTradingVenue({ env, liveFlag }: TradingVenueInput): VenueDecision {
  const hasKeys = Boolean(env.ALPACA_API_KEY) && Boolean(env.ALPACA_SECRET_KEY);
  const base = endpoint('ALPACA_BASE_URL', env.ALPACA_BASE_URL);
  const data = endpoint('ALPACA_DATA_URL', env.ALPACA_DATA_URL);
  const optIns: [boolean, string][] = [
    [env.TRADING_MODE === 'live', 'TRADING_MODE=live'],
    [env.ENABLE_LIVE_TRADING === true, 'ENABLE_LIVE_TRADING=true'],
    [liveFlag, 'the --live flag'],
  ];
  const liveRequested = optIns.some(([given]) => given);
  const missing = optIns.filter(([given]) => !given).map(([, name]) => name);

  if (!hasKeys) {
    const set = [base && 'ALPACA_BASE_URL', data && 'ALPACA_DATA_URL'].filter(Boolean);
    // An endpoint without keys is half a configuration: running the simulator instead would hide it.
    if (set.length > 0) {
      throw new SettingsError([
        `environment variable ${set.join(' and ')} ${set.length > 1 ? 'need' : 'needs'} ALPACA_API_KEY and ALPACA_SECRET_KEY ` +
          '(for `catalyst sim`, the keys it prints: ALPACA_API_KEY=SIMKEY ALPACA_SECRET_KEY=SIMSECRET); ' +
          'unset it to run the embedded simulator',
      ]);
    }
    const alsoMissing = liveRequested ? ['ALPACA_API_KEY/ALPACA_SECRET_KEY', ...missing] : [];
    return {
      venue: 'simulator',
      reason: liveRequested
        ? `embedded simulator: live trading was requested but no Alpaca keys are set (missing: ${alsoMissing.join(', ')})`
        : 'embedded simulator: no Alpaca keys set (ALPACA_API_KEY/ALPACA_SECRET_KEY)',
      missing: alsoMissing,
      liveRequested,
      tradingBaseUrl: null,
      dataBaseUrl: null,
      customEndpoint: false,
    };
  }

  const paperKey = env.ALPACA_API_KEY!.toUpperCase().startsWith(PAPER_KEY_PREFIX);
  const byOptIns = venueByOptIns(liveRequested, missing, paperKey);
  const dataFor = (tradingHost: string, tradingUrl: string): string =>
    data?.url ?? (isAlpacaHost(tradingHost) ? ALPACA_MARKET_DATA_URL : tradingUrl);

  if (base === null) {
    return {
      ...byOptIns,
      liveRequested,
      tradingBaseUrl: byOptIns.venue === 'live' ? ALPACA_LIVE_TRADING_URL : ALPACA_PAPER_TRADING_URL,
      dataBaseUrl: data?.url ?? ALPACA_MARKET_DATA_URL,
      customEndpoint: false,
    };
  }

  if (base.host === LIVE_HOST) {
    if (byOptIns.venue !== 'live') {
      // Falling back to paper here would send paper-intended orders to the real-money host.
      const lacking = [
        ...(env.TRADING_MODE === 'live' ? [] : ['TRADING_MODE=live']),
        ...(env.ENABLE_LIVE_TRADING === true ? [] : ['ENABLE_LIVE_TRADING=true']),
        ...(paperKey ? ['live Alpaca keys (ALPACA_API_KEY is a paper key)'] : []),
        ...(liveFlag ? [] : ['the --live flag']),
      ];
      throw new SettingsError([
        `environment variable ALPACA_BASE_URL is Alpaca's live host (${base.url}), which trades real money: ` +
          `it needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and the --live flag; missing: ${lacking.join(', ')}. ` +
          `To trade paper, unset ALPACA_BASE_URL or set it to ${ALPACA_PAPER_TRADING_URL}`,
      ]);
    }
    return {
      ...byOptIns,
      liveRequested,
      tradingBaseUrl: base.url,
      dataBaseUrl: dataFor(base.host, base.url),
      customEndpoint: false,
    };
  }

  const custom = base.host !== PAPER_HOST;
  const where = custom
    ? `Alpaca-compatible endpoint ${base.url} (ALPACA_BASE_URL), traded as a paper venue`
    : `Alpaca paper trading at ${base.url} (ALPACA_BASE_URL)`;
  const neverLive = custom
    ? 'a custom endpoint is never live'
    : `ALPACA_BASE_URL is Alpaca's paper host; unset it or set ${ALPACA_LIVE_TRADING_URL} to trade live`;
  let reason: string;
  let stillMissing: string[];
  if (!liveRequested) {
    reason = where;
    stillMissing = [];
  } else {
    stillMissing = [...(byOptIns.venue === 'live' ? [] : byOptIns.missing), LIVE_URL_NEEDED];
    reason = `${where}: live trading was requested, but ${neverLive} (missing: ${stillMissing.join(', ')})`;
  }
  return {
    venue: 'paper',
    reason,
    missing: stillMissing,
    liveRequested,
    tradingBaseUrl: base.url,
    dataBaseUrl: dataFor(base.host, base.url),
    customEndpoint: custom,
  };
}

/** The venue the opt-ins alone decide, once keys are set: the truth table README describes. */
function venueByOptIns(
  liveRequested: boolean,
  missing: string[],
  paperKey: boolean,
): Pick<VenueDecision, 'venue' | 'reason' | 'missing'> {
  if (!liveRequested) {
    return { venue: 'paper', reason: 'Alpaca paper trading (TRADING_MODE=paper)', missing: [] };
  }
  if (missing.length > 0) {
    return {
      venue: 'paper',
      reason: `Alpaca paper trading: live trading needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and the --live flag; missing: ${missing.join(', ')}`,
      missing,
    };
  }
  if (paperKey) {
    return {
      venue: 'paper',
      reason: `Alpaca paper trading: every live opt-in is set but ALPACA_API_KEY is a paper key (${PAPER_KEY_PREFIX}…); set live keys`,
      missing: ['live Alpaca keys'],
    };
  }
  return {
    venue: 'live',
    reason:
      'LIVE trading with real money: TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and --live all given',
    missing: [],
  };
}

/**
 * Which venue Catalyst trades on. Real money needs four independent opt-ins — TRADING_MODE=live,
 * ENABLE_LIVE_TRADING=true, Alpaca keys, and the explicit CLI flag — so no single edit (a copied
 * .env, a stray flag) can move it off paper. Without keys there is nothing to trade with but the
 * embedded simulator.
 */
import type { Env } from './env';

export type TradingVenue = 'simulator' | 'paper' | 'live';

export interface VenueDecision {
  venue: TradingVenue;
  /** One sentence for logs and the CLI, naming any live opt-in that is missing. */
  reason: string;
  /** Live opt-ins not given; empty when live, or when live was not asked for at all. */
  missing: string[];
  /** True when any live opt-in was given: the CLI can then say loudly that it is not trading live. */
  liveRequested: boolean;
}

export interface TradingVenueInput {
  env: Pick<Env, 'ALPACA_API_KEY' | 'ALPACA_SECRET_KEY' | 'TRADING_MODE' | 'ENABLE_LIVE_TRADING'>;
  /** The explicit command-line opt-in (`--live`). */
  liveFlag: boolean;
}

/** Alpaca paper-account key ids start with "PK"; they cannot trade a live account. */
const PAPER_KEY_PREFIX = 'PK';

export function resolveTradingVenue({ env, liveFlag }: TradingVenueInput): VenueDecision {
  const hasKeys = Boolean(env.ALPACA_API_KEY) && Boolean(env.ALPACA_SECRET_KEY);
  const optIns: [boolean, string][] = [
    [env.TRADING_MODE === 'live', 'TRADING_MODE=live'],
    [env.ENABLE_LIVE_TRADING === true, 'ENABLE_LIVE_TRADING=true'],
    [liveFlag, 'the --live flag'],
  ];
  const liveRequested = optIns.some(([given]) => given);
  const missing = optIns.filter(([given]) => !given).map(([, name]) => name);

  if (!hasKeys) {
    const alsoMissing = liveRequested ? ['ALPACA_API_KEY/ALPACA_SECRET_KEY', ...missing] : [];
    return {
      venue: 'simulator',
      reason: liveRequested
        ? `embedded simulator: live trading was requested but no Alpaca keys are set (missing: ${alsoMissing.join(', ')})`
        : 'embedded simulator: no Alpaca keys set (ALPACA_API_KEY/ALPACA_SECRET_KEY)',
      missing: alsoMissing,
      liveRequested,
    };
  }
  if (!liveRequested) {
    return {
      venue: 'paper',
      reason: 'Alpaca paper trading (TRADING_MODE=paper)',
      missing: [],
      liveRequested,
    };
  }
  if (missing.length > 0) {
    return {
      venue: 'paper',
      reason: `Alpaca paper trading: live trading needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and the --live flag; missing: ${missing.join(', ')}`,
      missing,
      liveRequested,
    };
  }
  if (env.ALPACA_API_KEY!.toUpperCase().startsWith(PAPER_KEY_PREFIX)) {
    return {
      venue: 'paper',
      reason: `Alpaca paper trading: every live opt-in is set but ALPACA_API_KEY is a paper key (${PAPER_KEY_PREFIX}…); set live keys`,
      missing: ['live Alpaca keys'],
      liveRequested,
    };
  }
  return {
    venue: 'live',
    reason:
      'LIVE trading with real money: TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and --live all given',
    missing: [],
    liveRequested,
  };
}

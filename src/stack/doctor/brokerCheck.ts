/**
 * The broker `catalyst up` would trade with. Without Alpaca keys that is the embedded simulator,
 * started by `up` itself: nothing to reach. With keys: the account (keys accepted, status ACTIVE,
 * trading not blocked), the clock, and the market-data feed, each through the same Alpaca adapter
 * the worker uses. Keys are never printed (the adapter redacts them from every message).
 */
import type { BrokerAccount } from '../../broker/port';
import type { Env } from '../../settings/env';
import { resolveTradingVenue } from '../../settings/liveTradingGate';
import { SettingsError } from '../../settings/settingsError';
import type { VenueScope } from '../../shared';
import { fail, formatMs, ok, oneLine, warn, type CheckResult } from './checkResult';

/** A symbol every US feed and the simulator's universe carry. */
export const DATA_FEED_PROBE_SYMBOL = 'AAPL';

/** Where `up` would run its trading days: the Temporal checks look for this venue's worker and schedule. */
export interface VenueTarget {
  scope: VenueScope;
  /** `catalyst up` starts this venue's sessions itself (the simulator, an endpoint of our own). */
  drivenByUp: boolean;
}

export interface BrokerCheckOptions {
  timeoutMs: number;
  /** Told the venue as soon as it is known (null when it cannot be: no account). */
  onVenue?: (venue: VenueTarget | null) => void;
}

export async function checkBroker(env: Env, opts: BrokerCheckOptions): Promise<CheckResult[]> {
  const announce = opts.onVenue ?? (() => undefined);
  let gate;
  try {
    // With every live opt-in in the environment, `up --live` is what the operator will run: the
    // live account is checked (read-only requests), else the paper one.
    const live = resolveTradingVenue({ env, liveFlag: true });
    gate = live.venue === 'live' ? live : resolveTradingVenue({ env, liveFlag: false });
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    announce(null);
    return [fail('broker', err.issues.join('; '), 'correct ALPACA_BASE_URL or the Alpaca keys')];
  }
  if (gate.venue === 'simulator') {
    announce({ scope: { venue: 'simulator' }, drivenByUp: true });
    return [
      ok(
        'broker',
        'embedded simulator (no ALPACA_API_KEY/ALPACA_SECRET_KEY): `catalyst up` starts it; set the keys to trade Alpaca paper',
      ),
    ];
  }

  const endpoint = gate.tradingBaseUrl!;
  const { createAlpacaBroker } = await import('../../broker/alpacaBroker');
  const broker = createAlpacaBroker({
    keyId: env.ALPACA_API_KEY!,
    secretKey: env.ALPACA_SECRET_KEY!,
    tradingBaseUrl: endpoint,
    dataBaseUrl: gate.dataBaseUrl!,
    paper: gate.venue !== 'live',
    // Three requests: no client-side budget to wait for.
    rateLimitPerMinute: false,
    timeoutMs: opts.timeoutMs,
    feed: env.ALPACA_DATA_FEED,
  });
  const results: CheckResult[] = [];
  const timedOut = (message: string): string =>
    /timed out/i.test(message) ? `no answer within ${formatMs(opts.timeoutMs)} (${message})` : message;

  let account: BrokerAccount;
  try {
    account = await broker.getAccount();
  } catch (err) {
    const message = oneLine(err);
    const rejected = /HTTP 40[13]\b/.test(message);
    results.push(
      fail(
        'broker',
        `${endpoint}: ${timedOut(message)}`,
        rejected
          ? 'check ALPACA_API_KEY/ALPACA_SECRET_KEY: paper keys (PK…) for the paper endpoint, live keys for live; regenerate them in the Alpaca dashboard if needed'
          : `check that ${endpoint} is reachable from here (ALPACA_BASE_URL, proxy, firewall)`,
      ),
    );
    // Nothing more can be learned without an account.
    announce(null);
    return results;
  }
  const accountNumber = account.accountNumber || account.id;
  announce({ scope: { venue: gate.venue, account: accountNumber }, drivenByUp: gate.customEndpoint });
  const who = `${endpoint}: account ${accountNumber} (${gate.venue}${gate.customEndpoint ? ', custom endpoint' : ''})`;
  if (account.status.toUpperCase() !== 'ACTIVE')
    results.push(
      fail(
        'broker',
        `${who}: status ${account.status || 'unknown'}, not ACTIVE`,
        'the account cannot trade until Alpaca activates it: see the Alpaca dashboard',
      ),
    );
  else if (account.tradingBlocked)
    results.push(
      fail(
        'broker',
        `${who}: keys accepted, status ACTIVE, but trading is blocked`,
        'see the Alpaca dashboard',
      ),
    );
  else
    results.push(
      ok(
        'broker',
        `${who}: keys accepted, status ACTIVE, equity $${account.equity}, buying power $${account.buyingPower}`,
      ),
    );

  const [clock, data] = await Promise.allSettled([
    broker.getClock(),
    broker.getSnapshots([DATA_FEED_PROBE_SYMBOL]),
  ]);
  if (clock.status === 'fulfilled') {
    const c = clock.value;
    results.push(
      ok(
        'broker clock',
        `${c.timestamp}: market ${c.isOpen ? `open, closes ${c.nextClose}` : `closed, opens ${c.nextOpen}`}`,
      ),
    );
  } else
    results.push(
      fail(
        'broker clock',
        `${endpoint}: ${timedOut(oneLine(clock.reason))}`,
        `check that ${endpoint} answers /v2/clock`,
      ),
    );

  const feed = env.ALPACA_DATA_FEED ?? "the account's default";
  if (data.status === 'fulfilled') {
    const snapshot = data.value.get(DATA_FEED_PROBE_SYMBOL);
    if (snapshot)
      results.push(
        ok(
          'market data',
          `${gate.dataBaseUrl} (feed ${feed}): ${DATA_FEED_PROBE_SYMBOL} last trade ${snapshot.latestTradePrice} at ${snapshot.latestTradeTime}`,
        ),
      );
    else
      results.push(
        warn(
          'market data',
          `${gate.dataBaseUrl} (feed ${feed}) answered, but without a ${DATA_FEED_PROBE_SYMBOL} snapshot`,
          'check ALPACA_DATA_FEED and the account’s data subscription',
        ),
      );
  } else {
    const message = oneLine(data.reason);
    results.push(
      fail(
        'market data',
        `${gate.dataBaseUrl} (feed ${feed}): ${timedOut(message)}`,
        /HTTP 403/.test(message) && env.ALPACA_DATA_FEED === 'sip'
          ? 'ALPACA_DATA_FEED=sip needs a paid Alpaca data plan: set ALPACA_DATA_FEED=iex or unset it'
          : `check ALPACA_DATA_URL (${gate.dataBaseUrl}) and the data subscription`,
      ),
    );
  }

  return results;
}

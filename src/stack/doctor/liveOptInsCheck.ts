/**
 * The live-trading opt-ins (PRODUCT.md §5): TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live
 * Alpaca keys, and `--live` on the command line. Doctor says which are given and where `catalyst
 * up` would trade. Paper is never a failure; a partial set of opt-ins is a warning (someone meant
 * live and will be on paper); a configuration `up` refuses to start with is a failure.
 */
import type { Env } from '../../settings/env';
import { resolveTradingVenue, type VenueDecision } from '../../settings/liveTradingGate';
import { SettingsError } from '../../settings/settingsError';
import { fail, ok, warn, type CheckResult } from './checkResult';

const NAME = 'live opt-ins';

export function checkLiveOptIns(env: Env): CheckResult {
  let withFlag: VenueDecision;
  try {
    withFlag = resolveTradingVenue({ env, liveFlag: true });
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    return fail(
      NAME,
      `catalyst up would refuse to start: ${err.issues.join('; ')}`,
      'unset ALPACA_BASE_URL, or give every live opt-in (see README "Live money")',
    );
  }
  // Without --live, Alpaca's live host is refused (null here); anything else trades paper or the simulator.
  let asIs: VenueDecision | null = null;
  try {
    asIs = resolveTradingVenue({ env, liveFlag: false });
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
  }
  const hasKeys = Boolean(env.ALPACA_API_KEY && env.ALPACA_SECRET_KEY);
  // Key prefixes are Alpaca's: an endpoint of our own (`catalyst sim`) has keys of its own making.
  const liveKeys = hasKeys && !withFlag.customEndpoint && !env.ALPACA_API_KEY!.toUpperCase().startsWith('PK');
  const given = [
    env.TRADING_MODE === 'live' && 'TRADING_MODE=live',
    env.ENABLE_LIVE_TRADING && 'ENABLE_LIVE_TRADING=true',
    liveKeys && 'live keys',
  ].filter((g): g is string => Boolean(g));
  const givenText = given.length ? `given: ${given.join(', ')}` : 'none given';
  if (withFlag.venue === 'live')
    return ok(
      NAME,
      `${givenText}: LIVE trading is possible — \`catalyst up --live\` trades real money; without --live, ${asIs ? asIs.venue : 'up refuses to start (ALPACA_BASE_URL is the live host)'}`,
    );
  if (!asIs) throw new Error('unreachable: only the live host refuses a start without --live');
  const where = asIs.venue === 'simulator' ? 'the embedded simulator' : 'paper';
  // Keys alone are no request for live (paper needs keys too); a live mode or switch is.
  if (!asIs.liveRequested) return ok(NAME, `${givenText}: trades ${where}; live is not possible`);
  const missing = [
    env.TRADING_MODE !== 'live' && 'TRADING_MODE=live',
    !env.ENABLE_LIVE_TRADING && 'ENABLE_LIVE_TRADING=true',
    !liveKeys &&
      (hasKeys && !withFlag.customEndpoint
        ? 'live Alpaca keys (ALPACA_API_KEY is a paper key)'
        : 'live Alpaca keys'),
    ...withFlag.missing.filter((m) => m.startsWith('ALPACA_BASE_URL')),
  ].filter((m): m is string => Boolean(m));
  return warn(
    NAME,
    `${givenText}: trades ${where}; live is not possible (missing: ${missing.join(', ')}; and \`up --live\`)`,
    `to trade live, set ${missing.join(', ')}; to stay on paper, set TRADING_MODE=paper and ENABLE_LIVE_TRADING=false`,
  );
}

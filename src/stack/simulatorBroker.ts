import { createAlpacaBroker, type AlpacaBrokerOptions } from '../broker/alpacaBroker';
import type { Broker } from '../broker/port';
import type { RunningSimulator } from '../sim/startSimulator';

/** The Alpaca adapter pointed at a running simulator (no client-side rate limit: the sim is local). */
export function brokerForSimulator(
  sim: Pick<RunningSimulator, 'keyId' | 'secretKey' | 'url'>,
  extra: Partial<AlpacaBrokerOptions> = {},
): Broker {
  return createAlpacaBroker({
    keyId: sim.keyId,
    secretKey: sim.secretKey,
    tradingBaseUrl: sim.url,
    dataBaseUrl: sim.url,
    paper: true,
    rateLimitPerMinute: false,
    ...extra,
  });
}

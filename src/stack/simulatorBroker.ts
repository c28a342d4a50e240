import { createAlpacaBroker, type AlpacaBrokerOptions } from '../broker/alpacaBroker';
import type { Broker } from '../broker/port';
import type { RunningSimulator } from '../sim/startSimulator';

/** The Alpaca adapter pointed at a running simulator; its request budget runs on the simulator's market minutes, as the simulator's limit does. */
export function brokerForSimulator(
  sim: Pick<RunningSimulator, 'keyId' | 'secretKey' | 'url' | 'speed'>,
  extra: Partial<AlpacaBrokerOptions> = {},
): Broker {
  return createAlpacaBroker({
    keyId: sim.keyId,
    secretKey: sim.secretKey,
    tradingBaseUrl: sim.url,
    dataBaseUrl: sim.url,
    paper: true,
    clockSpeed: sim.speed,
    ...extra,
  });
}

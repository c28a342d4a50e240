import { FaultSpecError, parseFaultSpec } from '../sim/http/faultsSpec';
import { HoldingsError, parseHoldings } from '../sim/venue/holdings';
import { ScenarioError } from '../sim/market/scenarios';
import {
  checkSimulatorScenario,
  loadSimulatorUniverse,
  startSimulator,
  type MarketFills,
} from '../sim/startSimulator';
import { UsageError } from './cliErrors';

export interface SimCommandOptions {
  port: number;
  seed: number;
  speed: number;
  date?: string;
  scenario?: string;
  faults?: string;
  rateLimit?: number;
  holdings?: string;
  preOpenMinutes?: number;
  marketFills?: MarketFills;
}

/** `--faults <spec>` for `sim` and `up`: checked while parsing arguments, so a typo never starts anything. */
export function parseFaultsFlag(flag: string, value: string): string {
  try {
    parseFaultSpec(value);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
  return value;
}

/** `--holdings <spec>` for `sim`: symbols checked against the simulator's universe before anything starts. */
export function parseHoldingsFlag(flag: string, value: string): string {
  try {
    parseHoldings(value, loadSimulatorUniverse());
  } catch (err) {
    if (err instanceof HoldingsError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
  return value;
}

/**
 * `--scenario <spec>` for `sim` and `up`: checked against the session it would shape (an early
 * close has no 14:00) before anything starts, with the simulator's own message.
 */
export function checkScenarioFlag(flag: string, spec: string, o: { seed: number; date?: string }): void {
  try {
    checkSimulatorScenario(spec, o);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

export async function simCommand(opts: SimCommandOptions): Promise<void> {
  if (opts.scenario !== undefined) checkScenarioFlag('--scenario', opts.scenario, opts);
  const sim = await startSimulator({
    port: opts.port,
    seed: opts.seed,
    speed: opts.speed,
    date: opts.date,
    market: opts.scenario === undefined ? undefined : { scenario: opts.scenario },
    faults: opts.faults,
    rateLimitPerMinute: opts.rateLimit,
    holdings: opts.holdings,
    preOpenMinutes: opts.preOpenMinutes,
    trading: { marketFills: opts.marketFills ?? 'next-open' },
  });
  const rate = opts.rateLimit ?? 200;
  const held = parseHoldings(opts.holdings, loadSimulatorUniverse()).map((h) => `${h.qty} ${h.symbol}`);
  process.stdout.write(
    [
      `Alpaca-compatible simulator on ${sim.url} (seed ${opts.seed}, speed ×${opts.speed}, session ${sim.sessionDate()})`,
      `test keys (not secrets): APCA-API-KEY-ID=${sim.keyId} APCA-API-SECRET-KEY=${sim.secretKey}`,
      rate > 0 ? `rate limit: ${rate} requests per market minute per key` : 'rate limit: off',
      ...(opts.marketFills === 'on-arrival' ? ['market orders fill on arrival'] : []),
      ...(opts.scenario ? [`scenario: ${opts.scenario}`] : []),
      ...(opts.faults ? [`faults: ${opts.faults}`] : []),
      ...(held.length > 0 ? [`holdings (bought at the previous close): ${held.join(', ')}`] : []),
      'Ctrl-C to stop',
    ].join('\n') + '\n',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
}

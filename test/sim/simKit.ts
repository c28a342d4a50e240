/** Shared helpers for tests that drive the simulator over real HTTP. */
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import type { Micros } from '../../src/domain/money';
import { toMicros } from '../../src/domain/money';
import type { RunningSimulator, SimulatorOptions } from '../../src/sim/startSimulator';
import { startSimulator } from '../../src/sim/startSimulator';

export const at = (date: string, hhmm: string): number => nyTimeToUtcMs(date, hhmm);

/**
 * A simulator on a manual clock. Partial fills are off unless asked for
 * (`trading: { partialFillRate }`): tests that pin exact fills stay about what they test.
 */
export function startManual(
  o: Partial<SimulatorOptions> & { seed: number; date: string },
): Promise<RunningSimulator> {
  return startSimulator({
    speed: 600,
    manualClock: true,
    ...o,
    trading: { partialFillRate: 0, ...o.trading },
  });
}

/** Response JSON as tests read it: loosely, field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResult<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = Json>(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
  auth: { keyId?: string; secretKey?: string } = {},
): Promise<ApiResult<T>> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      'APCA-API-KEY-ID': auth.keyId ?? sim.keyId,
      'APCA-API-SECRET-KEY': auth.secretKey ?? sim.secretKey,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** price × qty of a filled order, exact. */
export function fillNotional(order: { filled_avg_price: string | null; filled_qty: string }): Micros {
  if (order.filled_avg_price === null) return 0n;
  return toMicros(order.filled_avg_price) * BigInt(order.filled_qty);
}

export async function tradableSymbols(sim: RunningSimulator): Promise<string[]> {
  const { body } = await api<Array<{ symbol: string; tradable: boolean }>>(
    sim,
    'GET',
    '/v2/assets?status=active',
  );
  return body.filter((a) => a.tradable).map((a) => a.symbol);
}

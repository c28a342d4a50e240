import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';
import type { AlpacaBrokerOptions } from '../../src/broker/alpacaBroker';
import type { Broker } from '../../src/broker/port';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { brokerForSimulator } from '../../src/stack/simulatorBroker';

/** The adapter on a test simulator, without the client-side limiter (tests drive the clock by hand). */
export const brokerFor = (sim: RunningSimulator, extra: Partial<AlpacaBrokerOptions> = {}): Broker =>
  brokerForSimulator(sim, { rateLimitPerMinute: false, timeoutMs: 10_000, ...extra });

/** The ApplicationFailure a broker call rejects with (fails the test if it resolves). */
export async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApplicationFailure);
    return e as ApplicationFailure;
  }
  throw new Error('expected a failure');
}

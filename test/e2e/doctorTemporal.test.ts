/**
 * `catalyst doctor`'s Temporal lines against the real dev server of the test run: reachable, the
 * namespace, Catalyst's search attributes (registered by the server's command line), then a
 * venue's worker and schedule — missing first, then present once a real worker polls its task
 * queue and the schedule exists — and a namespace that does not exist.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scheduleIdFor, taskQueueFor, type VenueScope } from '../../src/shared';
import type { VenueTarget } from '../../src/stack/doctor/brokerCheck';
import type { CheckResult } from '../../src/stack/doctor/checkResult';
import { checkEnvironment } from '../../src/stack/doctor/environmentCheck';
import { checkTemporal } from '../../src/stack/doctor/temporalCheck';
import { ensureTradingSchedule } from '../../src/stack/tradingSchedule';
import { PROJECT_DIR } from '../support/catalystHarness';
import { installTestRuntime } from '../support/testRuntime';
import { temporalInterceptors } from '../../src/stack/temporalConnection';

const TIMEOUT_MS = 5_000;
const statuses = (results: CheckResult[]) => results.map((r) => [r.name, r.status]);

describe('doctor: Temporal on a real dev server', () => {
  const address = inject('temporalAddress');
  // A venue of this test alone: its task queue and schedule meet no other test's.
  const scope: VenueScope = { venue: 'simulator', run: `doctor${randomBytes(4).toString('hex')}` };
  const venue = (drivenByUp: boolean) => Promise.resolve<VenueTarget>({ scope, drivenByUp });
  const env = (vars: Record<string, string> = {}) =>
    checkEnvironment({ TEMPORAL_ADDRESS: address, ...vars }).env;
  let client: Client;

  beforeAll(async () => {
    installTestRuntime();
    client = new Client({
      connection: await Connection.connect({ interceptors: temporalInterceptors(), address }),
      namespace: 'default',
    });
  });
  afterAll(async () => {
    await client?.schedule
      .getHandle(scheduleIdFor(scope))
      .delete()
      .catch(() => undefined);
    await client?.connection.close();
  });

  it('no worker and no schedule yet: the server, namespace and search attributes ok; the worker and schedule warn', async () => {
    const results = await checkTemporal(env(), {
      timeoutMs: TIMEOUT_MS,
      projectDir: PROJECT_DIR,
      venue: venue(true),
    });
    expect(statuses(results)).toEqual([
      ['temporal', 'ok'],
      ['temporal namespace', 'ok'],
      ['temporal search attributes', 'ok'],
      ['temporal worker', 'warn'],
      ['temporal schedule', 'warn'],
    ]);
    expect(results[0]!.detail).toMatch(new RegExp(`^Temporal server \\S+ at ${address}$`));
    expect(results[1]!.detail).toMatch(/^default\b/);
    expect(results[2]!.detail).toContain('CatalystTradingDate');
    expect(results[2]!.detail).toContain('CatalystHalted');
    expect(results[3]!.detail).toBe(
      `no worker polls ${taskQueueFor(scope)}: trading days of this venue would not run`,
    );
    expect(results[3]!.fix).toContain('catalyst up');
    expect(results[4]!.detail).toMatch(new RegExp(`^no schedule ${scheduleIdFor(scope)}:`));
  });

  it('a worker polling the venue task queue and its paused schedule: ok; paused where `up` does not drive the sessions: warn', async () => {
    const connection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection,
      namespace: 'default',
      taskQueue: taskQueueFor(scope),
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: { doctorProbe: async () => 'ok' },
      identity: `doctor-test-worker@${process.pid}`,
    });
    const running = worker.run();
    try {
      await ensureTradingSchedule(client, scope, { paused: true, note: 'doctor test' });
      // The server lists a poller once its first long poll has arrived.
      let results: CheckResult[] = [];
      for (let i = 0; i < 50; i++) {
        results = await checkTemporal(env(), {
          timeoutMs: TIMEOUT_MS,
          projectDir: PROJECT_DIR,
          venue: venue(true),
        });
        if (results[3]?.status === 'ok') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const worker3 = results[3]!;
      expect(worker3).toMatchObject({ name: 'temporal worker', status: 'ok' });
      expect(worker3.detail).toMatch(
        new RegExp(
          `^[1-9]\\d* workflow and [1-9]\\d* activity poller\\(s\\) on ${taskQueueFor(scope)} \\(.*doctor-test-worker@${process.pid}`,
        ),
      );
      expect(results[4]).toMatchObject({ name: 'temporal schedule', status: 'ok' });
      expect(results[4]!.detail).toBe(
        `${scheduleIdFor(scope)}: paused (doctor test); \`catalyst up\` starts this venue's sessions itself`,
      );

      const onAlpaca = await checkTemporal(env(), {
        timeoutMs: TIMEOUT_MS,
        projectDir: PROJECT_DIR,
        venue: venue(false),
      });
      expect(onAlpaca[4]).toMatchObject({ name: 'temporal schedule', status: 'warn' });
      expect(onAlpaca[4]!.detail).toContain('paused (doctor test): no trading day starts');
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
    }
  });

  it('a namespace that does not exist: one failed line with the command that creates it, and nothing asked of it', async () => {
    const results = await checkTemporal(env({ TEMPORAL_NAMESPACE: 'catalyst-doctor-no-such-namespace' }), {
      timeoutMs: TIMEOUT_MS,
      projectDir: PROJECT_DIR,
      venue: venue(true),
    });
    expect(statuses(results)).toEqual([
      ['temporal', 'ok'],
      ['temporal namespace', 'fail'],
    ]);
    expect(results[1]!.detail).toBe(
      `namespace catalyst-doctor-no-such-namespace does not exist at ${address}`,
    );
    expect(results[1]!.fix).toMatch(
      /^temporal operator namespace create --namespace catalyst-doctor-no-such-namespace/,
    );
  });

  it("a namespace without Catalyst's search attributes: failed, with the command that creates each one", async () => {
    const namespace = `catalyst-doctor-${randomBytes(4).toString('hex')}`;
    await client.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    // A new namespace reaches the frontend's cache within seconds.
    let results: CheckResult[] = [];
    for (let i = 0; i < 60; i++) {
      results = await checkTemporal(env({ TEMPORAL_NAMESPACE: namespace }), {
        timeoutMs: TIMEOUT_MS,
        projectDir: PROJECT_DIR,
        venue: venue(true),
      });
      if (results[1]?.status === 'ok') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(results[1]).toMatchObject({
      name: 'temporal namespace',
      status: 'ok',
      detail: `${namespace}: history kept 1 day`,
    });
    const attributes = results[2]!;
    expect(attributes).toMatchObject({ name: 'temporal search attributes', status: 'fail' });
    expect(attributes.detail).toBe(
      `missing on ${namespace}: CatalystTradingDate, CatalystMode, CatalystVenue, CatalystAccount, CatalystRealizedPnl, CatalystHalted, CatalystOrders`,
    );
    expect(attributes.fix).toContain(
      `temporal operator search-attribute create --namespace ${namespace} --name CatalystTradingDate --type Keyword`,
    );
    expect(attributes.fix).toContain(
      '--name CatalystRealizedPnl --type Double --name CatalystHalted --type Bool --name CatalystOrders --type Int',
    );
  });
});

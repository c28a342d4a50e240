/**
 * Catalyst against an Alpaca-compatible endpoint it does not own: `catalyst sim` started on its own
 * (a separate process), traded through ALPACA_BASE_URL as a paper venue by `catalyst up --once`
 * and halted by `catalyst halt`, each a real CLI process, on the shared Temporal dev server.
 *
 * The account is one a person also uses: it holds shares before the day and has an open GTC
 * order. A total broker outage of 20 market minutes hits the middle of the day. Catalyst must end
 * the day flat in its own book, with the person's shares and order exactly as they were.
 *
 * At the same time an embedded-simulator day of the same date runs on the same dev server: the
 * two venues must not see, terminate or feed each other.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAlpacaBroker } from '../../src/broker/alpacaBroker';
import type { Broker } from '../../src/broker/port';
import { createDatabase } from '../../src/db/createDatabase';
import { riskEventsForDay } from '../../src/db/repositories/riskEvents';
import { clientOrderId, parseClientOrderId } from '../../src/domain/clientOrderId';
import { isOpenOrder } from '../../src/domain/positions';
import { runningTradingDays } from '../../src/client/findTradingDay';
import { allBrokerOrders } from '../support/bookChecks';
import { PROJECT_DIR } from '../support/catalystHarness';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';
import { startCatalystSim, type CatalystSimProcess } from '../support/catalystSim';
import { temporalInterceptors } from '../../src/stack/temporalConnection';

// The day after Thanksgiving: the session closes at 13:00, so the whole day runs in two thirds of the time.
const DATE = '2026-11-27';
const SPEED = 600;
const HOLDINGS = { AAPL: '100', MSFT: '20' };

type Run = CatalystRun;

/** Runs `catalyst <args>` to its end, as a user would. */
const catalyst = (args: string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<Run> =>
  runCatalyst(args, env, timeoutMs);

/** `catalyst sim` in its own process (seed 7, this file's speed and date); resolves once it serves. */
const startSimProcess = (extra: string[]): Promise<CatalystSimProcess> =>
  startCatalystSim(['--seed', '7', '--speed', String(SPEED), '--date', DATE, ...extra]);

const lastJson = (text: string): Record<string, unknown> =>
  JSON.parse(text.trim().split('\n').filter(Boolean).at(-1)!) as Record<string, unknown>;

const brokerAt = (url: string): Broker =>
  createAlpacaBroker({
    keyId: 'SIMKEY',
    secretKey: 'SIMSECRET',
    tradingBaseUrl: url,
    dataBaseUrl: url,
    paper: true,
    clockSpeed: SPEED,
  });

const heldQty = async (broker: Broker): Promise<Record<string, string>> =>
  Object.fromEntries((await broker.listPositions()).map((p) => [p.symbol, p.qty]));

/** Waits until `check` holds, polling (wall clock). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The person's own open GTC order: a buy far below the market, never Catalyst's to touch. */
const personsGtcOrder = async (broker: Broker): Promise<string> =>
  (
    await broker.submitOrder({
      clientOrderId: 'my-own-gtc-order',
      symbol: 'AAPL',
      side: 'buy',
      qty: '5',
      type: 'limit',
      limitPrice: '1.00',
      timeInForce: 'gtc',
    })
  ).id;

/** A bracket entry with Catalyst's own client id, as a day of `tradingDate` would have sent it. */
const catalystEntry = (broker: Broker, tradingDate: string, symbol: string, qty: number) =>
  broker.submitBracketOrder({
    clientOrderId: clientOrderId({ tradingDate, cycle: 1, symbol, leg: 'entry' }),
    symbol,
    side: 'buy',
    qty,
    entryType: 'market',
    takeProfitLimitPrice: '9000.00',
    stopLossStopPrice: '1.00',
    timeInForce: 'gtc',
  });

const envFor = (url: string, temp: TempDatabase, home: string): NodeJS.ProcessEnv => ({
  ALPACA_API_KEY: 'SIMKEY',
  ALPACA_SECRET_KEY: 'SIMSECRET',
  ALPACA_BASE_URL: url,
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  DATABASE_URL: temp.url,
  CATALYST_HOME: home,
});

describe('a day on a standalone `catalyst sim`, in an account a person also uses', () => {
  let sim: CatalystSimProcess;
  let broker: Broker;
  let temp: TempDatabase;
  let home: string;
  let day: Record<string, unknown>;
  let simDay: Record<string, unknown>;
  let simTemp: TempDatabase;
  let manualOrderId: string;
  let carriedOverId: string;
  const heldBefore = { ...HOLDINGS, KO: '10' };

  beforeAll(async () => {
    // The clock starts 150 market minutes before the open (15 s here): time for `up` to start.
    sim = await startSimProcess([
      '--holdings',
      Object.entries(HOLDINGS)
        .map(([s, q]) => `${s}:${q}`)
        .join(','),
      '--scenario',
      'outage@11:00+20m',
      '--pre-open',
      '150',
    ]);
    broker = brokerAt(sim.url);
    // The person's own open GTC order, and a position Catalyst opened on an earlier date.
    manualOrderId = await personsGtcOrder(broker);
    carriedOverId = (await catalystEntry(broker, '2026-11-23', 'KO', 10)).id;
    temp = await createTempDatabase();
    home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    const paper = catalyst(['up', '--once', '--speed', String(SPEED), '--json'], envFor(sim.url, temp, home));
    // The embedded simulator's `up` starts while the paper day runs: its clean-up of stale
    // simulated days must not touch it, nor may its worker take the paper day's tasks.
    await new Promise((r) => setTimeout(r, 5_000));
    simTemp = await createTempDatabase();
    const embedded = catalyst(
      ['up', '--once', '--speed', String(SPEED), '--seed', '5', '--date', DATE, '--json'],
      {
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        DATABASE_URL: simTemp.url,
        CATALYST_HOME: mkdtempSync(join(tmpdir(), 'catalyst-home-')),
      },
    );
    const [run, simRun] = await Promise.all([paper, embedded]);
    if (run.code !== 0) throw new Error(`catalyst up (paper) failed (${run.code}):\n${run.stderr}`);
    if (simRun.code !== 0)
      throw new Error(`catalyst up (simulator) failed (${simRun.code}):\n${simRun.stderr}`);
    day = lastJson(run.stdout);
    simDay = lastJson(simRun.stdout);
  }, 400_000);
  afterAll(async () => {
    sim?.child.kill('SIGTERM');
    await temp?.drop();
    await simTemp?.drop();
  });

  it('runs a simulator day and a paper day of the same date at once, each on its own queue', async () => {
    expect(simDay).toMatchObject({ status: 'completed', venue: 'simulator', tradingDate: DATE });
    expect(simDay.workflowId).toBe(`trading-day-${DATE}-sim`);
    const client = new Client({
      connection: await Connection.connect({
        interceptors: temporalInterceptors(),
        address: inject('temporalAddress'),
      }),
    });
    try {
      const paperDesc = await client.workflow.getHandle(day.workflowId as string).describe();
      const simDesc = await client.workflow.getHandle(simDay.workflowId as string).describe();
      expect([paperDesc.status.name, simDesc.status.name]).toEqual(['COMPLETED', 'COMPLETED']);
      expect(paperDesc.taskQueue).toBe('catalyst-paper-PA0000000007');
      expect(simDesc.taskQueue).toBe('catalyst-sim');
      // Every entry at the standalone endpoint for this date was placed by the paper day.
      const entries = (await allBrokerOrders(broker)).filter(
        (o) =>
          parseClientOrderId(o.clientOrderId)?.tradingDate === DATE &&
          parseClientOrderId(o.clientOrderId)?.leg === 'entry',
      );
      expect(entries).toHaveLength(day.ordersSubmitted as number);
    } finally {
      await client.connection.close();
    }
  });

  it('trades the endpoint as a paper venue and completes the day with its own book flat', async () => {
    expect(day).toMatchObject({
      status: 'completed',
      venue: 'paper',
      tradingDate: DATE,
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
    });
    expect(day.workflowId).toBe(`trading-day-${DATE}-paper-PA0000000007`);
    expect(day.ordersSubmitted as number).toBeGreaterThan(0);
    const todays = (await allBrokerOrders(broker)).filter(
      (o) => parseClientOrderId(o.clientOrderId)?.tradingDate === DATE,
    );
    expect(todays.length).toBeGreaterThan(0);
    expect(todays.filter(isOpenOrder)).toEqual([]);
  });

  it('ends the day holding exactly what the account held before, its GTC order and the earlier date’s bracket still open', async () => {
    expect(await heldQty(broker)).toEqual(heldBefore);
    const open = await broker.listAllOrders({ status: 'open', nested: true });
    expect(open.map((o) => o.id).sort()).toEqual([manualOrderId, carriedOverId].sort());
    const carried = open.find((o) => o.id === carriedOverId)!;
    expect(carried.legs.filter(isOpenOrder)).toHaveLength(2);
    // Never a position of its own in a symbol the account already held.
    const entries = (await allBrokerOrders(broker)).filter(
      (o) =>
        parseClientOrderId(o.clientOrderId)?.tradingDate === DATE &&
        parseClientOrderId(o.clientOrderId)?.leg === 'entry',
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((o) => o.symbol in heldBefore)).toEqual([]);
  });

  it('rides out the 20-minute outage: a CRITICAL alert is recorded, the day completes flat', async () => {
    const alerts = readdirSync(join(home, 'outbox')).map((f) =>
      JSON.parse(readFileSync(join(home, 'outbox', f), 'utf8')),
    );
    const critical = alerts.filter((a) => a.severity === 'CRITICAL');
    expect(critical.map((a) => a.subject)).toContainEqual(expect.stringMatching(/monitor blind/i));
    const db = await createDatabase({ url: temp.url });
    try {
      const events = await riskEventsForDay(db.db, DATE);
      // What is not the day's own was reported, never traded.
      expect(
        events
          .filter((e) => e.eventType === 'foreign_position')
          .map((e) => e.symbol)
          .sort(),
      ).toEqual(Object.keys(heldBefore).sort());
    } finally {
      await db.close();
    }
  });
});

describe('`catalyst halt` with no trading day running', () => {
  let sim: CatalystSimProcess;
  let broker: Broker;
  let temp: TempDatabase;
  let run: Run;
  let manualOrderId: string;

  beforeAll(async () => {
    sim = await startSimProcess(['--holdings', 'AAPL:100']);
    broker = brokerAt(sim.url);
    manualOrderId = await personsGtcOrder(broker);
    await broker.submitOrder({
      clientOrderId: 'my-own-buy',
      symbol: 'MSFT',
      side: 'buy',
      qty: '3',
      type: 'market',
      timeInForce: 'day',
    });
    await catalystEntry(broker, DATE, 'KO', 10);
    await catalystEntry(broker, DATE, 'MSFT', 4);
    await until(async () => {
      const held = await heldQty(broker);
      return held.KO === '10' && held.MSFT === '7';
    }, 'the entries to fill');
    temp = await createTempDatabase();
    run = await catalyst(
      ['halt', '--reason', 'test: no day running', '--venue', 'paper', '--wait', '60', '--json'],
      envFor(sim.url, temp, mkdtempSync(join(tmpdir(), 'catalyst-home-'))),
    );
  }, 120_000);
  afterAll(async () => {
    sim?.child.kill('SIGTERM');
    await temp?.drop();
  });

  it("flattens Catalyst's book directly and says so", async () => {
    expect(run.code).toBe(0);
    const out = lastJson(run.stdout);
    expect(out).toMatchObject({ direct: true, halted: true, confirmed: true, flat: true, venue: 'paper' });
    expect((out.closedPositions as string[]).sort()).toEqual(['KO', 'MSFT']);
    const ours = (await allBrokerOrders(broker)).filter((o) => parseClientOrderId(o.clientOrderId));
    expect(ours.filter(isOpenOrder)).toEqual([]);
  });

  it('leaves the holdings and orders that are not Catalyst’s alone, even in a symbol it shared', async () => {
    expect(await heldQty(broker)).toEqual({ AAPL: '100', MSFT: '3' });
    const open = (await broker.listAllOrders({ status: 'open', nested: true })).map((o) => o.id);
    expect(open).toEqual([manualOrderId]);
  });

  it('records the stop: a CRITICAL risk event in the database', async () => {
    const db = await createDatabase({ url: temp.url });
    try {
      const events = await riskEventsForDay(db.db, DATE);
      expect(
        events.filter((e) => e.eventType === 'emergency_stop' && e.severity === 'CRITICAL'),
      ).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});

describe('Ctrl-C on `catalyst up` trading a paper venue', () => {
  let sim: CatalystSimProcess;
  let broker: Broker;
  let temp: TempDatabase;
  let output = '';
  let code: number | null;
  let client: Client;

  beforeAll(async () => {
    sim = await startSimProcess(['--holdings', 'AAPL:100', '--pre-open', '60']);
    broker = brokerAt(sim.url);
    temp = await createTempDatabase();
    const up = spawn(process.execPath, ['bin/catalyst.mjs', 'up', '--speed', String(SPEED)], {
      cwd: PROJECT_DIR,
      env: {
        ...process.env,
        NO_COLOR: '1',
        ...envFor(sim.url, temp, mkdtempSync(join(tmpdir(), 'catalyst-home-'))),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    up.stdout.on('data', (d: Buffer) => (output += d.toString()));
    up.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => up.on('close', (c) => resolve(c)));
    // Ctrl-C once Catalyst holds positions of its own.
    await until(
      async () => Object.keys(await heldQty(broker)).some((s) => s !== 'AAPL'),
      'Catalyst to hold a position',
      150_000,
    );
    up.kill('SIGINT');
    code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 150_000))]);
    if (code === null) up.kill('SIGKILL');
    client = new Client({
      connection: await Connection.connect({
        interceptors: temporalInterceptors(),
        address: inject('temporalAddress'),
      }),
    });
  }, 400_000);
  afterAll(async () => {
    // The halted day stays in Temporal with no worker: end it, or later halts would find it.
    for (const d of await runningTradingDays(client, { venue: 'paper' }))
      await client.workflow
        .getHandle(d.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    for await (const wf of client.workflow.list({
      query: `WorkflowType = 'PositionMonitorWorkflow' AND ExecutionStatus = 'Running'`,
    }))
      await client.workflow
        .getHandle(wf.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    await client?.connection.close();
    sim?.child.kill('SIGTERM');
    await temp?.drop();
  });

  it('flattens Catalyst’s positions first, says so, then stops', async () => {
    expect(code, output).toBe(0);
    expect(output).toMatch(/flattening Catalyst's positions before stopping/);
    expect(output).toMatch(/Catalyst's book is flat/);
    expect(output).toMatch(/stopped cleanly/);
  });

  it('leaves nothing of Catalyst’s open, and the account’s own holding alone', async () => {
    expect(await heldQty(broker)).toEqual({ AAPL: '100' });
    const ours = (await allBrokerOrders(broker)).filter((o) => parseClientOrderId(o.clientOrderId));
    expect(ours.filter(isOpenOrder)).toEqual([]);
  });
});

/**
 * Emergency stop → Catalyst flat at the broker. Each halt stops a running trading day that holds
 * positions: `catalyst worker` in its own process, the simulator in another, a Temporal dev server.
 *
 * Each halt gets a trading day of its own (the next session of the simulator: a halted day stays
 * halted, and a fresh date keeps every book the size of one day's):
 *
 *  1. at 09:31 the book is seeded through the broker API, as a day of that date would have sent it
 *     (a person at the broker could do the same): three bracket entries at market with Catalyst's
 *     client order ids (the day's book is read from the broker by those ids, so the day owns them),
 *     and one bracket entry resting far below the market;
 *  2. the clock moves to a random second (seeded) of 09:32, so the halts land at random points of
 *     the market minute;
 *  3. the day starts (supervised, so its own cycles place nothing) and runs until its position
 *     monitor has reported the positions;
 *  4. the halt: the emergency-stop signal through the Temporal client, exactly as `catalyst halt`
 *     sends it; then the simulator is read directly over HTTP every 10 ms until it shows no position
 *     and no open order. Also timed: the moment every remaining open order is an exit at market
 *     covering every position (Catalyst's part is done; the rest is the market's next minute);
 *  5. the day and its monitor are terminated.
 *
 * The simulator fills market orders on arrival (`catalyst sim --market-fills on-arrival`), as an
 * exchange fills a marketable order in regular hours; `--next-open 1` measures its reproducible
 * default instead, where every exit waits for the next minute's open (on average 30 s at ×1).
 *
 * `--during-scan 1` starts each day ten seconds before its first cycle and halts it as that cycle
 * begins, as the scan's requests start to draw on Catalyst's request budget.
 *
 * Run: `npm run bench -- halt-latency [--halts 50] [--speed 1] [--next-open 0] [--during-scan 0]`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { nextTradingDay, sessionBoundsMs } from '../src/domain/calendar';
import { clientOrderId, parseClientOrderId } from '../src/domain/clientOrderId';
import { positionMonitorWorkflowId } from '../src/shared';
import {
  emergencyStopOutcomeQuery,
  emergencyStopSignal,
  statusQuery,
  type EmergencyStopOutcome,
} from '../src/workflows/messages';
import type { TradingDayWorkflow } from '../src/workflows/tradingDay';
import type { MarketFills } from '../src/sim/startSimulator';
import { mulberry32 } from '../test/support/mulberry32';
import type { BenchOutcome, SubBench } from './index';
import { describeLoad, onMachine } from './machine';
import { startProcessStack, type ProcessStack } from './processStack';
import { quantile, round } from './stats';

const FIRST_DATE = '2026-11-02';
const SEED = 5;
const MINUTE_MS = 60_000;
const POLL_MS = 10;
/** Liquid names: each trades every minute, so market orders fill at once (or at the next minute's open). */
const SYMBOLS = ['AAPL', 'MSFT', 'KO', 'JPM', 'XOM', 'PG', 'JNJ', 'WMT', 'PFE', 'INTC', 'CSCO', 'BAC'];
const HELD = 3;
const SHARES = 10;
const TARGET_P99_MS = 1_000;

interface WireOrder {
  id: string;
  client_order_id: string;
  symbol: string;
  side: string;
  type: string;
}

interface HaltRecord {
  n: number;
  tradingDate: string;
  /** Market second of the minute when the signal went. */
  secondOfMinute: number;
  /** Signal sent → every open order an exit at market covering every position. */
  exitsMs: number;
  /** Signal sent → no position and no open order. */
  flatMs: number;
  /** Of flatMs: from the exits at the broker to the minute's open that filled them. */
  marketWaitMs: number;
  positionsClosed: string[];
  sharesSold: number;
  ordersCancelled: number;
  /** When the broker recorded each cancel and each exit, ms after the signal (its market clock ÷ speed). */
  brokerTimeline: { cancelsMs: number[]; exitsMs: number[] };
  /** The stop's own account of its first pass(es), as `catalyst halt` prints it (null if not yet published). */
  outcome: Pick<EmergencyStopOutcome, 'cancelledOrders' | 'closedPositions' | 'passes' | 'done'> | null;
}

/** The simulator's view, read straight over HTTP (the bench's own reads, not Catalyst's). */
function simReader(stack: ProcessStack) {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${stack.sim.url}${path}`, { headers: stack.simHeaders });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  return async () => {
    const [positions, open] = await Promise.all([
      get<{ symbol: string }[]>('/v2/positions'),
      get<WireOrder[]>('/v2/orders?status=open&limit=500'),
    ]);
    const held = new Set(positions.map((p) => p.symbol));
    const exits = open.filter(
      (o) =>
        o.side === 'sell' &&
        o.type === 'market' &&
        parseClientOrderId(o.client_order_id) !== null &&
        parseClientOrderId(o.client_order_id)!.leg !== 'entry',
    );
    return {
      flat: positions.length === 0 && open.length === 0,
      exitsAtBroker:
        exits.length === open.length && [...held].every((s) => exits.some((o) => o.symbol === s)),
      held: [...held],
    };
  };
}

/** The day's book for one halt, through the broker API: Catalyst's ids of that date. */
async function seedBook(stack: ProcessStack, tradingDate: string, symbols: string[]): Promise<void> {
  const entry = (symbol: string, cycle: number) =>
    clientOrderId({ tradingDate, cycle, symbol, leg: 'entry' });
  for (const symbol of symbols.slice(0, HELD))
    await stack.broker.submitBracketOrder({
      clientOrderId: entry(symbol, 1),
      symbol,
      side: 'buy',
      qty: SHARES,
      entryType: 'market',
      takeProfitLimitPrice: '9000.00',
      stopLossStopPrice: '1.00',
      timeInForce: 'day',
    });
  await stack.broker.submitBracketOrder({
    clientOrderId: entry(symbols[HELD]!, 1),
    symbol: symbols[HELD]!,
    side: 'buy',
    qty: SHARES,
    entryType: 'limit',
    limitPrice: '1.00',
    takeProfitLimitPrice: '9000.00',
    stopLossStopPrice: '0.50',
    timeInForce: 'day',
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (performance.now() > deadline) throw new Error(`halt-latency: timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function oneHalt(
  stack: ProcessStack,
  n: number,
  tradingDate: string,
  speed: number,
  random: () => number,
  duringScan: boolean,
): Promise<HaltRecord> {
  const read = simReader(stack);
  const openMs = sessionBoundsMs(tradingDate)!.openMs;
  const pick = [...SYMBOLS];
  for (let i = pick.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pick[i], pick[j]] = [pick[j]!, pick[i]!];
  }
  // Wall time allowed for things that take market time: a minute or two of it, and never under 30 s.
  const patience = Math.max(30_000, (3 * MINUTE_MS) / speed);

  await stack.sim.advanceTo(openMs + MINUTE_MS + 5_000);
  await seedBook(stack, tradingDate, pick);
  const second = Math.floor(random() * 59_000);
  // During a scan: the day starts ten seconds before its first cycle (09:35) and the halt goes as
  // that cycle begins, when the scan's snapshot requests have Catalyst's request budget drained.
  await stack.sim.advanceTo(openMs + (duringScan ? 4 * MINUTE_MS + 50_000 : 2 * MINUTE_MS + 1_000 + second));
  const held = await waitFor('the seeded entries to fill', patience, async () => {
    const r = await read();
    return r.held.length === HELD ? r.held : null;
  });

  const handle: WorkflowHandle<typeof TradingDayWorkflow> = await stack.startDay(tradingDate, 'supervised');
  try {
    await waitFor('the day to hold its positions', patience, async () => {
      const s = await handle.query(statusQuery);
      return s.phase === 'trading' && s.openPositions >= held.length ? s : null;
    });
    if (duringScan)
      await waitFor('the first cycle to begin', patience, async () => {
        const s = await handle.query(statusQuery);
        return s.cycle >= 1 ? s : null;
      });

    const requestId = `bench-halt-${n}`;
    const marketAtSignal = await stack.sim.nowMs();
    const t0 = performance.now();
    await handle.signal(emergencyStopSignal, { reason: 'bench: halt latency', source: 'cli', requestId });
    let exitsMs: number | null = null;
    let flatMs: number | null = null;
    const deadline = t0 + patience;
    while (flatMs === null) {
      const tick = performance.now();
      const r = await read();
      const at = performance.now() - t0;
      if (exitsMs === null && (r.exitsAtBroker || r.flat)) exitsMs = at;
      if (r.flat) flatMs = at;
      else if (tick > deadline) throw new Error(`halt ${n}: not flat ${patience} ms after the signal`);
      else await sleep(Math.max(0, POLL_MS - (performance.now() - tick)));
    }
    const outcome = await handle.query(emergencyStopOutcomeQuery, requestId).catch(() => null);

    // What the stop did at the broker: the day's orders cancelled and sold since the signal.
    const since = (iso: string | null): boolean => iso !== null && Date.parse(iso) >= marketAtSignal;
    const orders = (
      await stack.broker.listAllOrders({
        status: 'all',
        nested: true,
        after: new Date(openMs - 10 * 3_600_000).toISOString(),
      })
    )
      .filter((o) => parseClientOrderId(o.clientOrderId)?.tradingDate === tradingDate)
      .flatMap((o) => [o, ...o.legs]);
    const sells = orders.filter((o) => o.side === 'sell' && o.type === 'market' && since(o.filledAt));
    const afterSignal = (times: (string | null)[]): number[] =>
      times
        .filter(since)
        .map((iso) => Math.round((Date.parse(iso!) - marketAtSignal) / speed))
        .sort((a, b) => a - b);
    const filledAt = Math.max(...sells.map((o) => Date.parse(o.filledAt!)));
    const exitsMarketMs = marketAtSignal + exitsMs! * speed;
    return {
      n,
      tradingDate,
      secondOfMinute: round((marketAtSignal % MINUTE_MS) / 1000, 1),
      exitsMs: round(exitsMs!, 1),
      flatMs: round(flatMs, 1),
      marketWaitMs: sells.length ? round(Math.max(0, filledAt - exitsMarketMs) / speed, 1) : 0,
      positionsClosed: sells.map((o) => o.symbol).sort(),
      sharesSold: sells.reduce((sum, o) => sum + Number(o.filledQty), 0),
      ordersCancelled: orders.filter((o) => since(o.canceledAt)).length,
      brokerTimeline: {
        cancelsMs: afterSignal(orders.map((o) => o.canceledAt)),
        exitsMs: afterSignal(sells.map((o) => o.submittedAt ?? o.createdAt)),
      },
      outcome: outcome
        ? {
            cancelledOrders: outcome.cancelledOrders,
            closedPositions: outcome.closedPositions,
            passes: outcome.passes,
            done: outcome.done,
          }
        : null,
    };
  } finally {
    await handle.terminate('halt-latency bench: next halt').catch(() => undefined);
    await stack.client.workflow
      .getHandle(positionMonitorWorkflowId(handle.workflowId))
      .terminate('halt-latency bench: next halt')
      .catch(() => undefined);
  }
}

async function measure(
  halts: number,
  speed: number,
  marketFills: MarketFills,
  duringScan: boolean,
  log: (line: string) => void,
): Promise<HaltRecord[]> {
  log(
    `halt-latency: ${halts} halts at speed ×${speed}, market orders filled ${marketFills}${duringScan ? ', each as the first scan begins' : ''}, one trading day each from ${FIRST_DATE}…`,
  );
  const stack = await startProcessStack({
    seed: SEED,
    speed,
    date: FIRST_DATE,
    log,
    simulator: { trading: { marketFills } },
  });
  const random = mulberry32(SEED);
  try {
    await stack.addWorker();
    const records: HaltRecord[] = [];
    let date = FIRST_DATE;
    for (let n = 1; n <= halts; n++) {
      const r = await oneHalt(stack, n, date, speed, random, duringScan);
      records.push(r);
      log(
        `halt ${n}/${halts} (${date}, :${String(Math.floor(r.secondOfMinute)).padStart(2, '0')}): exits at the broker ${r.exitsMs} ms, flat ${r.flatMs} ms (${r.positionsClosed.join(' ')} sold, ${r.ordersCancelled} orders cancelled)`,
      );
      date = nextTradingDay(date);
    }
    return records;
  } finally {
    await stack.close();
  }
}

const spread = (xs: number[]) => ({
  p50: round(quantile(xs, 0.5), 1),
  p99: round(quantile(xs, 0.99), 1),
  max: round(Math.max(...xs), 1),
});

export async function runHaltLatencyBench(
  log: (line: string) => void,
  options: Readonly<Record<string, number>>,
): Promise<BenchOutcome> {
  const halts = Math.max(1, Math.round(options.halts ?? 50));
  const speed = options.speed ?? 1;
  const marketFills: MarketFills = options['next-open'] ? 'next-open' : 'on-arrival';
  const duringScan = Boolean(options['during-scan']);
  const { result: records, machine } = await onMachine(() =>
    measure(halts, speed, marketFills, duringScan, log),
  );
  const flat = spread(records.map((r) => r.flatMs));
  const exits = spread(records.map((r) => r.exitsMs));
  const marketWait = spread(records.map((r) => r.marketWaitMs));
  const json = {
    halts: records.length,
    speed,
    seed: SEED,
    marketFills,
    duringScan,
    flatMs: flat,
    exitsAtBrokerMs: exits,
    marketWaitMs: marketWait,
    targetP99Ms: TARGET_P99_MS,
    perHalt: records,
    book: `${HELD} positions of ${SHARES} shares, each with its two bracket legs working, and one resting bracket entry`,
    machine,
  };
  const table = [
    `### Emergency stop → flat at the broker (${records.length} halts, speed ×${speed}, market orders filled ${marketFills}${duringScan ? ', as the first scan begins' : ''}; ${describeLoad(machine)})`,
    '',
    '| signal → … | p50 | p99 | max | target p99 |',
    '| --- | --: | --: | --: | --- |',
    `| every open order an exit at market, covering every position | ${exits.p50} ms | ${exits.p99} ms | ${exits.max} ms | |`,
    `| no position and no open order (flat) | ${flat.p50} ms | ${flat.p99} ms | ${flat.max} ms | ≤ ${TARGET_P99_MS} ms |`,
    `| of which: exits waiting for the next minute's open | ${marketWait.p50} ms | ${marketWait.p99} ms | ${marketWait.max} ms | |`,
    '',
    `Each halt flattened ${json.book}: the broker recorded ${quantile(
      records.map((r) => r.ordersCancelled),
      0.5,
    )} cancels (median; the legs, the resting entry and its held legs) and ${HELD} exits at market.`,
  ].join('\n');
  return { json, table };
}

export const haltLatencyBench: SubBench = {
  name: 'halt-latency',
  summary: 'emergency stop → Catalyst flat at the broker, p50/p99 over many halts',
  options: {
    halts: { default: 50, help: 'halts, one trading day each' },
    speed: { default: 1, help: "the simulator's clock speed" },
    'during-scan': {
      default: 0,
      help: "1: each halt goes as the day's first cycle begins (its scan has the request budget drained), not before it",
    },
    'next-open': {
      default: 0,
      help: "1: the simulator fills market orders at the next minute's open (its reproducible default), not on arrival",
    },
  },
  run: runHaltLatencyBench,
};

/**
 * Reconciliation: Catalyst's book read from the broker (its own orders, the shares they filled,
 * apart from everything else in the account), the actions that keep it safe — the monitor's
 * backstops, the flatten, the emergency stop, the flat check — and the bookkeeping that writes
 * it to the database. The rules are pure (src/domain/positions); this module does the I/O.
 *
 * Enforcement reads and acts on the broker alone; bookkeeping is a separate step, so a database
 * outage can never hold back a stop, an exit or a flatten.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrokerOrder } from '../broker/port';
import type { CatalystDb } from '../db/createDatabase';
import { ordersForDay, upsertOrder } from '../db/repositories/orders';
import { upsertPosition } from '../db/repositories/positions';
import { recordRiskEvent } from '../db/repositories/riskEvents';
import { nyTimeToUtcMs } from '../domain/calendar';
import { parseClientOrderId } from '../domain/clientOrderId';
import { formatMicros, toMicros } from '../domain/money';
import {
  backstopReason,
  catalystBook,
  dailyLossLevel,
  flattenOrders,
  isOpenOrder,
  legRoleOf,
  planExit,
  positionRecords,
  staleEntries,
  type BackstopReason,
  type CatalystBook,
  type Holding,
} from '../domain/positions';
import type { ActivityDeps } from './deps';
import type {
  DaySummary,
  ExitSent,
  FlatCheck,
  FlattenOutcome,
  GuardInput,
  GuardReport,
  RecordBookInput,
  RecordBookOutcome,
  SymbolFailure,
} from './types';

/** An entry unfilled this long after it was sent has seen the price run past its limit: cancel it. */
export const ENTRY_FILL_WINDOW_MINUTES = 5;
/** Reads of orders, positions, orders until the two order reads agree (fills keep landing). */
const CONSISTENT_READ_ATTEMPTS = 3;
/** How long to wait for cancels to land before selling (wall clock: the broker acts in milliseconds). */
const CANCEL_SETTLE_POLLS = 10;
const CANCEL_SETTLE_MS = 150;
const MAX_LISTED_SYMBOLS = 20;

export type BrokerDeps = Pick<ActivityDeps, 'broker'>;

export interface ReadBookOptions {
  /** null = Catalyst's orders of every date since `sinceMs` (the operator's halt with no day running). */
  tradingDate: string | null;
  sinceMs?: number;
}

/**
 * Catalyst's book as the broker holds it now: every page of the date's orders, and the positions.
 * Orders and positions are two requests; a fill landing between them would show shares no order
 * explains (reported as someone else's holding). So the orders are read on both sides of the
 * positions and the read is repeated until they agree.
 */
export async function readBook(deps: BrokerDeps, opts: ReadBookOptions): Promise<CatalystBook> {
  const after =
    opts.tradingDate !== null
      ? new Date(nyTimeToUtcMs(opts.tradingDate, '00:00') - 1).toISOString()
      : opts.sinceMs !== undefined
        ? new Date(opts.sinceMs).toISOString()
        : undefined;
  const listOrders = () => deps.broker.listAllOrders({ status: 'all', nested: true, after });
  const fills = (orders: readonly BrokerOrder[]): string =>
    flattenOrders(orders)
      .map((o) => `${o.id}:${o.filledQty}`)
      .join(',');
  let orders = await listOrders();
  for (let attempt = 1; ; attempt++) {
    const positions = await deps.broker.listPositions();
    const again = await listOrders();
    if (fills(again) === fills(orders) || attempt === CONSISTENT_READ_ATTEMPTS)
      return catalystBook({ orders: again, positions, tradingDate: opts.tradingDate });
    orders = again;
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export interface ExitProgress {
  /** Called between broker requests (activities heartbeat here, and learn of cancellation). */
  beat?: (detail: string) => void;
}

export interface ExitOutcome extends FlattenOutcome {
  book: CatalystBook;
}

/**
 * Gets Catalyst out of the holdings `select` picks: cancel its working orders there, wait for the
 * cancels to land, then sell its own shares (one market order each, deterministic id). Each
 * symbol is handled on its own: one that fails leaves the others' handling intact. Symbols go side
 * by side (a stop must not wait for N round trips one after another; the request budget's safety
 * reserve paces them, safetyLane.ts); one symbol's requests go in order.
 */
export async function exitHoldings(
  deps: BrokerDeps,
  read: () => Promise<CatalystBook>,
  select: (h: Holding) => boolean,
  progress: ExitProgress = {},
): Promise<ExitOutcome> {
  const beat = progress.beat ?? (() => {});
  let book = await read();
  const symbols = new Set(book.holdings.filter(select).map((h) => h.symbol));
  const failures = new Map<string, string>();
  /** The selected holdings of the book as last read, but those that failed. */
  const pending = (): Holding[] =>
    book.holdings.filter((h) => symbols.has(h.symbol) && !failures.has(h.symbol));
  let cancelledOrders = 0;

  const cancelPass = async (): Promise<number> => {
    let sent = 0;
    const cancelHolding = async (h: Holding): Promise<void> => {
      for (const o of planExit(h).cancel) {
        sent += 1;
        if (o.status === 'pending_cancel') continue; // asked already: only wait for it
        beat(`cancel ${o.clientOrderId || o.id}`);
        try {
          const outcome = await deps.broker.cancelOrder(o.id);
          if (outcome === 'requested') cancelledOrders += 1;
        } catch (err) {
          failures.set(h.symbol, `cancel ${o.id}: ${messageOf(err)}`);
        }
      }
    };
    await Promise.all(pending().map(cancelHolding));
    return sent;
  };

  for (let poll = 0; poll < CANCEL_SETTLE_POLLS && (await cancelPass()) > 0; poll++) {
    await sleep(poll === 0 ? 0 : CANCEL_SETTLE_MS);
    book = await read();
  }

  const exitsWorking: string[] = [];
  const exitHolding = async (h: Holding): Promise<ExitSent | null> => {
    const plan = planExit(h);
    if (plan.workingExit) {
      exitsWorking.push(h.symbol);
      return null;
    }
    if (plan.cancel.length > 0) {
      failures.set(
        h.symbol,
        `orders still working after cancel: ${plan.cancel.map((o) => o.status).join(', ')}`,
      );
      return null;
    }
    if (plan.sellQty <= 0 || !plan.clientOrderId) return null;
    beat(`exit ${plan.clientOrderId}`);
    try {
      const order = await deps.broker.submitOrder({
        clientOrderId: plan.clientOrderId,
        symbol: h.symbol,
        side: 'sell',
        qty: String(plan.sellQty),
        type: 'market',
        timeInForce: 'day',
      });
      return { symbol: h.symbol, clientOrderId: order.clientOrderId, qty: plan.sellQty };
    } catch (err) {
      failures.set(h.symbol, messageOf(err));
      return null;
    }
  };
  const sent = await Promise.all(pending().map(exitHolding));
  const exits = sent.filter((e): e is ExitSent => e !== null);
  return {
    book,
    cancelledOrders,
    exits,
    exitsWorking,
    failures: [...failures].map(([symbol, message]) => ({ symbol, message })),
  };
}

/**
 * Cancels Catalyst's entries that have not filled (a loss-limit stop that keeps positions): the
 * holdings without shares. An entry filling meanwhile leaves shares, which are sold with it: no
 * new exposure survives the stop.
 */
export function cancelCatalystEntries(
  deps: BrokerDeps,
  opts: ReadBookOptions,
  progress: ExitProgress = {},
): Promise<ExitOutcome> {
  return exitHoldings(
    deps,
    () => readBook(deps, opts),
    (h) => h.closableQty === 0 && h.orders.some(isOpenOrder),
    progress,
  );
}

/** Cancels Catalyst's working orders and sells all its shares (the close, the emergency stop, `catalyst halt`). */
export function flattenCatalystBook(
  deps: BrokerDeps,
  opts: ReadBookOptions,
  progress: ExitProgress = {},
): Promise<ExitOutcome> {
  return exitHoldings(
    deps,
    () => readBook(deps, opts),
    () => true,
    progress,
  );
}

export async function checkFlat(deps: BrokerDeps, tradingDate: string): Promise<FlatCheck> {
  const [book, clock] = await Promise.all([readBook(deps, { tradingDate }), deps.broker.getClock()]);
  return {
    openPositions: book.openPositions,
    openOrders: book.openOrders,
    symbols: book.holdings
      .filter((h) => h.closableQty > 0 || h.orders.some(isOpenOrder))
      .map((h) => h.symbol),
    foreignPositions: book.foreignPositions.length,
    foreignOrders: book.foreignOrders.length,
    nowMs: Date.parse(clock.timestamp),
    isOpen: clock.isOpen,
  };
}

/**
 * The monitor's tick: read the broker, cancel stale entries, exit holdings past the max hold or
 * through their stop with no stop working, and grade the day's loss. No database.
 */
export async function guardPositions(
  deps: Pick<ActivityDeps, 'broker' | 'settings'>,
  input: GuardInput,
  progress: ExitProgress & {
    /** Sees the tick's book as read, before the guard acts (the worker's fill metrics). */
    onBook?: (book: CatalystBook) => void;
  } = {},
): Promise<GuardReport> {
  // One snapshot for the whole tick: a hot reload takes effect at the next tick (within a minute).
  const { risk, trading } = deps.settings.current();
  const maxHoldMinutes = trading.positions.max_hold_time_minutes;
  const [book, clock] = await Promise.all([
    readBook(deps, { tradingDate: input.tradingDate }),
    deps.broker.getClock(),
  ]);
  const nowMs = Date.parse(clock.timestamp);
  progress.onBook?.(book);
  const closeFailures: SymbolFailure[] = [];

  const staleEntriesCancelled: string[] = [];
  for (const o of staleEntries(book.orders, nowMs, ENTRY_FILL_WINDOW_MINUTES)) {
    progress.beat?.(`cancel stale entry ${o.clientOrderId}`);
    try {
      if ((await deps.broker.cancelOrder(o.id)) === 'requested') staleEntriesCancelled.push(o.clientOrderId);
    } catch (err) {
      closeFailures.push({ symbol: o.symbol, message: `cancel stale entry: ${messageOf(err)}` });
    }
  }

  // Halted, nothing of Catalyst's may stay open: a placement that landed late is closed too.
  const reasons = new Map<string, BackstopReason | 'halted'>();
  for (const h of book.holdings) {
    const reason = input.halted ? 'halted' : backstopReason(h, nowMs, maxHoldMinutes);
    if (reason) reasons.set(h.symbol, reason);
  }
  const exits: GuardReport['exits'] = [];
  if (reasons.size > 0) {
    let first = true;
    const outcome = await exitHoldings(
      deps,
      // The book was just read: use it for the first pass, re-read after cancels.
      async () => (first ? ((first = false), book) : readBook(deps, { tradingDate: input.tradingDate })),
      (h) => reasons.has(h.symbol),
      progress,
    );
    for (const e of outcome.exits) {
      const h = book.holdings.find((x) => x.symbol === e.symbol);
      exits.push({
        ...e,
        reason: reasons.get(e.symbol)!,
        price: h?.currentPrice ?? null,
        stopPrice: h?.stopPrice ?? null,
      });
    }
    closeFailures.push(...outcome.failures);
  }

  const level = dailyLossLevel(
    book.dailyPnl,
    risk.daily_limits.max_loss,
    risk.daily_limits.warning_threshold_pct,
  );
  const foreignSymbols = [
    ...new Set([...book.foreignPositions.map((p) => p.symbol), ...book.foreignOrders.map((o) => o.symbol)]),
  ];
  return {
    marketTimeMs: nowMs,
    openPositions: book.openPositions,
    openOrders: book.openOrders,
    foreignPositions: book.foreignPositions.length,
    foreignOrders: book.foreignOrders.length,
    realizedPnl: book.realizedPnl,
    unrealizedPnl: book.unrealizedPnl,
    dailyPnl: book.dailyPnl,
    closedByMonitor: exits.map((e) => e.symbol),
    dailyLossLevel: level,
    lossLimit: {
      maxLoss: risk.daily_limits.max_loss,
      emergencyStop: risk.daily_limits.emergency_stop_at_100,
      closePositions: risk.emergency_actions.close_all_positions_on_limit,
      haltNewTrades: risk.emergency_actions.halt_new_trades,
      sendAlert: risk.emergency_actions.send_email_alert,
      cooldownMinutes: risk.emergency_actions.cooldown_period_minutes,
    },
    exits,
    staleEntriesCancelled,
    closeFailures,
    foreignSymbols: foreignSymbols.slice(0, MAX_LISTED_SYMBOLS),
    anomalies: book.anomalies.slice(0, MAX_LISTED_SYMBOLS),
  };
}

/** Last (status, fills, update time) written per broker order id, so ticks only write what changed. */
export type OrderVersions = Map<string, string>;

const brokerTime = (o: BrokerOrder): string =>
  o.updatedAt ?? o.filledAt ?? o.canceledAt ?? o.submittedAt ?? o.createdAt;

/** Writes Catalyst's orders (legs linked to their parents) as the broker reports them now. */
export async function recordOrders(
  deps: { db: CatalystDb; accountId: string },
  tradingDate: string,
  orders: readonly BrokerOrder[],
  opts: { cycleId?: string; versions?: OrderVersions } = {},
): Promise<number> {
  let written = 0;
  for (const parent of orders) {
    for (const o of [parent, ...parent.legs]) {
      const leg = o === parent ? undefined : parent;
      const version = `${o.status}|${o.filledQty}|${o.filledAvgPrice}|${brokerTime(o)}`;
      if (opts.versions?.get(o.id) === version) continue;
      await upsertOrder(deps.db, {
        accountId: deps.accountId,
        brokerOrderId: o.id,
        clientOrderId: o.clientOrderId,
        cycleId: opts.cycleId ?? null,
        tradingDate,
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        orderClass: o.orderClass,
        legRole: legRoleOf(o, leg),
        parentBrokerOrderId: leg?.id ?? null,
        qty: o.qty,
        filledQty: o.filledQty,
        filledAvgPrice: o.filledAvgPrice,
        limitPrice: o.limitPrice,
        stopPrice: o.stopPrice,
        status: o.status,
        submittedAt: o.submittedAt,
        filledAt: o.filledAt,
        canceledAt: o.canceledAt,
        // The broker's own clock decides which snapshot is newer, never the worker's.
        updatedAt: brokerTime(o),
      });
      opts.versions?.set(o.id, version);
      written += 1;
    }
  }
  return written;
}

/**
 * The bookkeeping half of a tick: Catalyst's orders and positions into the database, the guard's
 * actions and the day's loss level as risk events, and the account's other holdings reported once.
 */
export async function recordBook(
  deps: Pick<ActivityDeps, 'broker' | 'db' | 'accountId'>,
  input: RecordBookInput,
  cache?: {
    orders: OrderVersions;
    records: { get(k: string): string | undefined; set(k: string, v: string): void };
  },
): Promise<RecordBookOutcome> {
  const { tradingDate } = input;
  const book = await readBook(deps, { tradingDate });
  const ordersWritten = await recordOrders(deps, tradingDate, book.orders as BrokerOrder[], {
    versions: cache?.orders,
  });
  const stored = await ordersForDay(deps.db, deps.accountId, tradingDate);
  const cycleOf = new Map(stored.map((o) => [o.clientOrderId, o.cycleId]));
  const prices = new Map(book.holdings.map((h) => [h.symbol, h.currentPrice]));
  // A write whose content this worker wrote before is skipped (ticks write what changed); the
  // version is remembered only once the write succeeded, so a failed write is tried again.
  const once = async (key: string, version: unknown, write: () => Promise<unknown>): Promise<void> => {
    const text = JSON.stringify(version);
    if (cache?.records.get(key) === text) return;
    await write();
    cache?.records.set(key, text);
  };

  const records = positionRecords(book);
  for (const p of records) {
    const price = prices.get(p.symbol) ?? null;
    const version = [p, price, cycleOf.get(p.entryClientOrderId)];
    await once(`position/${deps.accountId}/${p.entryClientOrderId}`, version, () =>
      upsertPosition(deps.db, {
        accountId: deps.accountId,
        tradingDate,
        symbol: p.symbol,
        cycleId: cycleOf.get(p.entryClientOrderId) ?? null,
        entryClientOrderId: p.entryClientOrderId,
        side: 'long',
        qty: p.qty,
        entryPrice: p.entryPrice,
        stopPrice: p.stopPrice,
        takeProfitPrice: p.takeProfitPrice,
        openedAt: p.openedAt,
        status: p.status,
        currentPrice: price,
        unrealizedPnl:
          price && p.status === 'open'
            ? formatMicros((toMicros(price) - toMicros(p.entryPrice)) * BigInt(p.openQty), 6)
            : null,
        exitPrice: p.exitPrice,
        realizedPnl: p.realizedPnl,
        exitReason: p.status === 'closed' ? p.exitReason : null,
        closedAt: p.closedAt,
      }),
    );
  }

  // Events are recorded once per key (the table ignores repeats); the cache spares the round trip.
  const event = (e: Parameters<typeof recordRiskEvent>[1]): Promise<void> =>
    once(`event/${e.eventKey}`, true, () => recordRiskEvent(deps.db, e));
  const guard = input.guard;
  for (const x of guard?.exits ?? []) {
    await event({
      eventKey: `${deps.accountId}/${x.clientOrderId}`,
      tradingDate,
      eventType: x.reason,
      severity: 'WARNING',
      symbol: x.symbol,
      message:
        x.reason === 'max_hold_exit'
          ? `${x.symbol} held past the max hold time: sold ${x.qty} (${x.clientOrderId})`
          : x.reason === 'halted'
            ? `${x.symbol} held while the day is halted: sold ${x.qty} (${x.clientOrderId})`
            : `${x.symbol} at ${x.price} is through its stop ${x.stopPrice} with no stop order working: sold ${x.qty} (${x.clientOrderId})`,
      details: { ...x },
    });
  }
  for (const id of guard?.staleEntriesCancelled ?? []) {
    await event({
      eventKey: `${deps.accountId}/${id}/stale-entry`,
      tradingDate,
      eventType: 'entry_unfilled',
      severity: 'INFO',
      symbol: parseClientOrderId(id)?.symbol ?? null,
      message: `entry ${id} unfilled after ${ENTRY_FILL_WINDOW_MINUTES} market minutes: cancelled`,
    });
  }
  // A loss that jumps past the limit in one tick crossed the warning threshold on the way: both are recorded.
  const levels =
    guard?.dailyLossLevel === 'limit'
      ? ['warning', 'limit']
      : guard?.dailyLossLevel === 'warning'
        ? ['warning']
        : [];
  for (const level of levels) {
    await event({
      eventKey: `${deps.accountId}/${tradingDate}/daily-loss-${level}`,
      tradingDate,
      eventType: level === 'limit' ? 'daily_loss_limit' : 'daily_loss_warning',
      severity: level === 'limit' ? 'CRITICAL' : 'WARNING',
      message:
        level === 'limit'
          ? `Catalyst's daily P&L ${guard!.dailyPnl} reached its loss limit`
          : `Catalyst's daily P&L ${guard!.dailyPnl} passed the loss warning threshold`,
      details: { realized: guard!.realizedPnl, unrealized: guard!.unrealizedPnl },
    });
  }
  // One row per symbol and day: a holding bought by hand later in the day is reported too.
  for (const p of book.foreignPositions) {
    await event({
      eventKey: `${deps.accountId}/${tradingDate}/foreign-position/${p.symbol}`,
      tradingDate,
      eventType: 'foreign_position',
      severity: 'WARNING',
      symbol: p.symbol,
      message: `${p.qty} ${p.symbol} in the account are not Catalyst's: left untouched, counted as exposure`,
      details: { qty: p.qty },
    });
  }
  for (const o of book.foreignOrders) {
    await event({
      eventKey: `${deps.accountId}/${tradingDate}/foreign-order/${o.id}`,
      tradingDate,
      eventType: 'foreign_order',
      severity: 'WARNING',
      symbol: o.symbol,
      message: `open ${o.side} order ${o.clientOrderId || o.id} in ${o.symbol} is not Catalyst's: left untouched`,
      details: { ...o },
    });
  }
  return {
    ordersWritten,
    positionsWritten: records.length,
    foreignPositions: book.foreignPositions,
    foreignOrders: book.foreignOrders.length,
  };
}

/** The day's figures from the broker's record of Catalyst's own orders. */
export function summarize(book: CatalystBook): DaySummary {
  const all = flattenOrders(book.orders);
  return {
    ordersSubmitted: book.orders.filter((o) => legRoleOf(o) === 'entry').length,
    fills: all.filter((o) => Number(o.filledQty) > 0).length,
    realizedPnl: book.realizedPnl,
    openPositionsAtClose: book.openPositions,
    openOrdersAtClose: book.openOrders,
  };
}

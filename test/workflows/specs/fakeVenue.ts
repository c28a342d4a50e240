/**
 * A small fake venue for the workflow specs: an in-memory market clock that moves at the day's
 * speed, an in-memory book of Catalyst's orders and positions, and one stub per activity of the
 * `Activities` contract (src/activities/types.ts). Tests flip switches (broker down, an outage
 * window, database down, a failing activity, a symbol that cannot close, broken alerts, a slow
 * placement) and read the recorder of every call with the market time it started at.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type {
  Activities,
  FlatCheck,
  CooldownInput,
  GuardReport,
  LossLimitPolicy,
  PlacementResult,
  RiskDecisionSummary,
} from '../../../src/activities/types';
import { createDrivenClockActivities } from '../../../src/activities/drivenClock';
import { nyTimeToUtcMs } from '../../../src/domain/calendar';
import { createDrivenClock, type DrivenClock } from '../../../src/sim/clock/drivenClock';
import {
  NO_BACKTEST_FIGURES,
  type DayConfig,
  type MarketClockReading,
  type MarketDay,
} from '../../../src/workflows/messages';

export const MINUTE = 60_000;
export type ActivityName = keyof Activities;
type LossLevel = GuardReport['dailyLossLevel'];

/**
 * Market time that moves at `speed` × wall time once started (at the day's first activity), or,
 * driven, only when the driven clock moves it.
 */
export class MarketClock {
  private wallAnchor: number | null = null;
  constructor(
    private startMs: number,
    readonly speed: number,
    readonly driven = false,
  ) {}

  start(): void {
    if (!this.driven) this.wallAnchor ??= performance.now();
  }

  now(): number {
    if (this.wallAnchor === null) return this.startMs;
    return Math.floor(this.startMs + (performance.now() - this.wallAnchor) * this.speed);
  }

  advanceTo(ms: number): void {
    if (!this.driven) throw new Error('a wall clock is not driven');
    this.startMs = Math.max(this.startMs, ms);
  }
}

export interface Call {
  /** Order of the call among every venue's calls in this process. */
  seq: number;
  name: ActivityName;
  /** Market time when the call started. */
  atMs: number;
  /** Wall time when it started (performance.now()), for diagnosing latency. */
  wallMs: number;
  attempt: number;
  input: unknown;
  outcome: 'running' | 'ok' | 'failed';
  error?: string;
}

interface Position {
  symbol: string;
  qty: number;
  openedAtMs: number;
}

interface Order {
  clientOrderId: string;
  symbol: string;
  leg: 'entry' | 'stop' | 'take_profit' | 'exit';
  qty: number;
  status: 'filled' | 'working' | 'cancelled';
}

export interface VenueOptions {
  speed: number;
  tradingDate?: string;
  /** The session's New York hours (default a short 09:30–10:30 session). */
  open?: string;
  close?: string;
  /** The next session (same hours), for the clock's next open. */
  nextTradingDate?: string;
  /** Where the clock starts, in market minutes before the open (default 1). */
  startMinutesBeforeOpen?: number;
  config?: Partial<DayConfig>;
  /** Driven: market time moves only when the day's participants all wait (src/sim/clock/drivenClock.ts). */
  marketClock?: 'wall' | 'driven';
}

/** Cycles at 09:32, 09:47 and 10:02; no new entries from 10:10; the flatten at 10:20. */
export const DEFAULT_CONFIG: DayConfig = {
  scanFrequencyMinutes: 15,
  firstCycleAfterOpenMinutes: 2,
  noNewEntriesBeforeCloseMinutes: 20,
  flattenBeforeCloseMinutes: 10,
  approvalTimeoutMinutes: 10,
  executeTopN: 3,
  alertAfterFailedTicks: 100,
  emergencyAfterFailedTicks: 200,
};

/** Cycle n offers three symbols of its own: AAA, ABB, ACC in cycle 1; BAA, BBB, BCC in cycle 2… */
const defaultUniverse = (cycle: number): string[] => {
  const l = String.fromCharCode(64 + (((cycle - 1) % 26) + 1));
  return [`${l}AA`, `${l}BB`, `${l}CC`];
};

let seqCounter = 0;

interface Needs {
  broker?: boolean;
  db?: boolean;
}

export class FakeVenue {
  readonly speed: number;
  readonly tradingDate: string;
  readonly clock: MarketClock;
  readonly openMs: number;
  readonly closeMs: number;
  readonly nextOpenMs: number;
  readonly nextCloseMs: number;
  config: DayConfig;
  readonly calls: Call[] = [];

  // --- switches the tests flip ---
  /** Every broker-facing stub throws a retryable BrokerUnavailable. */
  brokerDown = false;
  /** The broker is unavailable for this stretch of market time. */
  outage: { fromMs: number; toMs: number } | null = null;
  /** Every stub that writes the database throws (a refused connection). */
  dbDown = false;
  /** These stubs always throw a retryable BrokerUnavailable. */
  readonly failing = new Set<ActivityName>();
  /** These stubs take this much market time (heartbeating) before they answer or fail. */
  readonly slow = new Map<ActivityName, number>();
  /** flattenBook cannot sell these symbols before the given market time (a halted stock). */
  readonly cannotCloseUntil = new Map<string, number>();
  /** Broken SMTP: sendAlert throws, or hangs until cancelled. */
  alerts: 'ok' | 'throw' | 'hang' = 'ok';
  /** The guard's daily loss level and P&L at a market time. */
  lossLevel: (nowMs: number) => LossLevel = () => 'ok';
  dailyPnl = '0.00';
  /** What the guard says the loss limit does (risk_parameters.yaml); undefined: an older worker's report. */
  lossLimit: LossLimitPolicy | undefined = undefined;
  /** validateRisk refuses these when judging again at approval time (the account changed meanwhile). */
  readonly refuseAtApproval = new Set<string>();
  /** Cooldowns started (startCooldown inputs). */
  readonly cooldowns: CooldownInput[] = [];
  /** Symbols scanUniverse returns in each cycle. */
  universe: (cycle: number) => string[] = defaultUniverse;

  // --- the book: Catalyst's orders and positions at the fake broker ---
  readonly positions = new Map<string, Position>();
  readonly orders: Order[] = [];

  readonly activities: Activities;
  /** The driven clock when `marketClock: 'driven'`. */
  readonly driven: DrivenClock | null;
  private placementGate: { until: Promise<void>; stage: 'request' | 'answer' } | null = null;
  private readonly disposed = new AbortController();

  constructor(opts: VenueOptions) {
    this.speed = opts.speed;
    this.tradingDate = opts.tradingDate ?? '2026-11-24';
    const next = opts.nextTradingDate ?? '2026-11-25';
    const open = opts.open ?? '09:30';
    const close = opts.close ?? '10:30';
    this.openMs = nyTimeToUtcMs(this.tradingDate, open);
    this.closeMs = nyTimeToUtcMs(this.tradingDate, close);
    this.nextOpenMs = nyTimeToUtcMs(next, open);
    this.nextCloseMs = nyTimeToUtcMs(next, close);
    const isDriven = opts.marketClock === 'driven';
    this.clock = new MarketClock(
      this.openMs - (opts.startMinutesBeforeOpen ?? 1) * MINUTE,
      opts.speed,
      isDriven,
    );
    this.driven = isDriven
      ? createDrivenClock({ now: () => this.clock.now(), advanceTo: (ms) => this.clock.advanceTo(ms) })
      : null;
    this.config = { ...DEFAULT_CONFIG, ...opts.config };
    this.activities = this.stubs();
  }

  /**
   * Slows placeBracketOrder down until `release()`: its request on the way to the broker (the
   * order lands only when released, unless the activity learned of its cancellation by then), or
   * its answer on the way back (the order is in at once).
   */
  holdPlacements(stage: 'request' | 'answer' = 'answer'): { release: () => void } {
    let release = (): void => {};
    this.placementGate = { until: new Promise<void>((resolve) => (release = resolve)), stage };
    return {
      release: () => {
        this.placementGate = null;
        release();
      },
    };
  }

  /** A bracket whose entry filled at once; its stop and take-profit legs work at the broker. */
  fillBracket(entryId: string, symbol: string, qty: number): void {
    this.orders.push(
      { clientOrderId: entryId, symbol, leg: 'entry', qty, status: 'filled' },
      { clientOrderId: `${entryId}-stop`, symbol, leg: 'stop', qty, status: 'working' },
      { clientOrderId: `${entryId}-tp`, symbol, leg: 'take_profit', qty, status: 'working' },
    );
    this.positions.set(symbol, { symbol, qty, openedAtMs: this.clock.now() });
  }

  /** Ends every stub still waiting (hanging alerts, held placements): the test is over. */
  dispose(): void {
    this.disposed.abort();
  }

  callsOf(name: ActivityName): Call[] {
    return this.calls.filter((c) => c.name === name);
  }

  /** Inputs of every call of `name` that started (retries included). */
  inputsOf<K extends ActivityName>(name: K): Parameters<Activities[K]>[0][] {
    return this.callsOf(name).map((c) => c.input as Parameters<Activities[K]>[0]);
  }

  /** Symbols placed, in order (one per placeBracketOrder call that submitted). */
  placedSymbols(): string[] {
    return this.orders.filter((o) => o.leg === 'entry').map((o) => o.symbol);
  }

  /** The calls as text (New York market time, name, attempt, outcome), for assertion messages. */
  timeline(names?: ActivityName[]): string {
    const ny = (ms: number): string =>
      new Date(ms).toLocaleString('en-US', {
        timeZone: 'America/New_York',
        hour12: false,
        dateStyle: 'short',
        timeStyle: 'medium',
      });
    return this.calls
      .filter((c) => !names || names.includes(c.name))
      .map((c) => `${ny(c.atMs)} #${c.seq} ${c.name} a${c.attempt} ${c.outcome}`)
      .join('\n');
  }

  isFlat(): boolean {
    return this.positions.size === 0 && this.orders.every((o) => o.status !== 'working');
  }

  brokerIsDown(nowMs = this.clock.now()): boolean {
    return (
      this.brokerDown || (this.outage !== null && nowMs >= this.outage.fromMs && nowMs < this.outage.toMs)
    );
  }

  readClock(): MarketClockReading {
    const nowMs = this.clock.now();
    const sessions = [
      { openMs: this.openMs, closeMs: this.closeMs },
      { openMs: this.nextOpenMs, closeMs: this.nextCloseMs },
    ];
    const current = sessions.find((s) => s.openMs <= nowMs && nowMs < s.closeMs);
    const next = sessions.find((s) => s.openMs > nowMs);
    const later = nowMs + 24 * 60 * MINUTE;
    return {
      nowMs,
      isOpen: current !== undefined,
      nextOpenMs: next?.openMs ?? later,
      nextCloseMs: current?.closeMs ?? next?.closeMs ?? later,
    };
  }

  private flatCheck(): FlatCheck {
    const working = this.orders.filter((o) => o.status === 'working');
    const { nowMs, isOpen } = this.readClock();
    return {
      openPositions: this.positions.size,
      openOrders: working.length,
      symbols: [...new Set([...this.positions.keys(), ...working.map((o) => o.symbol)])].sort(),
      foreignPositions: 0,
      foreignOrders: 0,
      nowMs,
      isOpen,
    };
  }

  /** Records the call, applies the switches, runs the stub. */
  private wrap<A extends unknown[], R>(
    name: ActivityName,
    needs: Needs,
    fn: (...args: A) => Promise<R>,
  ): (...args: A) => Promise<R> {
    return async (...args: A): Promise<R> => {
      this.clock.start(); // the market clock starts moving when the day first asks the venue
      const call: Call = {
        seq: ++seqCounter,
        name,
        atMs: this.clock.now(),
        wallMs: performance.now(),
        attempt: Context.current().info.attempt,
        input: args[0],
        outcome: 'running',
      };
      this.calls.push(call);
      try {
        const delayMs = this.slow.get(name);
        if (delayMs) await this.hold(this.marketDelay(delayMs), `${name} is slow`);
        if (this.failing.has(name) || (needs.broker && this.brokerIsDown(call.atMs)))
          throw ApplicationFailure.retryable(`${name}: broker unavailable (fake venue)`, 'BrokerUnavailable');
        if (needs.db && this.dbDown)
          throw new Error(`${name}: connect ECONNREFUSED 127.0.0.1:5432 (fake venue)`);
        const out = await fn(...args);
        call.outcome = 'ok';
        return out;
      } catch (err) {
        call.outcome = 'failed';
        call.error = (err as Error).message;
        throw err;
      }
    };
  }

  /** Resolves after `ms` of market time. */
  private marketDelay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms / this.speed));
  }

  /** Waits for `until` while heartbeating; a cancelled activity or a disposed venue stops waiting. */
  private async hold(until: Promise<void>, what: string): Promise<void> {
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(what), 100);
    try {
      await Promise.race([
        until,
        this.aborted(ctx.cancellationSignal, what),
        this.aborted(this.disposed.signal, what),
      ]);
    } finally {
      clearInterval(beat);
    }
  }

  /** Rejects with a CancelledFailure once `signal` aborts. */
  private aborted(signal: AbortSignal, what: string): Promise<never> {
    return new Promise((_, reject) => {
      const stop = (): void => reject(new CancelledFailure(`${what}: cancelled`));
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
  }

  private stubs(): Activities {
    const w = this.wrap.bind(this);
    const driven = createDrivenClockActivities({ drivenClock: this.driven ?? undefined });
    return {
      // drivenClock: the real driven-clock activities over this venue's clock
      waitForMarketTime: w('waitForMarketTime', {}, driven.waitForMarketTime),
      tellMarketClock: w('tellMarketClock', {}, driven.tellMarketClock),
      // backtest: this venue has one session
      listTradingDays: w('listTradingDays', { broker: true }, async ({ from, to }) =>
        from <= this.tradingDate && this.tradingDate <= to ? [this.tradingDate] : [],
      ),
      summarizeBacktest: w('summarizeBacktest', { broker: true }, async () => NO_BACKTEST_FIGURES),

      // settings.loadDayConfig: the timing part of the YAML config in force now
      loadDayConfig: w('loadDayConfig', {}, async () => ({ ...this.config })),

      // marketClock.getMarketDay: the session of a date from the broker calendar
      getMarketDay: w('getMarketDay', { broker: true }, async (tradingDate: string): Promise<MarketDay> => {
        const nowMs = this.clock.now();
        if (tradingDate !== this.tradingDate)
          return { tradingDate, isTradingDay: false, openMs: 0, closeMs: 0, earlyClose: false, nowMs };
        const earlyClose = this.closeMs < nyTimeToUtcMs(tradingDate, '16:00');
        return {
          tradingDate,
          isTradingDay: true,
          openMs: this.openMs,
          closeMs: this.closeMs,
          earlyClose,
          nowMs,
        };
      }),

      // marketClock.readMarketClock: the broker clock (a local activity)
      readMarketClock: w('readMarketClock', { broker: true }, async () => this.readClock()),

      // reporting.recordDayStart: the trading_days row
      recordDayStart: w('recordDayStart', { db: true }, async () => {}),

      // settings.planScheduledDay: only the schedule's launcher uses it
      planScheduledDay: w('planScheduledDay', {}, async () => ({
        tradingDate: this.tradingDate,
        speed: this.speed,
        mode: 'autonomous' as const,
        venue: 'simulator' as const,
      })),

      // reporting.beginCycle: the trading_cycles row
      beginCycle: w('beginCycle', { db: true }, async () => {}),

      // scanner.listUniverse: the tradable universe, in two chunks
      listUniverse: w('listUniverse', { broker: true }, async () => ({
        universe: 4125,
        chunks: 2,
        chunkSize: 2063,
      })),

      // scanner.scanChunk: each chunk's top movers (the first chunk holds them all)
      scanChunk: w('scanChunk', { broker: true }, async (input) => {
        const symbols = input.chunk === 0 ? this.universe(input.cycleNumber) : [];
        return {
          symbols: input.chunkSize,
          scannable: input.chunkSize,
          eligible: symbols.length,
          topN: 200,
          top: symbols.map((symbol, i) => ({
            symbol,
            price: 100,
            volume: 1_000_000,
            gapPct: 1,
            momentumPct: 1,
            relativeVolume: 2,
            scanScore: 90 - i,
            momentumScore: 70,
            volumeScore: 60,
          })),
        };
      }),

      // scanner.recordScan: scan_results
      recordScan: w('recordScan', { db: true }, async () => {}),

      // news.scoreSentiment, patterns.detectPatterns, technical.computeIndicators: pass-through stages
      scoreSentiment: w('scoreSentiment', { broker: true, db: true }, async (input) => ({
        candidates: input.candidates.map((c) => ({ ...c, newsScore: 60 })),
      })),
      detectPatterns: w('detectPatterns', { broker: true, db: true }, async (input) => ({
        candidates: input.candidates.map((c) => ({ ...c, patternScore: 55 })),
      })),
      computeIndicators: w('computeIndicators', { broker: true, db: true }, async (input) => ({
        candidates: input.candidates.map((c) => ({ ...c, technicalScore: 80, lastClose: 100, atr: 1.5 })),
      })),

      // scoring.scoreCandidates: the composite score, best first
      scoreCandidates: w('scoreCandidates', { db: true }, async (input) => ({
        belowMinimum: 0,
        candidates: input.candidates.map((c, i) => ({
          symbol: c.symbol,
          sector: 'Technology',
          price: '100.00',
          compositeScore: 90 - i,
          newsScore: 60,
          patternScore: 55,
          technicalScore: 80,
          momentumScore: 70,
          volumeScore: 60,
          atr: 1.5,
        })),
      })),

      // risk.validateRisk: no duplicates of held symbols, at most execute_top_n approved
      validateRisk: w('validateRisk', { broker: true, db: true }, async (input) => {
        let approvedSoFar = 0;
        const decisions: RiskDecisionSummary[] = input.candidates.map((c) => {
          const held = this.positions.has(c.symbol);
          const refused = input.atApproval === true && this.refuseAtApproval.has(c.symbol);
          const approved = !held && !refused && approvedSoFar < this.config.executeTopN;
          if (approved) approvedSoFar += 1;
          return {
            symbol: c.symbol,
            approved,
            qty: approved ? 10 : 0,
            entryPrice: '100.00',
            limitPrice: '100.10',
            stopPrice: '98.00',
            takeProfitPrice: '106.00',
            reasons: held
              ? ['duplicate position']
              : refused
                ? ['daily loss budget used up']
                : approved
                  ? ['ok']
                  : ['execute_top_n reached'],
          };
        });
        return { decisions };
      }),

      // trading.placeBracketOrder: one bracket order, idempotent on client_order_id, refused past the deadline
      placeBracketOrder: w('placeBracketOrder', { broker: true }, async (input): Promise<PlacementResult> => {
        const d = input.decision;
        const id = `cat-${input.tradingDate.replaceAll('-', '')}-c${String(input.cycleNumber).padStart(2, '0')}-${d.symbol}-entry`;
        const base = { symbol: d.symbol, clientOrderId: id, qty: d.qty };
        const gate = this.placementGate;
        if (!this.orders.some((o) => o.clientOrderId === id)) {
          if (this.clock.now() >= input.deadlineMs)
            return { ...base, status: 'expired', brokerOrderId: null, message: 'past the deadline' };
          // A slow request: the activity stops before submitting if it knows it was cancelled
          // (as trading.ts's beat() does); an HTTP request already sent lands anyway.
          if (gate?.stage === 'request') {
            const ctx = Context.current();
            ctx.heartbeat('look up'); // as trading.ts beat(): heartbeat, stop if cancelled
            await Promise.race([gate.until, this.aborted(this.disposed.signal, 'slow request')]);
            ctx.heartbeat('submit');
            if (ctx.cancellationSignal.aborted)
              throw new CancelledFailure(`cancelled before submitting ${id}`);
          }
          this.fillBracket(id, d.symbol, d.qty);
        }
        // A slow answer: the order is in, its acknowledgement is not.
        if (gate?.stage === 'answer') await this.hold(gate.until, `placement of ${id}`);
        return { ...base, status: 'placed', brokerOrderId: `broker-${id}` };
      }),

      // reporting.finishCycle: the cycle's funnel into trading_cycles
      finishCycle: w('finishCycle', { db: true }, async () => {}),

      // monitor.guardPositions: the monitor's enforcement from the broker alone
      guardPositions: w('guardPositions', { broker: true }, async (): Promise<GuardReport> => {
        const c = this.flatCheck();
        return {
          marketTimeMs: c.nowMs,
          openPositions: c.openPositions,
          openOrders: c.openOrders,
          foreignPositions: 0,
          foreignOrders: 0,
          realizedPnl: '0.00',
          unrealizedPnl: this.dailyPnl,
          dailyPnl: this.dailyPnl,
          closedByMonitor: [],
          dailyLossLevel: this.lossLevel(c.nowMs),
          ...(this.lossLimit ? { lossLimit: this.lossLimit } : {}),
          exits: [],
          staleEntriesCancelled: [],
          closeFailures: [],
          foreignSymbols: [],
          anomalies: [],
        };
      }),

      // monitor.recordBook: reconcile the broker's orders and positions into the database
      recordBook: w('recordBook', { broker: true, db: true }, async () => ({
        ordersWritten: this.orders.length,
        positionsWritten: this.positions.size,
        foreignPositions: [],
        foreignOrders: 0,
      })),

      // trading.flattenBook: cancel Catalyst's working orders, sell its shares
      flattenBook: w('flattenBook', { broker: true }, async (input) => {
        const nowMs = this.clock.now();
        if (input.entriesOnly) {
          const entries = this.orders.filter((o) => o.leg === 'entry' && o.status === 'working');
          for (const o of entries) o.status = 'cancelled';
          return { cancelledOrders: entries.length, exits: [], exitsWorking: [], failures: [] };
        }
        const working = this.orders.filter((o) => o.status === 'working');
        for (const o of working) o.status = 'cancelled';
        const exits = [];
        const failures = [];
        for (const p of [...this.positions.values()]) {
          const until = this.cannotCloseUntil.get(p.symbol);
          if (until !== undefined && nowMs < until) {
            failures.push({ symbol: p.symbol, message: `${p.symbol} is halted: the sell is not accepted` });
            continue;
          }
          if (!this.readClock().isOpen) {
            failures.push({ symbol: p.symbol, message: 'the market is closed: the sell waits for the open' });
            continue;
          }
          const clientOrderId = `exit-${p.symbol}-${nowMs}`;
          this.orders.push({ clientOrderId, symbol: p.symbol, leg: 'exit', qty: p.qty, status: 'filled' });
          this.positions.delete(p.symbol);
          exits.push({ symbol: p.symbol, clientOrderId, qty: p.qty });
        }
        return { cancelledOrders: working.length, exits, exitsWorking: [], failures };
      }),

      // cooldown.startCooldown: the cooldown's risk_events row
      startCooldown: w('startCooldown', { db: true }, async (input) => {
        this.cooldowns.push(input);
        const startedMs = this.clock.now();
        return { startedMs, untilMs: startedMs + input.minutes * MINUTE };
      }),

      // trading.checkFlat: Catalyst's open positions and orders at the broker
      checkFlat: w('checkFlat', { broker: true }, async () => this.flatCheck()),

      // trading.recordRiskEvent: one risk_events row
      recordRiskEvent: w('recordRiskEvent', { db: true }, async () => {}),

      // reporting.finishTradingDay: final reconciliation and the day's summary
      finishTradingDay: w('finishTradingDay', { broker: true, db: true }, async () => {
        const c = this.flatCheck();
        return {
          ordersSubmitted: this.placedSymbols().length,
          fills: this.orders.filter((o) => o.status === 'filled').length,
          realizedPnl: '0.00',
          openPositionsAtClose: c.openPositions,
          openOrdersAtClose: c.openOrders,
        };
      }),

      // alerts.sendAlert: the outbox and SMTP
      sendAlert: w('sendAlert', {}, async (alert) => {
        if (this.alerts === 'throw')
          throw ApplicationFailure.retryable(`SMTP refused ${alert.dedupeKey} (fake venue)`, 'SmtpError');
        if (this.alerts === 'hang') await this.hold(new Promise<void>(() => {}), `alert ${alert.dedupeKey}`);
      }),

      // reporting.sendDailyReport: after the close, through the same (possibly broken) mail path
      sendDailyReport: w('sendDailyReport', {}, async (input) => {
        if (this.alerts === 'throw')
          throw ApplicationFailure.retryable(`SMTP refused the daily report (fake venue)`, 'SmtpError');
        if (this.alerts === 'hang') await this.hold(new Promise<void>(() => {}), 'daily report');
        return {
          htmlFile: `/fake/report-${input.tradingDate}-${input.venue}.html`,
          email: 'sent',
          trades: 0,
          totalPnl: '0.00',
        };
      }),
    };
  }
}

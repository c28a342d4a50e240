/**
 * `catalyst halt` when no trading day is running: the operator still needs a way back, so the CLI
 * flattens Catalyst's book itself — the same reconciliation code the day uses, the same
 * deterministic exit ids (a day that wakes up meanwhile converges on the same orders) — and
 * leaves every holding and order that is not Catalyst's alone. It records the stop where it can:
 * a CRITICAL alert in the outbox (and by email when SMTP is set), and a risk event when
 * DATABASE_URL is set (the embedded PGlite belongs to a running `catalyst up`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createAlertActivities, smtpFromEnv } from '../activities/alerts';
import { flattenCatalystBook, readBook, type ReadBookOptions } from '../activities/reconciliation';
import { createAlpacaBroker } from '../broker/alpacaBroker';
import type { Broker } from '../broker/port';
import { createDatabase } from '../db/createDatabase';
import { recordRiskEvent } from '../db/repositories/riskEvents';
import { utcMsToNyDate } from '../domain/calendar';
import { isFlat, type ForeignPosition } from '../domain/positions';
import type { Env } from '../settings/env';
import { resolveTradingVenue, type TradingVenue } from '../settings/liveTradingGate';

/** Catalyst's book with no date named: its orders of the last 30 days (older positions are the operator's). */
const LOOKBACK_MS = 30 * 86_400_000;
const POLL_MS = 1_000;

export interface HaltWithoutDayOptions {
  env: Env;
  live: boolean;
  /** Only this date's Catalyst orders; null = Catalyst's whole recent book. */
  date: string | null;
  reason: string;
  waitMs: number;
  outboxDir: string;
  log: (line: string) => void;
  /** Tests pass the broker; otherwise it comes from the environment like `catalyst up`'s. */
  broker?: Broker;
}

export interface HaltWithoutDayOutcome {
  venue: TradingVenue;
  endpoint: string | null;
  cancelledOrders: number;
  closedPositions: string[];
  failures: { symbol: string; message: string }[];
  flat: boolean;
  foreignPositions: ForeignPosition[];
  foreignOrders: number;
  recorded: boolean;
}

export class NothingToHalt extends Error {
  override name = 'NothingToHalt';
}

export async function haltWithoutDay(opts: HaltWithoutDayOptions): Promise<HaltWithoutDayOutcome> {
  const gate = resolveTradingVenue({ env: opts.env, liveFlag: opts.live });
  if (!opts.broker && gate.venue === 'simulator')
    throw new NothingToHalt(
      'no trading day is running, and no broker is configured to flatten directly: set ALPACA_API_KEY and ALPACA_SECRET_KEY (and ALPACA_BASE_URL for an Alpaca-compatible endpoint such as `catalyst sim`)',
    );
  const broker =
    opts.broker ??
    createAlpacaBroker({
      keyId: opts.env.ALPACA_API_KEY!,
      secretKey: opts.env.ALPACA_SECRET_KEY!,
      tradingBaseUrl: gate.tradingBaseUrl!,
      dataBaseUrl: gate.dataBaseUrl!,
      paper: gate.venue !== 'live',
    });
  // The broker's clock, not this machine's: a simulator's session may be far from today.
  const nowMs = Date.parse((await broker.getClock()).timestamp);
  const scope: ReadBookOptions = { tradingDate: opts.date, sinceMs: nowMs - LOOKBACK_MS };
  const deps = { broker };

  const outcome: HaltWithoutDayOutcome = {
    venue: gate.venue,
    endpoint: gate.tradingBaseUrl,
    cancelledOrders: 0,
    closedPositions: [],
    failures: [],
    flat: false,
    foreignPositions: [],
    foreignOrders: 0,
    recorded: false,
  };
  const deadline = Date.now() + opts.waitMs;
  // Each pass is idempotent (deterministic exit ids, working exits waited for): repeat until flat.
  for (;;) {
    const pass = await flattenCatalystBook(deps, scope);
    outcome.cancelledOrders += pass.cancelledOrders;
    outcome.closedPositions = [...new Set([...outcome.closedPositions, ...pass.exits.map((e) => e.symbol)])];
    outcome.failures = pass.failures;
    const book = await readBook(deps, scope);
    outcome.foreignPositions = book.foreignPositions;
    outcome.foreignOrders = book.foreignOrders.length;
    outcome.flat = isFlat(book);
    if (outcome.flat || Date.now() >= deadline) break;
    await sleep(POLL_MS);
  }

  const tradingDate = opts.date ?? utcMsToNyDate(nowMs);
  const message = `Emergency stop (cli, no day running): ${opts.reason}`;
  await createAlertActivities({
    outboxDir: opts.outboxDir,
    log: opts.log,
    smtp: () => smtpFromEnv(opts.env),
  })
    .sendAlert({
      severity: 'CRITICAL',
      subject: `EMERGENCY STOP with no trading day running: ${opts.reason}`,
      body: `Cancelled ${outcome.cancelledOrders} of Catalyst's orders; exits sent for ${outcome.closedPositions.join(', ') || 'nothing'}; ${outcome.flat ? "Catalyst's book is flat" : `not flat yet (${outcome.failures.map((f) => `${f.symbol}: ${f.message}`).join('; ') || 'exits working'})`}. Holdings that are not Catalyst's were left untouched.`,
      dedupeKey: `halt-without-day-${nowMs}`,
    })
    .catch((err: unknown) => opts.log(`could not write the alert: ${(err as Error).message}`));
  if (opts.env.DATABASE_URL) {
    try {
      const db = await createDatabase({ url: opts.env.DATABASE_URL });
      try {
        await recordRiskEvent(db.db, {
          eventKey: `halt-without-day/${nowMs}`,
          tradingDate,
          eventType: 'emergency_stop',
          severity: 'CRITICAL',
          message,
          details: { ...outcome },
        });
        outcome.recorded = true;
      } finally {
        await db.close();
      }
    } catch (err) {
      opts.log(`could not record the risk event: ${(err as Error).message}`);
    }
  }
  return outcome;
}

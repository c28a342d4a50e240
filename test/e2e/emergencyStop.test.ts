/**
 * The emergency stop mid-day: cancel Catalyst's open orders, close Catalyst's positions, raise a
 * CRITICAL alert, record a risk event, and place nothing new for the rest of the day. A second
 * halt gets its own outcome. The worker mails through a real SMTP server in this process (STARTTLS
 * and AUTH, as production is configured): the CRITICAL email, and the daily report after the close.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReportData } from '../../src/db/repositories/reportData';
import { riskEventsForDay } from '../../src/db/repositories/riskEvents';
import { buildReport } from '../../src/domain/report/buildReport';
import { usd } from '../../src/domain/report/html/html';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import {
  emergencyStopOutcomeQuery,
  emergencyStopSignal,
  statusQuery,
  type EmergencyStopOutcome,
  type TradingDayResult,
} from '../../src/workflows/messages';
import { allBrokerOrders } from '../support/bookChecks';
import { startHarness, type Harness } from '../support/catalystHarness';
import { recordHistories } from '../support/recordHistories';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpTestServer';

const SMTP_LOGIN = { username: 'catalyst-alerts', password: 'e2e-smtp-secret-7f3a' };
const ONCALL = 'oncall@example.test';
const TRADER = 'trader@example.test';

describe('emergency stop', () => {
  let h: Harness;
  let outcome: EmergencyStopOutcome;
  let haltedAtMs: number;
  let signalAtMs: number;
  let heldBefore: string[];
  let result: TradingDayResult;
  let second: EmergencyStopOutcome;
  let cycleAtHalt: number;
  let smtp: TestSmtpServer;

  const outcomeOf = async (
    handle: {
      query: (q: typeof emergencyStopOutcomeQuery, id: string) => Promise<EmergencyStopOutcome | null>;
    },
    requestId: string,
  ): Promise<EmergencyStopOutcome> => {
    for (;;) {
      const o = await handle.query(emergencyStopOutcomeQuery, requestId);
      if (o?.done) return o;
      await sleep(20);
    }
  };

  beforeAll(async () => {
    smtp = await startSmtpServer(SMTP_LOGIN);
    h = await startHarness({
      seed: 11,
      speed: 600,
      date: '2026-11-27', // an early close: the halted day runs on to its close in half the time
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_USERNAME: SMTP_LOGIN.username,
        SMTP_PASSWORD: SMTP_LOGIN.password,
        SMTP_FROM: 'catalyst@example.test',
        SMTP_TLS: 'true',
        SMTP_TLS_REJECT_UNAUTHORIZED: 'false', // the test server's certificate is self-signed
        ALERT_EMAIL_CRITICAL: ONCALL,
        ALERT_EMAIL_INFO: TRADER,
      },
    });
    const handle = await h.startDay();
    // Wait until the book holds positions with working bracket legs.
    for (;;) {
      const s = await handle.query(statusQuery);
      if (s.openPositions > 0) break;
      if (s.phase === 'flattening' || s.phase === 'closed')
        throw new Error('the day never opened a position');
      await sleep(50);
    }
    heldBefore = (await h.broker.listPositions()).map((p) => p.symbol);
    cycleAtHalt = (await handle.query(statusQuery)).cycle;
    signalAtMs = h.sim.nowMs();
    await handle.signal(emergencyStopSignal, {
      reason: 'test: news shock',
      source: 'cli',
      requestId: 'first',
    });
    haltedAtMs = h.sim.nowMs();
    outcome = await outcomeOf(handle, 'first');
    // A repeated halt flattens again and answers for itself.
    await handle.signal(emergencyStopSignal, { reason: 'test: again', source: 'cli', requestId: 'second' });
    second = await outcomeOf(handle, 'second');
    result = (await handle.result()) as TradingDayResult;
    await recordHistories(h.client, handle.workflowId);
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  /** The mails the server accepted for one recipient, parsed, once `want` of them have arrived. */
  const mailsTo = async (to: string, want: (m: ParsedMail) => boolean): Promise<ParsedMail[]> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const parsed = await Promise.all(
        smtp.received.filter((m) => m.to.includes(to)).map((m) => simpleParser(m.data)),
      );
      if (parsed.some(want) || Date.now() > deadline) return parsed;
      await sleep(100);
    }
  };

  it("cancels Catalyst's open orders and closes its positions, and answers each halt on its own", async () => {
    expect(heldBefore.length).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ requestId: 'first', reason: 'test: news shock', done: true, flat: true });
    expect(outcome.cancelledOrders).toBeGreaterThan(0);
    expect(second).toMatchObject({ requestId: 'second', reason: 'test: again', done: true, flat: true });
    expect(second.closedPositions).toEqual([]);
    // The stop closes through two hands: its own flatten, and the monitor it tells, whose next
    // tick closes whatever a halted day still holds; whichever reaches a position first sells it.
    // At speed 600 a bracket leg may also exit a position between our look and the stop: each one
    // held before the stop was sold by one of them after the halt, or by its own leg before it.
    const sells = (await allBrokerOrders(h.broker)).filter((o) => o.side === 'sell' && o.filledAt !== null);
    for (const symbol of heldBefore) {
      const closedByStop =
        outcome.closedPositions.includes(symbol) ||
        sells.some(
          (o) =>
            o.symbol === symbol &&
            Date.parse(o.createdAt) >= signalAtMs &&
            parseClientOrderId(o.clientOrderId)?.leg === 'exit',
        );
      const exitedBefore = sells.some((o) => o.symbol === symbol && Date.parse(o.filledAt!) <= haltedAtMs);
      expect({ symbol, closed: closedByStop || exitedBefore }).toEqual({ symbol, closed: true });
    }
    expect(result).toMatchObject({
      status: 'completed',
      halted: true,
      haltReason: 'test: news shock',
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
    });
  });

  it('places no new entry after the stop', async () => {
    const all = await allBrokerOrders(h.broker);
    const after = all.filter((o) => Date.parse(o.createdAt) > haltedAtMs && o.side === 'buy');
    // A placement already running when the stop came may land its one order (a request on its
    // way cannot be recalled; the stop waits for it and closes it). Nothing else: no later order
    // of that cycle, nothing of a later one.
    expect(after.length).toBeLessThanOrEqual(1);
    for (const o of after) expect(parseClientOrderId(o.clientOrderId)?.cycle).toBe(cycleAtHalt);
    const status = await h.client.workflow
      .getHandle(`trading-day-${result.tradingDate}-sim-seed11`)
      .query(statusQuery);
    expect(status.halted).toBe(true);
    expect(status.ordersSubmitted).toBe(result.ordersSubmitted);
  });

  it('records a CRITICAL risk event and sends a CRITICAL alert', async () => {
    const events = await riskEventsForDay(h.database.db, result.tradingDate);
    expect(events.filter((e) => e.eventType === 'emergency_stop')).toMatchObject([
      { severity: 'CRITICAL', message: 'Emergency stop (cli): test: news shock' },
      { severity: 'CRITICAL', message: 'Emergency stop (cli): test: again' },
    ]);
    const alerts = readdirSync(h.outboxDir).map((f) =>
      JSON.parse(readFileSync(join(h.outboxDir, f), 'utf8')),
    );
    expect(
      alerts.filter((a) => a.severity === 'CRITICAL' && a.subject.includes('EMERGENCY STOP')),
    ).toHaveLength(2);
  });
  it('emails the CRITICAL alert through a real SMTP server (STARTTLS, AUTH) to the CRITICAL address', async () => {
    const want = (m: ParsedMail) => /EMERGENCY STOP/.test(m.subject ?? '');
    const critical = (await mailsTo(ONCALL, want)).filter(want);
    // One email per halt: the dedupe key keeps retries and replays from sending it twice.
    expect(critical.map((m) => m.subject)).toEqual([
      `[CRITICAL] Catalyst: EMERGENCY STOP on ${result.tradingDate}: test: news shock`,
      `[CRITICAL] Catalyst: EMERGENCY STOP on ${result.tradingDate}: test: again`,
    ]);
    const raw = smtp.received.filter((m) => m.to.includes(ONCALL));
    expect(raw.every((m) => m.secure && m.user === SMTP_LOGIN.username)).toBe(true);
    expect(smtp.refusedLogins).toBe(0);
    // The outbox records the send, and no password anywhere in it.
    const outbox = readdirSync(h.outboxDir).map((f) => readFileSync(join(h.outboxDir, f), 'utf8'));
    const stops = outbox.map((t) => JSON.parse(t)).filter((a) => /EMERGENCY STOP/.test(a.subject));
    expect(stops.map((a) => [a.email, a.emailedTo])).toEqual([
      ['sent', ONCALL],
      ['sent', ONCALL],
    ]);
    expect(outbox.some((t) => t.includes(SMTP_LOGIN.password))).toBe(false);
  });

  it('emails the daily report after the close: key figures in the body, the HTML page attached', async () => {
    const want = (m: ParsedMail) => /Daily report/.test(m.subject ?? '');
    const [mail, ...more] = (await mailsTo(TRADER, want)).filter(want);
    expect(more).toEqual([]);
    expect(mail!.subject).toMatch(
      new RegExp(
        `^\\[INFO\\] Catalyst: Daily report ${result.tradingDate} \\(simulator\\): \\d+ trades?, P&L .*, HALTED$`,
      ),
    );
    const report = buildReport(
      await readReportData(h.database.db, {
        from: result.tradingDate,
        to: result.tradingDate,
        venue: 'simulator',
      }),
      { from: result.tradingDate, to: result.tradingDate, venue: 'simulator' },
    );
    // The body's figures are the report's: the same numbers `catalyst report` prints.
    const text = mail!.text ?? '';
    expect(text).toContain(`Trades:            ${report.figures.trades}`);
    expect(text).toContain(`Total P&L:         ${usd(report.figures.totalPnl, { signed: true })}`);
    expect(text).toContain(`Max drawdown:      ${usd(report.figures.maxIntradayDrawdown)}`);
    expect(text).toContain('HALTED:            test: news shock');
    expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`report-${result.tradingDate}-simulator.html`, 'text/html'],
    ]);
    const page = mail!.attachments[0]!.content.toString('utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('equity-line');
    expect(existsSync(join(h.reportsDir, `report-${result.tradingDate}-simulator.html`))).toBe(true);
  });
});

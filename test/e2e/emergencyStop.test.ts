/**
 * The emergency stop mid-day: cancel Catalyst's open orders, close Catalyst's positions, raise a
 * CRITICAL alert, record a risk event, and place nothing new for the rest of the day. A second
 * halt gets its own outcome. The worker mails through a real SMTP server in this process (STARTTLS
 * and AUTH, as production is configured): the CRITICAL email, and the daily report after the close.
 *
 * Then, with the day over, a secrets scan of everything it left: what was printed (the activities'
 * log lines, the process's stdout/stderr and console), the Temporal histories of the day and its
 * monitor, every row of every table, the reports written, the outbox and the mails received. The
 * day runs with distinctive secrets (the Alpaca key id and secret the simulator checks, the SMTP
 * password the server checks, a DATABASE_URL password that the local server's trust auth ignores):
 * none of them, in any encoding, may appear anywhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readReportData } from '../../src/db/repositories/reportData';
import { riskEventsForDay } from '../../src/db/repositories/riskEvents';
import { rows } from '../../src/db/rows';
import { buildReport } from '../../src/domain/report/buildReport';
import { usd } from '../../src/domain/report/html/html';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import { positionMonitorWorkflowId } from '../../src/shared';
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
import {
  decodedBase64Fields,
  describeHits,
  scanForSecrets,
  type ScanSource,
  type Secret,
} from '../support/secretsScan';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpTestServer';
import { ADMIN_DATABASE_URL } from '../support/tempDatabase';

/**
 * In the URL the day's database is opened with (and the worker's DATABASE_URL). The local server's
 * trust auth ignores it; a server of CI's own keeps the password it has, and that one is scanned for.
 */
const DB_PASSWORD = decodeURIComponent(new URL(ADMIN_DATABASE_URL).password) || 'DBPASSWORD-e2e/8c41@halt';
/** Every line the activities logged (the harness would drop them). */
const activityLog: string[] = [];

/** JSON of anything a client hands back: bigints as text, bytes as the text they hold. */
const printable = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
        if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer')
          return Buffer.from((v as { data: number[] }).data).toString('utf8');
        return v;
      });

const SMTP_LOGIN = { username: 'catalyst-alerts', password: 'SMTPPASSWORD-e2e-7f3a&q=1/+' };
const ALPACA_KEYS = { keyId: 'SECRETKEYID-e2e-4b7c9a', secretKey: 'SECRETKEY-e2e-9d2f61c8/aZ+q=' };
const SECRETS: Secret[] = [
  { name: 'ALPACA_API_KEY', value: ALPACA_KEYS.keyId },
  { name: 'ALPACA_SECRET_KEY', value: ALPACA_KEYS.secretKey },
  { name: 'SMTP_PASSWORD', value: SMTP_LOGIN.password },
  { name: 'DATABASE_URL password', value: DB_PASSWORD },
];
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
  let dayWorkflowId: string;
  /** What this process printed while the day ran: stdout, stderr and the console. */
  const printed: string[] = [];
  const consoleCalls: (() => string[])[] = [];
  const restoreOutput: (() => void)[] = [];

  const captureOutput = (): void => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write;
      stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof stream.write;
      restoreOutput.push(() => void (stream.write = write));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = vi.spyOn(console, method);
      consoleCalls.push(() => spy.mock.calls.map((call) => call.map((a) => printable(a)).join(' ')));
      restoreOutput.push(() => spy.mockRestore());
    }
  };

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
    captureOutput();
    smtp = await startSmtpServer(SMTP_LOGIN);
    h = await startHarness({
      seed: 11,
      speed: 600,
      date: '2026-11-27', // an early close: the halted day runs on to its close in half the time
      simulator: ALPACA_KEYS, // the keys the simulator accepts: the day's broker sends them on every request
      databasePassword: DB_PASSWORD,
      log: (line) => void activityLog.push(line),
      env: {
        ALPACA_API_KEY: ALPACA_KEYS.keyId,
        ALPACA_SECRET_KEY: ALPACA_KEYS.secretKey,
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
    dayWorkflowId = handle.workflowId;
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
    while (restoreOutput.length) restoreOutput.pop()!();
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

  describe('secrets after the day', () => {
    it('the scanner finds a planted secret in each form it looks for, and nothing in a clean text', () => {
      for (const secret of SECRETS) {
        const payload = JSON.stringify({ note: 'scratch', planted: secret.value });
        const planted: ScanSource[] = [
          { name: 'plain', text: `line before\n${payload}\nline after` },
          { name: 'url-encoded', text: `https://example.test/?p=${encodeURIComponent(secret.value)}&q=1` },
          // Encoded whole, as a Temporal payload or a MIME part is: each of the three alignments.
          ...[0, 1, 2].map((k) => ({
            name: `base64 at offset ${k}`,
            text: Buffer.from(`${'x'.repeat(k)}${payload}`).toString('base64'),
          })),
        ];
        for (const source of planted)
          expect({
            secret: secret.name,
            source: source.name,
            found: scanForSecrets([source], [secret]).length > 0,
          }).toEqual({
            secret: secret.name,
            source: source.name,
            found: true,
          });
        expect(
          scanForSecrets([{ name: 'clean', text: payload.replace(secret.value, '[REDACTED]') }], [secret]),
        ).toEqual([]);
      }
    });

    it('finds none of them in the logs, the histories, the database, the reports, the outbox or the mails', async () => {
      // The secrets were in play: the broker authenticated with the keys, the mailer with the password,
      // and the day's database was opened with the password in its URL.
      expect([h.sim.keyId, h.sim.secretKey]).toEqual([ALPACA_KEYS.keyId, ALPACA_KEYS.secretKey]);
      expect((await allBrokerOrders(h.broker)).length).toBeGreaterThan(0);
      expect(smtp.received.length).toBeGreaterThan(0);
      expect(smtp.received.every((m) => m.user === SMTP_LOGIN.username)).toBe(true);
      expect(decodeURIComponent(new URL(h.databaseUrl).password)).toBe(DB_PASSWORD);
      expect(h.settings.current().env).toMatchObject({
        ALPACA_API_KEY: ALPACA_KEYS.keyId,
        ALPACA_SECRET_KEY: ALPACA_KEYS.secretKey,
        SMTP_PASSWORD: SMTP_LOGIN.password,
        DATABASE_URL: h.databaseUrl,
      });
      // The report mail is the day's last word: everything is written once it is here.
      const report = (m: ParsedMail) => /Daily report/.test(m.subject ?? '');
      expect((await mailsTo(TRADER, report)).filter(report)).toHaveLength(1);

      const sources: ScanSource[] = [];

      // What was printed.
      expect(activityLog.length).toBeGreaterThan(0);
      sources.push({ name: 'activity log lines', text: activityLog.join('\n') });
      sources.push({
        name: 'stdout, stderr and console',
        text: [...printed, ...consoleCalls.flatMap((calls) => calls())].join('\n'),
      });

      // The histories: the day, and every child it started (its monitor), as raw JSON and decoded.
      const seen: string[] = [];
      for (const queue = [dayWorkflowId]; queue.length > 0;) {
        const id = queue.shift()!;
        if (seen.includes(id)) continue;
        seen.push(id);
        const handle = h.client.workflow.getHandle(id);
        const json = historyToJSON(await handle.fetchHistory());
        sources.push({ name: `history of ${id}`, text: json });
        sources.push({ name: `history of ${id}, payloads decoded`, text: decodedBase64Fields(json) });
        sources.push({ name: `description of ${id}`, text: printable(await handle.describe()) });
        for (const e of (JSON.parse(json) as { events: Record<string, { workflowId?: string }>[] }).events) {
          const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
          if (child) queue.push(child);
        }
      }
      expect(seen).toEqual([dayWorkflowId, positionMonitorWorkflowId(dayWorkflowId)]);
      // What `catalyst status` and the Web UI's current details show.
      const day = h.client.workflow.getHandle(dayWorkflowId);
      sources.push({ name: 'status query', text: printable(await day.query(statusQuery)) });
      sources.push({
        name: 'workflow metadata query',
        text: printable(await day.query('__temporal_workflow_metadata')),
      });

      // Every row of every table.
      const tables = await rows<{ schema: string; name: string }>(
        h.database.db,
        sql`select table_schema as schema, table_name as name from information_schema.tables
            where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
      );
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['orders', 'risk_events', 'trading_cycles']),
      );
      let rowCount = 0;
      for (const t of tables) {
        const found = await rows<{ row: string }>(
          h.database.db,
          sql`select row_to_json(t)::text as row from ${sql.identifier(t.schema)}.${sql.identifier(t.name)} t`,
        );
        rowCount += found.length;
        sources.push({ name: `table ${t.schema}.${t.name}`, text: found.map((r) => r.row).join('\n') });
      }
      expect(rowCount).toBeGreaterThan(100);

      // The reports written and the alerts: outbox files, and each mail raw and parsed.
      const files = (dir: string) =>
        readdirSync(dir).map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
      const reports = files(h.reportsDir);
      expect(reports.length).toBeGreaterThan(0);
      sources.push(...reports);
      const outbox = files(h.outboxDir);
      expect(outbox.length).toBeGreaterThan(0);
      sources.push(...outbox);
      for (const [i, m] of smtp.received.entries()) {
        const parsed = await simpleParser(m.data);
        sources.push({ name: `mail ${i} as sent`, text: `${m.from} ${m.to.join(' ')}\n${m.data}` });
        // Base64 parts are wrapped at 76 columns: unwrapped, a secret cannot hide across a line end.
        sources.push({ name: `mail ${i} as sent, unwrapped`, text: m.data.replace(/\r?\n/g, '') });
        sources.push({
          name: `mail ${i} parsed`,
          text: [
            parsed.subject,
            parsed.text,
            typeof parsed.html === 'string' ? parsed.html : '',
            printable([...parsed.headers.entries()]),
            ...parsed.attachments.map((a) => a.content.toString('utf8')),
          ].join('\n'),
        });
      }

      const hits = scanForSecrets(sources, SECRETS);
      expect(describeHits(hits, sources)).toEqual([]);
    });
  });
});

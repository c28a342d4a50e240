/**
 * A whole simulated trading day on real parts: Temporal dev server, PostgreSQL, the simulator
 * through the real Alpaca client. It must end flat, with every order once and the database
 * agreeing with the broker to the cent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersForDay } from '../../src/db/repositories/orders';
import { positionsForDay } from '../../src/db/repositories/positions';
import { tradingDaysOn } from '../../src/db/repositories/tradingDays';
import { rows } from '../../src/db/rows';
import { scanResultsForCycle } from '../../src/db/repositories/scanResults';
import { cyclesForDay } from '../../src/db/repositories/tradingCycles';
import { readReportData } from '../../src/db/repositories/reportData';
import { buildReport } from '../../src/domain/report/buildReport';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import { formatMicros, toMicros, type Micros } from '../../src/domain/money';
import { statusQuery, type ScanResult, type TradingDayResult } from '../../src/workflows/messages';
import { ScanWorkflow } from '../../src/workflows/scan';
import { allBrokerOrders, brokerAndStoredOrders } from '../support/bookChecks';
import { startHarness, type Harness } from '../support/catalystHarness';
import { recordHistories, recordHistory } from '../support/recordHistories';

// Fast enough for CI, slow enough that a cycle's stages and the ten minutes of the close-out fit
// their market time on two cores.
const SPEED = 600;

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a simulated trading day', () => {
  let h: Harness;
  let result: TradingDayResult;
  let workflowId: string;
  let scan: ScanResult;

  beforeAll(async () => {
    // The early close: every stage, the close-out and the flat check in about half the run time.
    h = await startHarness({ seed: 7, speed: SPEED, date: '2026-11-27' });
    const handle = await h.startDay();
    workflowId = handle.workflowId;
    // `catalyst scan`'s workflow, mid-day on the same workers: the funnel at the current minute, no orders.
    await waitUntil(async () => (await handle.query(statusQuery)).cycle >= 1);
    const scanId = `${workflowId}-scan`;
    scan = await h.client.workflow.execute(ScanWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: scanId,
      args: [{ tradingDate: h.sim.sessionDate(), speed: SPEED }],
    });
    result = (await handle.result()) as TradingDayResult;
    await recordHistories(h.client, workflowId);
    await recordHistory(h.client, scanId);
  });
  afterAll(async () => h?.close());

  it('trades, then ends flat before the close', async () => {
    expect(result.status).toBe('completed');
    expect(result.cycles).toBeGreaterThanOrEqual(5);
    expect(result.ordersSubmitted).toBeGreaterThan(0);
    expect(result.fills).toBeGreaterThan(result.ordersSubmitted); // entries and their exits
    expect(result.openPositionsAtClose).toBe(0);
    expect(result.openOrdersAtClose).toBe(0);
    expect(await h.broker.listPositions()).toEqual([]);
    expect(await h.broker.listOrders({ status: 'open' })).toEqual([]);
    // Flat by the close, not the next morning: no "not flat at the close" (or any CRITICAL) alert.
    const alerts = readdirSync(h.outboxDir).map((f) =>
      JSON.parse(readFileSync(join(h.outboxDir, f), 'utf8')),
    );
    expect(alerts.filter((a) => a.severity === 'CRITICAL')).toEqual([]);
    // The account holds nothing but Catalyst's: no fill racing a read may pass for someone else's.
    expect(alerts.filter((a) => /not Catalyst's/.test(a.subject))).toEqual([]);
  });

  it('runs a scan beside the day: every stage of the funnel, no order', async () => {
    // The scan is cycle 0: no order of the day may carry it.
    const cycles = (await allBrokerOrders(h.broker)).map((o) => parseClientOrderId(o.clientOrderId)?.cycle);
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles).not.toContain(0);
    expect(scan.funnel).toMatchObject({
      scanned: 200,
      news: 35,
      patterns: 20,
      technical: 10,
      ordersPlaced: 0,
    });
    expect(scan.funnel.universe).toBeGreaterThanOrEqual(4000);
    expect(scan.candidates).toHaveLength(scan.funnel.scored);
    for (const c of scan.candidates)
      for (const f of [c.newsScore, c.patternScore, c.technicalScore, c.momentumScore, c.volumeScore]) {
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeLessThanOrEqual(100);
      }
    expect(await scanResultsForCycle(h.database.db, scan.cycleId)).toHaveLength(200);
  });

  it('never uses a client_order_id twice', async () => {
    const all = await allBrokerOrders(h.broker);
    const ids = all.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    const entries = all.filter((o) => parseClientOrderId(o.clientOrderId)?.leg === 'entry');
    expect(entries).toHaveLength(result.ordersSubmitted);
  });

  it('reports realized P&L equal to the account cash change, to the cent', async () => {
    const account = await h.broker.getAccount();
    expect(result.realizedPnl).toBe(formatMicros(toMicros(account.cash) - toMicros('100000'), 2));
  });

  it('writes every broker order and position to the database', async () => {
    const { atBroker, stored: storedView } = await brokerAndStoredOrders(
      h.broker,
      h.database.db,
      h.accountId,
      result.tradingDate,
    );
    expect(storedView).toEqual(atBroker);
    const stored = await ordersForDay(h.database.db, h.accountId, result.tradingDate);
    expect(new Set(stored.filter((o) => o.legRole === 'entry').map((o) => o.cycleId)).has(null)).toBe(false);

    const positions = await positionsForDay(h.database.db, h.accountId, result.tradingDate);
    expect(positions.length).toBeGreaterThan(0);
    expect(positions.every((p) => p.status === 'closed' && p.realizedPnl !== null)).toBe(true);
    const realized = positions.reduce((sum, p) => sum + toMicros(p.realizedPnl!), 0n);
    expect(formatMicros(realized, 2)).toBe(result.realizedPnl);
  });

  it('records the day and each cycle with its funnel', async () => {
    const [day] = (await tradingDaysOn(h.database.db, result.tradingDate)).filter(
      (d) => d.workflowId === workflowId,
    );
    expect(day).toMatchObject({
      status: 'completed',
      cycles: result.cycles,
      ordersSubmitted: result.ordersSubmitted,
      fills: result.fills,
      openPositionsAtClose: 0,
    });
    expect(toMicros(day!.realizedPnl!)).toBe(toMicros(result.realizedPnl));
    const cycles = (await cyclesForDay(h.database.db, result.tradingDate)).filter(
      (c) => c.workflowId === workflowId,
    );
    expect(cycles).toHaveLength(result.cycles);
    expect(cycles.every((c) => c.status === 'completed')).toBe(true);
    // The config's funnel: 200 → 35 → 20 → 10, each stage's real count.
    for (const c of cycles) {
      const f = c.funnel!;
      expect(f.universe).toBeGreaterThanOrEqual(4000);
      expect([f.scanned, f.news, f.patterns, f.technical]).toEqual([200, 35, 20, 10]);
      expect(f.scored).toBeLessThanOrEqual(f.technical);
      expect(f.risk_approved).toBeLessThanOrEqual(f.scored);
    }
  });

  it("keeps every stage's scores in the database", async () => {
    const cycles = (await cyclesForDay(h.database.db, result.tradingDate)).filter(
      (c) => c.workflowId === workflowId,
    );
    const count = async (table: string, cycleId: string): Promise<number> => {
      const [r] = await rows<{ n: number }>(
        h.database.db,
        sql`select count(*)::int as n from ${sql.identifier(table)} where cycle_id = ${cycleId}`,
      );
      return r!.n;
    };
    let patterns = 0;
    let headlines = 0;
    for (const c of cycles) {
      expect(await count('news_sentiment', c.cycleId)).toBe(200);
      expect(await count('technical_indicators', c.cycleId)).toBe(20);
      patterns += await count('pattern_analysis', c.cycleId);
      const scan = await scanResultsForCycle(h.database.db, c.cycleId);
      expect(scan).toHaveLength(200);
      expect(scan.every((r) => r.scanScore !== null && r.newsScore !== null)).toBe(true);
      expect(scan.filter((r) => r.patternScore !== null)).toHaveLength(35);
      expect(scan.filter((r) => r.technicalScore !== null)).toHaveLength(20);
      const ranked = scan.filter((r) => r.finalRank !== null).sort((a, b) => a.finalRank! - b.finalRank!);
      expect(ranked).toHaveLength(10);
      expect(ranked.map((r) => Number(r.compositeScore))).toEqual(
        ranked.map((r) => Number(r.compositeScore)).sort((a, b) => b - a),
      );
      const [news] = await rows<{ n: number }>(
        h.database.db,
        sql`select coalesce(sum(headline_count), 0)::int as n from news_sentiment where cycle_id = ${c.cycleId}`,
      );
      headlines += news!.n;
    }
    expect(patterns).toBeGreaterThan(0);
    expect(headlines).toBeGreaterThan(0);
  });
  it("reports the day: each trade's P&L and the total equal the broker's fills to the cent, each with its exit reason and scores", async () => {
    const data = await readReportData(h.database.db, {
      from: result.tradingDate,
      to: result.tradingDate,
      venue: 'simulator',
    });
    const report = buildReport(data, {
      from: result.tradingDate,
      to: result.tradingDate,
      venue: 'simulator',
    });
    const trades = report.trades.filter((t) => t.accountId === h.accountId);
    expect(trades.length).toBeGreaterThan(0);

    // From the broker's own record: each entry's buy, against its bracket legs' and its exits' sells
    // (an exit's id names its entry's cycle and symbol).
    const filled = (o: { filledQty: string; filledAvgPrice: string | null }): Micros =>
      o.filledAvgPrice === null ? 0n : toMicros(o.filledAvgPrice) * BigInt(Number(o.filledQty));
    const nested = await h.broker.listOrders({ status: 'all', nested: true, limit: 500 });
    const flat = await allBrokerOrders(h.broker);
    let brokerTotal = 0n;
    for (const o of flat) brokerTotal += o.side === 'sell' ? filled(o) : -filled(o);
    for (const t of trades) {
      const entry = nested.find((o) => o.clientOrderId === t.entryClientOrderId)!;
      const parts = parseClientOrderId(t.entryClientOrderId)!;
      const exits = flat.filter((o) => {
        const p = parseClientOrderId(o.clientOrderId);
        return p?.leg === 'exit' && p.cycle === parts.cycle && p.symbol === parts.symbol;
      });
      const sells = [...entry.legs, ...exits].reduce((sum, o) => sum + filled(o), 0n);
      expect(formatMicros(toMicros(t.realizedPnl), 2), t.entryClientOrderId).toBe(
        formatMicros(sells - filled(entry), 2),
      );
      expect(t.status, t.entryClientOrderId).toBe('closed');
      expect(t.exitReason, t.entryClientOrderId).not.toBeNull();
      const f = t.why.factors;
      expect(f, t.entryClientOrderId).not.toBeNull();
      for (const score of [f!.composite, f!.news, f!.technical, f!.momentum, f!.volume])
        expect(score, t.entryClientOrderId).not.toBeNull();
      expect(t.why.riskApproved, t.entryClientOrderId).toBe(true);
    }
    expect(report.figures.totalPnl).toBe(formatMicros(brokerTotal, 2));
    expect(report.figures.totalPnl).toBe(result.realizedPnl);
    expect(report.cycles.filter((c) => c.funnel !== null)).toHaveLength(result.cycles);
  });
  it('keeps the daily report after the close: the HTML page, and its email in the outbox (no SMTP set)', async () => {
    const page = join(h.reportsDir, `report-${result.tradingDate}-simulator.html`);
    // The report is sent after the result; it is on its way, not necessarily there yet.
    await waitUntil(
      async () => readdirSync(h.outboxDir).some((f) => f.endsWith('-daily-report.json')),
      30_000,
    );
    const [entry] = readdirSync(h.outboxDir)
      .filter((f) => f.endsWith('-daily-report.json'))
      .map((f) => JSON.parse(readFileSync(join(h.outboxDir, f), 'utf8')));
    expect(entry).toMatchObject({
      severity: 'INFO',
      email: 'not_configured',
      dailyReport: true,
      attachments: [{ filename: `report-${result.tradingDate}-simulator.html`, path: page }],
    });
    expect(entry.subject).toMatch(
      new RegExp(`^Daily report ${result.tradingDate} \\(simulator\\): \\d+ trades`),
    );
    expect(entry.body).toContain(`Total P&L:`);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('equity-line');
    expect(html).toContain(result.tradingDate);
  });
});

/**
 * The HTML report in a real Chromium: every chart draws its marks (counted, with non-zero sizes),
 * nothing is fetched and nothing runs, hostile text stays text, and an empty day still renders.
 * The rendered page is kept as test-artifacts/report.png for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../src/domain/report/html/renderReportHtml';
import { buildReport } from '../../../src/domain/report/buildReport';
import type { DailyReport } from '../../../src/domain/report/reportTypes';
import { DATE } from './reportKit';
import { emptyData, fixtureData } from './reportFixture';
import { PROJECT_DIR } from '../../support/catalystHarness';
import { launchChromium } from '../../support/chromium';

const ARTIFACTS = join(PROJECT_DIR, 'test-artifacts');
const scope = { from: DATE, to: DATE, venue: 'simulator' };

/** The page's document, typed just as far as these checks read it. */
interface PageDocument {
  scripts: { length: number };
  body: { textContent: string | null };
}

/** Each mark's SVG box (its own geometry) and its box on screen. */
async function marks(
  page: Page,
  selector: string,
): Promise<{ w: number; h: number; sw: number; sh: number }[]> {
  return page.$$eval(selector, (els) =>
    els.map((el) => {
      // The SVG geometry of the mark itself (the project compiles without the DOM library).
      const b = (el as unknown as { getBBox(): { width: number; height: number } }).getBBox();
      const r = el.getBoundingClientRect();
      return { w: b.width, h: b.height, sw: r.width, sh: r.height };
    }),
  );
}

async function open(browser: Browser, html: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.setContent(html, { waitUntil: 'load' });
  return { page, requests };
}

describe('the HTML report in Chromium', () => {
  let browser: Browser;
  let report: DailyReport;
  let html: string;

  beforeAll(async () => {
    browser = await launchChromium();
    report = buildReport(fixtureData(), scope);
    html = renderReportHtml(report);
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 900_000);
  afterAll(async () => browser?.close());

  it('draws the equity curve with its drawdown, the exposure, one bar per trade and the funnel of every cycle', async () => {
    const { page, requests } = await open(browser, html);
    try {
      const closed = report.trades.filter((t) => t.closedQuantity > 0);
      const counts = {
        equityLine: await page.locator('.equity-line').count(),
        drawdown: await page.locator('.drawdown-area').count(),
        points: await page.locator('.equity-point').count(),
        exposure: await page.locator('.exposure-area').count(),
        tradeBars: await page.locator('.trade-bar').count(),
        wins: await page.locator('.trade-bar.win').count(),
        losses: await page.locator('.trade-bar.loss').count(),
        funnelBars: await page.locator('.funnel-bar').count(),
        funnelTotals: await page.locator('.funnel-total-bar').count(),
        factorBars: await page.locator('.factor-bar').count(),
        reasonBars: await page.locator('.reason-bar').count(),
        tradeRows: await page.locator('table.trades tr.trade').count(),
        eventRows: await page.locator('tr.risk-event').count(),
      };
      const factors = report.trades.flatMap((t) =>
        t.why.factors
          ? [
              t.why.factors.composite,
              t.why.factors.news,
              t.why.factors.technical,
              t.why.factors.pattern,
              t.why.factors.momentum,
              t.why.factors.volume,
            ]
          : [],
      );
      expect(counts).toEqual({
        equityLine: 1,
        drawdown: 1,
        points: report.equityCurve.length,
        exposure: 1,
        tradeBars: closed.length,
        wins: closed.filter((t) => !t.realizedPnl.startsWith('-')).length,
        losses: closed.filter((t) => t.realizedPnl.startsWith('-')).length,
        // Four cycles recorded a funnel (the fifth failed before it): eight stages each.
        funnelBars: 4 * 8,
        funnelTotals: 8,
        factorBars: factors.filter((f) => f !== null).length,
        reasonBars: report.risk.rejectionReasons.length,
        tradeRows: report.trades.length,
        eventRows: report.riskEvents.length,
      });
      for (const selector of [
        '.equity-line',
        '.drawdown-area',
        '.exposure-area',
        '.trade-bar',
        '.funnel-bar',
        '.funnel-total-bar',
        '.factor-bar',
      ]) {
        const boxes = await marks(page, selector);
        expect(boxes.length, selector).toBeGreaterThan(0);
        for (const b of boxes) {
          expect(b.w, `${selector} width`).toBeGreaterThan(0);
          expect(b.sw, `${selector} on-screen width`).toBeGreaterThan(0);
          if (selector !== '.equity-line') expect(b.h, `${selector} height`).toBeGreaterThan(0);
        }
      }
      const line = await page.locator('.equity-line').boundingBox();
      expect(line!.width).toBeGreaterThan(300);
      expect(line!.height).toBeGreaterThan(20);

      // Exit reasons label the per-trade chart.
      expect(await page.locator('.trade-reason').allTextContents()).toEqual([
        'target',
        'stop',
        'max hold',
        'flatten',
      ]);
      // Self-contained: no request beyond the page itself, no script.
      expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
      expect(
        await page.evaluate(
          () => (globalThis as unknown as { document: PageDocument }).document.scripts.length,
        ),
      ).toBe(0);
      // Hostile text is shown as text.
      const text = await page.evaluate(
        () => (globalThis as unknown as { document: PageDocument }).document.body.textContent ?? '',
      );
      expect(text).toContain('correlation <0.8> with "AAPL" & MSFT');
      expect(text).toContain('passed the <loss> warning threshold & more');
      expect(await page.locator('loss, unavailable').count()).toBe(0);
      expect(text).toContain('BRK.B');

      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('an empty day renders: the figures, "no trades", the funnel, no trade marks', async () => {
    const empty = buildReport(emptyData(), scope);
    const { page } = await open(browser, renderReportHtml(empty));
    try {
      expect(await page.locator('.trade-bar').count()).toBe(0);
      expect(await page.locator('.equity-line').count()).toBe(0);
      expect(await page.locator('.funnel-bar').count()).toBe(8);
      expect(await page.locator('.no-trades').textContent()).toMatch(/no trades/i);
      expect(await page.locator('.key-figures .figure').count()).toBeGreaterThanOrEqual(8);
      await page.screenshot({ path: join(ARTIFACTS, 'report-empty.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('escapes every symbol and reason (no browser needed to see it)', () => {
    const hostile = fixtureData();
    hostile.orders = hostile.orders.map((o) =>
      o.symbol === 'MSFT' ? { ...o, symbol: '<img src=x onerror=alert(1)>' } : o,
    );
    const page = renderReportHtml(buildReport(hostile, scope));
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toMatch(/<script/i);
  });
});

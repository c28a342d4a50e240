/**
 * The Temporal Web UI explains the day: a person finds the running day by its search attributes,
 * opens it, and reads Catalyst's current details (phase, cycle, book, funnel, candidates) and its
 * child position monitor. Real Chromium against the dev server's own UI; the screenshots are kept
 * in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { positionMonitorWorkflowId } from '../../src/shared';
import { statusQuery } from '../../src/workflows/messages';
import { PROJECT_DIR, startHarness, type Harness } from '../support/catalystHarness';
import { launchChromium } from '../support/chromium';

const ARTIFACTS = join(PROJECT_DIR, 'test-artifacts');
const DATE = '2026-11-27'; // an early close: a short day

describe('the Web UI explains the day', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let workflowId: string;
  const ui = inject('temporalUiUrl');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // A seed of its own: its workflow id is this test's alone on the shared dev server (seed 7 is the main day's).
    h = await startHarness({ seed: 17, speed: 300, date: DATE });
    const handle = await h.startDay();
    workflowId = handle.workflowId;
    for (;;) {
      const s = await handle.query(statusQuery);
      if (s.ordersSubmitted > 0 && s.openPositions > 0) break;
      if (s.phase === 'flattening' || s.phase === 'closed')
        throw new Error('the day never opened a position');
      await sleep(100);
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    // Nothing more to see: the day would otherwise outlive its worker on the shared dev server.
    await h?.client.workflow
      .getHandle(workflowId)
      .terminate('web UI test done')
      .catch(() => undefined);
    await h?.close();
  });

  it('finds the running day by its search attributes, and shows its current details and its child monitor', async () => {
    // A saved view's query: the day's date and venue, and the orders it placed so far (kept current as it goes).
    const query = `CatalystTradingDate="${DATE}" AND CatalystVenue="simulator" AND CatalystOrders > 0 AND ExecutionStatus="Running"`;
    await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    const row = page.getByRole('link', { name: workflowId, exact: true });
    await row.first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'web-ui-search.png'), fullPage: true });
    await row.first().click();
    await page.getByText('TradingDayWorkflow').first().waitFor({ timeout: 30_000 });

    // Current details: the Markdown the day keeps up to date (dayDetails.ts).
    await page.getByRole('tab', { name: /User Metadata/ }).click();
    // The UI renders the Markdown in a frame of its own (its /render page).
    const frame = page.frameLocator('iframe[src*="Trading%20day"]');
    await frame.getByText(`Trading day ${DATE} (simulator, autonomous)`).waitFor({ timeout: 30_000 });
    const text = await frame.locator('body').innerText();
    expect(text).toMatch(/Phase:\s*(trading|no_new_entries)/);
    expect(text).toMatch(/Cycle:\s*\d+\s*·\s*orders submitted:\s*[1-9]/);
    expect(text).toMatch(/Catalyst.s book:\s*\d+ positions/);
    expect(text).toMatch(/Last funnel \(cycle \d+\):\s*\d+ symbols/);
    expect(text).toMatch(/Candidates:\s*[A-Z]+ \(\d+\.\d/);
    await page.screenshot({ path: join(ARTIFACTS, 'web-ui-details.png'), fullPage: true });

    // The child: the position monitor, listed under the day's relationships.
    await page.getByRole('tab', { name: /Relationships/ }).click();
    await page.getByText(positionMonitorWorkflowId(workflowId)).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'web-ui-monitor.png'), fullPage: true });
  });
  it("the README's saved views are queries the server accepts, and the running day matches its own", async () => {
    const views = [
      `WorkflowType = "TradingDayWorkflow" AND CatalystHalted = true AND CatalystTradingDate >= "2026-11-01"`,
      `CatalystVenue = "paper" AND CatalystRealizedPnl < 0`,
      `CatalystTradingDate = "${DATE}" AND ExecutionStatus = "Running"`,
      `WorkflowType = "TradingDayWorkflow" AND CatalystOrders > 0`,
    ];
    const ids = async (query: string): Promise<string[]> => {
      const found: string[] = [];
      for await (const w of h.client.workflow.list({ query })) found.push(w.workflowId);
      return found;
    };
    for (const view of views) await expect(ids(view), view).resolves.toBeInstanceOf(Array);
    expect(await ids(`${views[2]} AND WorkflowId = "${workflowId}"`)).toEqual([workflowId]);
    expect(await ids(`${views[3]} AND WorkflowId = "${workflowId}"`)).toEqual([workflowId]);
  });
});

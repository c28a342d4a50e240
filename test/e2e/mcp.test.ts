/**
 * `catalyst mcp` as an AI assistant meets it: the MCP SDK's own Client spawns the real binary
 * (`node bin/catalyst.mjs mcp`) over stdio, against a simulated day on the shared dev server and
 * its throwaway PostgreSQL. Every tool answers; bad arguments are error results, not a crash; the
 * emergency stop only describes itself until it is confirmed, then halts the day.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { statusQuery } from '../../src/workflows/messages';
import { PROJECT_DIR, startHarness, type Harness } from '../support/catalystHarness';
import { ADMIN_DATABASE_URL } from '../support/tempDatabase';

const TOOLS = [
  'approve_candidates',
  'emergency_stop',
  'get_report',
  'get_status',
  'list_candidates',
  'list_positions',
  'reject_candidates',
  'validate_config',
];

const text = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

describe('catalyst mcp', () => {
  let h: Harness;
  let handle: Awaited<ReturnType<Harness['startDay']>>;
  let mcp: Client;
  let stderr = '';
  const protocolErrors: Error[] = [];
  let reportBeforeTheDay: CallToolResult;
  let brokenDir: string;

  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    (await mcp.callTool({ name, arguments: args })) as CallToolResult;
  const data = <T = Record<string, unknown>>(r: CallToolResult): T => {
    expect(r.isError, text(r)).toBeFalsy();
    return r.structuredContent as T;
  };

  beforeAll(async () => {
    h = await startHarness({ seed: 31, speed: 600 });
    // The harness's own throwaway database, on the server the tests use.
    const found = (await h.database.db.execute(sql`select current_database() as name`)) as unknown as {
      rows: { name: string }[];
    };
    const databaseUrl = new URL(ADMIN_DATABASE_URL);
    databaseUrl.pathname = `/${found.rows[0]!.name}`;

    brokenDir = mkdtempSync(join(tmpdir(), 'catalyst-mcp-config-'));
    copyFileSync(join(PROJECT_DIR, 'config/trading_config.yaml'), join(brokenDir, 'trading_config.yaml'));
    const risk = readFileSync(join(PROJECT_DIR, 'config/risk_parameters.yaml'), 'utf8');
    expect(risk).toMatch(/max_positions: 5\n/);
    writeFileSync(
      join(brokenDir, 'risk_parameters.yaml'),
      risk.replace('max_positions: 5\n', 'max_positions: 0\n'),
    );

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['bin/catalyst.mjs', 'mcp'],
      cwd: PROJECT_DIR,
      env: {
        ...env,
        NO_COLOR: '1',
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        DATABASE_URL: databaseUrl.toString(),
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    mcp = new Client({ name: 'catalyst-mcp-test', version: '1.0.0' });
    // A stdout line that is not a protocol message ends up here.
    mcp.onerror = (err) => protocolErrors.push(err);
    await mcp.connect(transport);

    reportBeforeTheDay = await call('get_report');

    handle = await h.startDay();
    for (;;) {
      const s = await handle.query(statusQuery);
      if (s.openPositions > 0) break;
      if (s.phase === 'flattening' || s.phase === 'closed')
        throw new Error('the day never opened a position');
      await sleep(50);
    }
  });

  afterAll(async () => {
    await mcp?.close();
    if (handle) {
      await handle.cancel().catch(() => {});
      await handle.result().catch(() => {}); // the close-out flattens before the day ends
    }
    await h?.close();
    if (brokenDir) rmSync(brokenDir, { recursive: true, force: true });
  });

  it('lists every tool, and a resource per config file plus the latest report', async () => {
    const tools = (await mcp.listTools()).tools;
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    const stop = tools.find((t) => t.name === 'emergency_stop')!;
    expect(Object.keys(stop.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['confirm', 'reason']),
    );
    expect(stop.annotations?.destructiveHint).toBe(true);
    const uris = (await mcp.listResources()).resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'catalyst://config/trading_config.yaml',
        'catalyst://config/risk_parameters.yaml',
        'catalyst://report/latest',
      ]),
    );
    const config = await mcp.readResource({ uri: 'catalyst://config/risk_parameters.yaml' });
    expect(config.contents[0]).toMatchObject({ mimeType: 'application/yaml' });
    expect((config.contents[0] as { text: string }).text).toContain('max_positions: 5');
  });

  it('says nothing is recorded before a day has run', () => {
    expect(reportBeforeTheDay.isError).toBe(true);
    expect(text(reportBeforeTheDay)).toMatch(/^nothing recorded in .*: no trading day has run yet/);
  });

  it("finds the running day and reads its phase, candidates with scores, and Catalyst's positions", async () => {
    // Without arguments it finds the one running day (the dev server is shared: tolerate others).
    const found = await call('get_status');
    if (found.isError)
      expect(text(found)).toMatch(new RegExp(`several trading days are running .*${handle.workflowId}`));
    else expect(found.structuredContent).toMatchObject({ workflowId: handle.workflowId });

    const day = { workflowId: handle.workflowId };
    const status = data<{ phase: string; halted: boolean; venue: string }>(await call('get_status', day));
    expect(status).toMatchObject({ venue: 'simulator', halted: false });
    expect(['trading', 'no_new_entries', 'flattening']).toContain(status.phase);

    const { candidates } = data<{
      candidates: { symbol: string; compositeScore: number; decision: string }[];
    }>(await call('list_candidates', day));
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) {
      expect(c.symbol).toMatch(/^[A-Z.]+$/);
      expect(c.compositeScore).toBeTypeOf('number');
      expect(c.decision).toMatch(/^(approved|rejected)/);
    }

    // The positions are recorded as the monitor reconciles them: allow it a few ticks.
    let positions: { symbol: string; qty: string; status: string }[] = [];
    for (let i = 0; i < 50 && positions.length === 0; i++) {
      const answer = data<{ positions: typeof positions; openPositions: number }>(
        await call('list_positions', { ...day, includeClosed: true }),
      );
      expect(Array.isArray(answer.positions)).toBe(true);
      expect(answer.openPositions).toBeTypeOf('number');
      positions = answer.positions;
      if (positions.length === 0) await sleep(200);
    }
    expect(positions.length).toBeGreaterThan(0);
    for (const p of positions) expect(Number(p.qty)).toBeGreaterThan(0);
  });

  it('returns the report with its figures once the day has traded, as a tool and as a resource', async () => {
    const report = data<{ days: { workflowId: string }[]; figures: { trades: number; totalPnl: string } }>(
      await call('get_report'),
    );
    expect(report.days.map((d) => d.workflowId)).toContain(handle.workflowId);
    expect(report.figures.trades).toBeTypeOf('number');
    expect(report.figures.totalPnl).toMatch(/^-?\d+\.\d{2}/);
    const resource = await mcp.readResource({ uri: 'catalyst://report/latest' });
    const latest = JSON.parse((resource.contents[0] as { text: string }).text);
    expect(latest.days.map((d: { workflowId: string }) => d.workflowId)).toContain(handle.workflowId);
  });

  it('validates config/ and names the key of a broken copy', async () => {
    expect(data(await call('validate_config'))).toMatchObject({ ok: true });
    const broken = data<{ ok: boolean; files: { file: string; problems: string[] }[] }>(
      await call('validate_config', { configDir: brokenDir }),
    );
    expect(broken.ok).toBe(false);
    expect(broken.files.flatMap((f) => f.problems)).toEqual([
      expect.stringMatching(/^risk_parameters\.yaml: position_limits\.max_positions .*\(got 0\)$/),
    ]);
  });

  it('answers bad arguments with an error result and keeps serving', async () => {
    const venue = await call('get_status', { venue: 'moon' });
    expect(venue.isError).toBe(true);
    expect(text(venue)).toMatch(/must be simulator, paper or live \(got "moon"\) at venue/);
    const unknown = await call('get_status', { workflowID: handle.workflowId });
    expect(text(unknown)).toMatch(/Unrecognized key: "workflowID"/);
    const noDay = await call('list_positions', { workflowId: 'trading-day-1999-01-04-sim' });
    expect(noDay.isError).toBe(true);
    expect(text(noDay)).toMatch(/^no trading day trading-day-1999-01-04-sim on this Temporal namespace/);
    const nothingOffered = await call('approve_candidates', { workflowId: handle.workflowId, all: true });
    expect(nothingOffered.isError).toBe(true);
    expect(text(nothingOffered)).toMatch(/no candidates are waiting for approval/);
    const both = await call('reject_candidates', {
      workflowId: handle.workflowId,
      all: true,
      symbols: ['AAPL'],
    });
    expect(text(both)).toMatch(/name the symbols or pass all: true \(not both\)/);
    const badRange = await call('get_report', { from: '2026-11-24' });
    expect(text(badRange)).toMatch(/^from and to go together/);
    // Still serving.
    expect(data(await call('get_status', { workflowId: handle.workflowId }))).toHaveProperty('phase');
  });

  it('describes the emergency stop without confirmation and does nothing; with it, halts the day', async () => {
    const day = { workflowId: handle.workflowId };
    const preview = await call('emergency_stop', { ...day, reason: 'mcp test' });
    expect(preview.isError).toBeFalsy();
    expect(text(preview)).toMatch(/NOT SENT/);
    expect(text(preview)).toMatch(/cancel the running cycle and Catalyst's \d+ open order/);
    expect(text(preview)).toMatch(/close Catalyst's \d+ open position/);
    expect(text(preview)).toMatch(/halt new entries for the rest of the trading day/);
    expect(text(preview)).toMatch(
      /not touch: \d+ holding\(s\) and \d+ order\(s\) in the account that are not Catalyst's/,
    );
    expect(preview.structuredContent).toMatchObject({ sent: false, confirmWith: 'EMERGENCY STOP' });
    const wrong = await call('emergency_stop', { ...day, reason: 'mcp test', confirm: 'yes' });
    expect(wrong.isError).toBe(true);
    expect(text(wrong)).toMatch(/confirm must be exactly "EMERGENCY STOP" \(got "yes"\): nothing was done/);
    const untouched = await handle.query(statusQuery);
    expect(untouched).toMatchObject({ halted: false, emergencies: 0 });

    const stop = data<{ sent: boolean; halted: boolean; outcome: { done: boolean } | null }>(
      await call('emergency_stop', {
        ...day,
        reason: 'mcp test',
        confirm: 'EMERGENCY STOP',
        waitSeconds: 60,
      }),
    );
    expect(stop).toMatchObject({ sent: true, halted: true });
    expect(await handle.query(statusQuery)).toMatchObject({
      halted: true,
      haltReason: 'mcp test',
      emergencies: 1,
    });

    expect(protocolErrors, stderr).toEqual([]);
  });
});

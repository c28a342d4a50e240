/**
 * What every tool of `catalyst mcp` shares: one Temporal connection (opened on first use, kept
 * for the session), the database (opened per call and closed after, so an embedded PGlite is
 * never held between calls), the config directory, the argument schemas and the result shapes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { parseDate } from '../client/cliErrors';
import { projectDir } from '../client/projectDir';
import { runningTradingDays } from '../client/findTradingDay';
import { openReportDatabase } from '../client/reportCommand';
import type { Database } from '../db/createDatabase';
import type { Venue } from '../shared';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';

export interface McpContext {
  /** The directory validate_config checks by default and the config resources serve. */
  configDir: string;
  /** The Temporal client, connected on first use; a failed connection is retried on the next call. */
  temporal(): Promise<Client>;
  /** Runs `work` on the database `catalyst up` uses (DATABASE_URL, else the PGlite), then closes it. */
  withDatabase<T>(work: (database: Database, where: string) => Promise<T>): Promise<T>;
  /** Diagnostics: stderr only (stdout carries the protocol). */
  log(line: string): void;
  close(): Promise<void>;
}

export function createMcpContext(opts: { configDir: string; env?: NodeJS.ProcessEnv }): McpContext {
  const env = opts.env ?? process.env;
  let client: Promise<Client> | null = null;
  return {
    configDir: opts.configDir,
    temporal() {
      client ??= connectClient(temporalTargetFromEnv(env)).catch((err: unknown) => {
        client = null;
        throw err;
      });
      return client;
    },
    async withDatabase(work) {
      refuseOpenPglite(env);
      const { database, where } = await openReportDatabase(env);
      try {
        return await work(database, where);
      } finally {
        await database.close();
      }
    },
    log: (line) => process.stderr.write(`catalyst mcp: ${line}\n`),
    async close() {
      const open = client;
      client = null;
      if (open) await open.then((c) => c.connection.close()).catch(() => undefined);
    },
  };
}

/** The embedded PGlite is held by a running `catalyst up`: opening it from here too is refused. */
export class DatabaseInUse extends Error {
  override name = 'DatabaseInUse';
}

/**
 * PGlite does not lock its directory: a second process opens it beside `catalyst up`, sees a stale
 * state and may write over the live one. Its `postmaster.pid` is there while a process has it open
 * (and after a crash, until the next clean start).
 */
function refuseOpenPglite(env: NodeJS.ProcessEnv): void {
  if (env.DATABASE_URL?.trim()) return;
  const dir = join(env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst'), 'pgdata');
  if (existsSync(join(dir, 'postmaster.pid')))
    throw new DatabaseInUse(
      `the embedded database ${dir} is open in another process (a running \`catalyst up\`; or one that crashed): PGlite serves one process at a time. Set DATABASE_URL (PostgreSQL) for both, or ask again once \`catalyst up\` has stopped`,
    );
}

// ---------------------------------------------------------------------------------------------
// Arguments

const got = (input: unknown): string => JSON.stringify(input) ?? String(input);

export const dateArg = z
  .string({ error: (iss) => `must be a date YYYY-MM-DD (got ${got(iss.input)})` })
  .refine(
    (v) => {
      try {
        parseDate('date', v);
        return true;
      } catch {
        return false;
      }
    },
    { error: (iss) => `must be a calendar date YYYY-MM-DD (got ${got(iss.input)})` },
  );

export const venueArg = z.enum(['simulator', 'paper', 'live'], {
  error: (iss) => `must be simulator, paper or live (got ${got(iss.input)})`,
});

/** Which trading day a tool acts on: the one running (narrowed by date/venue), or one by its id. */
export const dayArgs = {
  workflowId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'the trading day workflow id, e.g. trading-day-2026-11-24-sim (default: the one running day, narrowed by date and venue)',
    ),
  date: dateArg.optional().describe('the running day of this trading date (YYYY-MM-DD, New York)'),
  venue: venueArg.optional().describe('the running day of this venue, when days of several venues run'),
};

export interface DayArgs {
  workflowId?: string;
  date?: string;
  venue?: Venue;
}

/** The day's workflow id: the one named, or the one running day that matches the date and venue. */
export async function resolveDay(client: Client, args: DayArgs): Promise<string> {
  if (args.workflowId) return args.workflowId;
  const running = await runningTradingDays(client, { date: args.date, venue: args.venue });
  const narrowed = [args.date ? `on ${args.date}` : '', args.venue ? `on the ${args.venue} venue` : '']
    .filter(Boolean)
    .join(' ');
  if (running.length === 0)
    throw new Error(
      `no trading day is running${narrowed ? ` ${narrowed}` : ''} (start one with \`catalyst up\`, or name a day with workflowId)`,
    );
  if (running.length > 1)
    throw new Error(
      `several trading days are running (${running.map((d) => d.workflowId).join(', ')}): pass workflowId, or date and/or venue`,
    );
  return running[0]!.workflowId;
}

/** A workflow call's failure, said in the day's terms (a wrong id is the usual one). */
export function dayError(workflowId: string, err: unknown): Error {
  if (err instanceof WorkflowNotFoundError)
    return new Error(`no trading day ${workflowId} on this Temporal namespace (check the workflowId)`);
  return new Error(`${workflowId}: ${(err as Error)?.message ?? String(err)}`);
}

// ---------------------------------------------------------------------------------------------
// Results

/** A tool's answer: the JSON as text (what every client shows) and as structured content. */
export function jsonResult(value: Record<string, unknown>, summary?: string): CallToolResult {
  return {
    content: [
      ...(summary ? [{ type: 'text' as const, text: summary }] : []),
      { type: 'text' as const, text: JSON.stringify(value, null, 2) },
    ],
    structuredContent: value,
  };
}

/** A refusal the caller can act on (no day running, nothing offered, not confirmed). */
export function errorResult(message: string, value?: Record<string, unknown>): CallToolResult {
  return {
    content: [
      { type: 'text' as const, text: message },
      ...(value ? [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }] : []),
    ],
    ...(value ? { structuredContent: value } : {}),
    isError: true,
  };
}

/**
 * `catalyst halt`: the emergency stop. With a trading day running, it signals the day (which
 * cancels its cycle, flattens Catalyst's book until flat and halts entries for the day) and prints
 * this call's own outcome. With none running — or Temporal unreachable — it flattens Catalyst's
 * book itself through the broker. Either way, nothing that is not Catalyst's is touched.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Venue } from '../shared';
import { parseEnv } from '../settings/loadSettings';
import { haltWithoutDay, NothingToHalt, type HaltWithoutDayOutcome } from '../stack/haltWithoutDay';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import {
  emergencyStopOutcomeQuery,
  emergencyStopSignal,
  type EmergencyStopOutcome,
} from '../workflows/messages';
import { UsageError } from './cliErrors';
import { runningTradingDays } from './findTradingDay';
import { colour, createOutput, type Output } from './output';
import { projectDir } from './projectDir';

export interface HaltOptions {
  reason: string;
  date?: string;
  venue?: Venue;
  json: boolean;
  /** Seconds to wait for Catalyst's book to be confirmed flat. */
  wait: number;
  live: boolean;
}

export async function haltCommand(opts: HaltOptions): Promise<void> {
  const reason = opts.reason?.trim();
  if (!reason) throw new UsageError('--reason must say why trading is halted (e.g. --reason "news shock")');
  const out = createOutput(opts.json);
  let client: Client | null = null;
  try {
    client = await connectClient(temporalTargetFromEnv());
  } catch (err) {
    out.info(
      colour.yellow(`${(err as Error).message}: flattening Catalyst's book directly (no day can be halted)`),
    );
  }
  try {
    const days = client ? await runningTradingDays(client, { date: opts.date, venue: opts.venue }) : [];
    if (days.length > 1)
      throw new UsageError(
        `several trading days are running (${days.map((d) => d.workflowId).join(', ')}); pass --date YYYY-MM-DD and/or --venue simulator|paper|live`,
      );
    if (client && days.length === 1)
      return await haltRunningDay(client, days[0]!.workflowId, reason, opts, out);
    await flattenDirectly(reason, opts, out);
  } finally {
    await client?.connection.close();
  }
}

async function haltRunningDay(
  client: Client,
  workflowId: string,
  reason: string,
  opts: HaltOptions,
  out: Output,
): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  const requestId = `cli-${randomUUID()}`;
  await handle.signal(emergencyStopSignal, { reason, source: 'cli', requestId });
  out.info(`${colour.red('EMERGENCY STOP')} sent to ${workflowId}: ${reason}`);
  let outcome: EmergencyStopOutcome | null = null;
  const deadline = Date.now() + opts.wait * 1000;
  while (Date.now() < deadline) {
    outcome = await handle.query(emergencyStopOutcomeQuery, requestId);
    if (outcome?.done) break;
    await sleep(250);
  }
  const confirmed = outcome?.done === true && outcome.flat;
  out.result({ workflowId, halted: true, confirmed, requestId, ...(outcome ?? {}) }, () => {
    if (!outcome) {
      out.info(`the day has not started flattening within ${opts.wait}s — check \`catalyst status\``);
      return;
    }
    printOutcome(out, {
      cancelledOrders: outcome.cancelledOrders,
      closedPositions: outcome.closedPositions,
      failures: outcome.failures,
      flat: outcome.flat,
      foreign: outcome.foreignPositions ? `${outcome.foreignPositions} holding(s)` : '',
    });
    if (!outcome.done)
      out.info(colour.yellow(`still flattening after ${opts.wait}s; the day keeps going until flat`));
    out.info('no new entries for the rest of the day');
  });
  if (!confirmed) process.exitCode = 1;
}

async function flattenDirectly(reason: string, opts: HaltOptions, out: Output): Promise<void> {
  let outcome: HaltWithoutDayOutcome;
  try {
    outcome = await haltWithoutDay({
      env: parseEnv(process.env),
      live: opts.live,
      date: opts.date ?? null,
      reason,
      waitMs: opts.wait * 1000,
      outboxDir: resolve(process.env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst'), 'outbox'),
      log: out.log,
    });
  } catch (err) {
    if (err instanceof NothingToHalt) throw new UsageError(err.message);
    throw err;
  }
  out.result({ workflowId: null, direct: true, halted: true, confirmed: outcome.flat, ...outcome }, () => {
    out.info(
      `${colour.red('EMERGENCY STOP')}: no trading day is running; flattened Catalyst's book directly on ${outcome.venue}${outcome.endpoint ? ` (${outcome.endpoint})` : ''}`,
    );
    printOutcome(out, {
      cancelledOrders: outcome.cancelledOrders,
      closedPositions: outcome.closedPositions,
      failures: outcome.failures,
      flat: outcome.flat,
      foreign: outcome.foreignPositions.map((p) => `${p.qty} ${p.symbol}`).join(', '),
    });
    out.info(
      outcome.recorded
        ? 'recorded: a CRITICAL emergency_stop risk event, and an alert in the outbox'
        : 'recorded: an alert in the outbox (no risk event: set DATABASE_URL; the embedded PGlite belongs to `catalyst up`)',
    );
  });
  if (!outcome.flat) process.exitCode = 1;
}

function printOutcome(
  out: Output,
  o: {
    cancelledOrders: number;
    closedPositions: string[];
    failures: { symbol: string; message: string }[];
    flat: boolean;
    foreign: string;
  },
): void {
  out.info(`cancelled ${o.cancelledOrders} of Catalyst's open order(s)`);
  out.info(
    `sent exits for ${o.closedPositions.length} position(s)${o.closedPositions.length ? `: ${o.closedPositions.join(', ')}` : ''}`,
  );
  for (const f of o.failures) out.info(colour.yellow(`could not close ${f.symbol} yet: ${f.message}`));
  if (o.foreign) out.info(`left untouched (not Catalyst's): ${o.foreign}`);
  out.info(
    o.flat ? colour.green("Catalyst's book is flat") : colour.yellow("Catalyst's book is not flat yet"),
  );
}

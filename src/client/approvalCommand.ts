/**
 * `catalyst approve` / `catalyst reject`: the operator's answer to the candidates a supervised
 * cycle is offering, through the day's `decideCandidates` update. The update's validator refuses a
 * symbol that was not offered and a cycle that is no longer waiting, so an answer that arrives
 * late or names the wrong thing is one clear line, never a silent trade.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Venue } from '../shared';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { decideCandidatesUpdate, statusQuery } from '../workflows/messages';
import { UsageError } from './cliErrors';
import { findRunningTradingDay } from './findTradingDay';
import { colour, createOutput } from './output';

export interface ApprovalOptions {
  verdict: 'approve' | 'reject';
  symbols: string[];
  all: boolean;
  date?: string;
  venue?: Venue;
  json: boolean;
}

export async function approvalCommand(opts: ApprovalOptions): Promise<void> {
  if (opts.all === opts.symbols.length > 0)
    throw new UsageError(`${opts.verdict}: name the symbols or pass --all (not both)`);
  const out = createOutput(opts.json);
  const client = await connectClient(temporalTargetFromEnv());
  try {
    const workflowId = await findRunningTradingDay(client, { date: opts.date, venue: opts.venue });
    const day = client.workflow.getHandle(workflowId);
    const status = await day.query(statusQuery);
    const pending = status.pendingApproval;
    if (!pending)
      throw new UsageError(`no candidates are waiting for approval in ${workflowId} (phase ${status.phase})`);
    const offered = pending.candidates.map((c) => c.symbol);
    const named = [...new Set(opts.symbols.map((s) => s.trim().toUpperCase()))];
    const notOffered = named.filter((s) => !offered.includes(s));
    if (notOffered.length)
      throw new UsageError(
        `not offered in cycle ${pending.cycle}: ${notOffered.join(', ')} (offered: ${offered.join(', ')})`,
      );
    const chosen = opts.all ? offered : named;
    const approve = opts.verdict === 'approve' ? chosen : offered.filter((s) => !chosen.includes(s));
    let result;
    try {
      result = await day.executeUpdate(decideCandidatesUpdate, { args: [{ cycle: pending.cycle, approve }] });
    } catch (err) {
      // The validator's words (the cycle moved on, the window closed) are the whole story.
      if (err instanceof WorkflowUpdateFailedError) throw new UsageError(err.cause?.message ?? err.message);
      throw err;
    }
    out.result({ workflowId, cycle: pending.cycle, ...result }, () => {
      out.info(`cycle ${pending.cycle} of ${workflowId}:`);
      out.info(`  ${colour.green('approved')} ${result.approved.join(' ') || '(none)'}`);
      out.info(`  ${colour.red('rejected')} ${result.rejected.join(' ') || '(none)'}`);
    });
  } finally {
    await client.connection.close();
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { emergencyStopSignal, lastEmergencyQuery, type EmergencyStopOutcome } from '../workflows/messages';
import { UsageError } from './cliErrors';
import { findRunningTradingDay } from './findTradingDay';
import { colour, createOutput } from './output';

export async function haltCommand(opts: {
  reason: string;
  date?: string;
  json: boolean;
  wait: number;
}): Promise<void> {
  const reason = opts.reason?.trim();
  if (!reason) throw new UsageError('--reason must say why trading is halted (e.g. --reason "news shock")');
  const out = createOutput(opts.json);
  const client = await connectClient(temporalTargetFromEnv());
  try {
    const workflowId = await findRunningTradingDay(client, opts.date);
    const handle = client.workflow.getHandle(workflowId);
    await handle.signal(emergencyStopSignal, { reason, source: 'cli' });
    out.info(`${colour.red('EMERGENCY STOP')} sent to ${workflowId}: ${reason}`);
    let outcome: EmergencyStopOutcome | null = null;
    const deadline = Date.now() + opts.wait * 1000;
    while (!outcome && Date.now() < deadline) {
      outcome = await handle.query(lastEmergencyQuery);
      if (!outcome) await sleep(250);
    }
    if (!outcome) {
      out.result({ workflowId, halted: true, confirmed: false }, () =>
        out.info(
          `halt signalled; the day has not confirmed the flatten within ${opts.wait}s — check \`catalyst status\``,
        ),
      );
      process.exitCode = 1;
      return;
    }
    out.result({ workflowId, halted: true, confirmed: true, ...outcome }, () => {
      out.info(`cancelled ${outcome!.cancelledOrders} open order(s)`);
      out.info(
        `closed ${outcome!.closedPositions.length} position(s)${outcome!.closedPositions.length ? `: ${outcome!.closedPositions.join(', ')}` : ''}`,
      );
      out.info(
        outcome!.flat
          ? colour.green('book is flat; no new entries for the rest of the day')
          : colour.yellow('close orders sent; the day keeps flattening until flat'),
      );
    });
  } finally {
    await client.connection.close();
  }
}

/**
 * `catalyst pause` / `resume` / `mode`: steer the running day through its updates. Pausing stops
 * new entries only; the monitor, stops and the close-out go on.
 */
import type { TradingMode } from '../workflows/messages';
import type { Venue } from '../shared';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { setEntriesPausedUpdate, setModeUpdate } from '../workflows/messages';
import { findRunningTradingDay } from './findTradingDay';
import { createOutput } from './output';

export type DayControl = { op: 'pause' } | { op: 'resume' } | { op: 'mode'; mode: TradingMode };

export async function dayControlCommand(
  control: DayControl,
  opts: { date?: string; venue?: Venue; json: boolean },
): Promise<void> {
  const out = createOutput(opts.json);
  const client = await connectClient(temporalTargetFromEnv());
  try {
    const workflowId = await findRunningTradingDay(client, { date: opts.date, venue: opts.venue });
    const day = client.workflow.getHandle(workflowId);
    if (control.op === 'mode') {
      const mode = await day.executeUpdate(setModeUpdate, { args: [control.mode] });
      out.result({ workflowId, mode }, () => out.info(`${workflowId}: mode ${mode}`));
    } else {
      const paused = await day.executeUpdate(setEntriesPausedUpdate, { args: [control.op === 'pause'] });
      out.result({ workflowId, entriesPaused: paused }, () =>
        out.info(
          `${workflowId}: ${paused ? 'new entries paused (positions are still watched and flattened)' : 'entries resumed'}`,
        ),
      );
    }
  } finally {
    await client.connection.close();
  }
}

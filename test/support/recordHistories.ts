/**
 * With CATALYST_RECORD_HISTORY set, keeps a finished day's history and its monitor's (or any one
 * workflow's) under
 * test/histories, named by workflow id (the replay needs it: the monitor's id derives from the
 * day's). test/replay replays them against the current workflow code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { positionMonitorWorkflowId } from '../../src/shared';
import { PROJECT_DIR } from './catalystHarness';

export async function recordHistories(client: Client, dayWorkflowId: string): Promise<void> {
  for (const id of [dayWorkflowId, positionMonitorWorkflowId(dayWorkflowId)]) await recordHistory(client, id);
}

/** One finished workflow's history (e.g. a `catalyst scan`), with CATALYST_RECORD_HISTORY set. */
export async function recordHistory(client: Client, workflowId: string): Promise<void> {
  if (!process.env.CATALYST_RECORD_HISTORY) return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(PROJECT_DIR, `test/histories/${workflowId}.json`), historyToJSON(history));
}

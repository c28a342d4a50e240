import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

// A CommonJS package: its namespaces are reachable from the default export only under Node's ESM loader.
const { temporal } = proto;

/**
 * The identities of the workers that polled a task queue's workflow tasks in the last few
 * minutes (the server's memory of pollers): empty when no worker would run a day started there.
 */
export async function workflowPollers(client: Client, taskQueue: string): Promise<string[]> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return [...new Set((res.pollers ?? []).map((p) => p.identity || '?'))];
}

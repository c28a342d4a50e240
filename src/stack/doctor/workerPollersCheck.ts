/**
 * Whether a Catalyst worker polls the task queue of the venue `catalyst up` would trade
 * (`catalyst-sim`, `catalyst-paper-<account>`, …): without one, the schedule starts days that
 * never run. The server remembers the pollers of the last few minutes (DescribeTaskQueue); a
 * worker polls its workflow and its activity queue, and a day needs both.
 */
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { taskQueueFor, type VenueScope } from '../../shared';
import { ok, oneLine, warn, type CheckResult } from './checkResult';

const { temporal } = proto;
const TaskQueueType = temporal.api.enums.v1.TaskQueueType;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;

const NAME = 'temporal worker';

export async function checkWorkerPollers(
  connection: Connection,
  namespace: string,
  scope: VenueScope,
  deadline: number,
): Promise<CheckResult> {
  const taskQueue = taskQueueFor(scope);
  const describe = (taskQueueType: proto.temporal.api.enums.v1.TaskQueueType) =>
    connection.withDeadline(deadline, () =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType,
      }),
    );
  let workflowPollers: proto.temporal.api.taskqueue.v1.IPollerInfo[];
  let activityPollers: proto.temporal.api.taskqueue.v1.IPollerInfo[];
  try {
    const [wf, act] = await Promise.all([
      describe(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
      describe(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
    ]);
    workflowPollers = wf.pollers ?? [];
    activityPollers = act.pollers ?? [];
  } catch (err) {
    return warn(NAME, `cannot describe task queue ${taskQueue}: ${oneLine(err)}`);
  }
  const start =
    scope.venue === 'simulator'
      ? 'start `catalyst up` (it runs the worker)'
      : 'start `catalyst worker` (or `catalyst up`) with these Alpaca keys';
  if (workflowPollers.length === 0 && activityPollers.length === 0)
    return warn(NAME, `no worker polls ${taskQueue}: trading days of this venue would not run`, start);
  const identities = [...new Set([...workflowPollers, ...activityPollers].map((p) => p.identity || '?'))];
  const counts = `${workflowPollers.length} workflow and ${activityPollers.length} activity poller(s) on ${taskQueue}`;
  if (workflowPollers.length === 0 || activityPollers.length === 0)
    return warn(
      NAME,
      `${counts}: a day needs both (${identities.join(', ')})`,
      `restart the worker of ${taskQueue}`,
    );
  return ok(NAME, `${counts} (${identities.join(', ')})`);
}

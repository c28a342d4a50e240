/**
 * The Temporal Schedule that starts the venue's trading days (`catalyst-trading-day-<venue>`): the
 * guide's cron jobs, so "no scans running" is found here. On the simulator (or an endpoint of our
 * own) `catalyst up` drives the sessions and keeps it paused; on Alpaca it must be active.
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { scheduleIdFor, type VenueScope } from '../../shared';
import { ok, oneLine, warn, type CheckResult } from './checkResult';

const NAME = 'temporal schedule';

export async function checkTradingSchedule(
  client: Client,
  scope: VenueScope,
  opts: { deadline: number; drivenByUp: boolean },
): Promise<CheckResult> {
  const id = scheduleIdFor(scope);
  let description;
  try {
    description = await client.connection.withDeadline(opts.deadline, () =>
      client.schedule.getHandle(id).describe(),
    );
  } catch (err) {
    if (err instanceof ScheduleNotFoundError)
      return warn(
        NAME,
        `no schedule ${id}: no trading day of this venue starts by itself`,
        '`catalyst up` creates it (or `catalyst schedule create`)',
      );
    return warn(NAME, `cannot describe schedule ${id}: ${oneLine(err)}`);
  }
  const { paused, note } = description.state;
  const next = description.info.nextActionTimes[0];
  const noteText = note ? ` (${note})` : '';
  if (paused && opts.drivenByUp)
    return ok(NAME, `${id}: paused${noteText}; \`catalyst up\` starts this venue's sessions itself`);
  if (paused)
    return warn(
      NAME,
      `${id}: paused${noteText}: no trading day starts`,
      `\`catalyst schedule unpause\` (or \`temporal schedule toggle --unpause --schedule-id ${id}\`)`,
    );
  return ok(NAME, `${id}: active${next ? `, next start ${next.toISOString()}` : ''}`);
}

import type { Client } from '@temporalio/client';
import type { Venue } from '../shared';
import { UsageError } from './cliErrors';

export interface DayFilter {
  date?: string;
  venue?: Venue;
}

export interface RunningDay {
  workflowId: string;
  tradingDate: string | null;
  venue: string | null;
  account: string | null;
}

/** Running trading days, narrowed by date and venue (days of every venue share a cluster). */
export async function runningTradingDays(client: Client, filter: DayFilter = {}): Promise<RunningDay[]> {
  const clauses = [`WorkflowType = 'TradingDayWorkflow'`, `ExecutionStatus = 'Running'`];
  if (filter.date) clauses.push(`CatalystTradingDate = '${filter.date}'`);
  if (filter.venue) clauses.push(`CatalystVenue = '${filter.venue}'`);
  const days: RunningDay[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) {
    const attr = (name: string): string | null => {
      const v = (wf.searchAttributes as Record<string, unknown[]> | undefined)?.[name]?.[0];
      return typeof v === 'string' ? v : null;
    };
    days.push({
      workflowId: wf.workflowId,
      tradingDate: attr('CatalystTradingDate'),
      venue: attr('CatalystVenue'),
      account: attr('CatalystAccount'),
    });
  }
  return days;
}

const describe = (f: DayFilter): string =>
  [f.date ? `on ${f.date}` : '', f.venue ? `on the ${f.venue} venue` : ''].filter(Boolean).join(' ');

/** The one running trading day that matches, or a usage error saying how to pick one. */
export async function findRunningTradingDay(client: Client, filter: DayFilter = {}): Promise<string> {
  const running = await runningTradingDays(client, filter);
  if (running.length === 0)
    throw new UsageError(
      `no trading day is running${describe(filter) ? ` ${describe(filter)}` : ''} (start one with \`catalyst up\`)`,
    );
  if (running.length > 1)
    throw new UsageError(
      `several trading days are running (${running.map((d) => d.workflowId).join(', ')}); pass --date YYYY-MM-DD and/or --venue simulator|paper|live`,
    );
  return running[0]!.workflowId;
}

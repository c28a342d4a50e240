/**
 * PositionMonitorWorkflow: the child that ticks once per market minute. Each tick reconciles
 * positions and orders with the broker, marks P&L, enforces stops and the max hold time as a
 * backstop to the broker's bracket legs, and reports to the trading day. Continues as new when
 * its history grows, so a whole session stays small.
 */
import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/types';
import { activityRetry } from './activityRetry';
import { marketToTimerMs, nextMinuteMs } from './marketTime';
import {
  emergencyStopSignal,
  monitorReportSignal,
  stopMonitoringSignal,
  type MonitorReport,
  type PositionMonitorInput,
  type PositionMonitorResult,
} from './messages';

/** Keep each run's history well under Temporal's limits even when the server does not suggest it. */
const MAX_HISTORY_EVENTS = 2_000;
const REPORT_EVERY_TICKS = 5;

export async function PositionMonitorWorkflow(input: PositionMonitorInput): Promise<PositionMonitorResult> {
  let stop = input.stopRequested ?? false;
  setHandler(stopMonitoringSignal, () => {
    stop = true;
  });
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: activityRetry(input.speed, 5),
  });
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  let ticks = input.ticks ?? 0;
  let lastReport: MonitorReport | null = null;
  let limitSignalled = false;
  let lastSent: MonitorReport | null = null;

  while (!stop) {
    let report;
    try {
      report = await acts.reconcilePositions.executeWithOptions(
        {
          startToCloseTimeout: '1 minute',
          retry: activityRetry(input.speed, 5),
          summary: `tick ${ticks + 1}`,
        },
        [{ tradingDate: input.tradingDate, maxHoldMinutes: input.maxHoldMinutes }],
      );
    } catch (err) {
      // One failed tick must not end monitoring; the broker's bracket legs still protect positions.
      log.warn('monitor tick failed', { error: (err as Error).message });
      await condition(() => stop, marketToTimerMs(60_000, input.speed), {
        summary: 'retry after a failed tick',
      });
      continue;
    }
    ticks += 1;
    const { dailyLossLevel, ...summary } = report;
    lastReport = summary;
    setCurrentDetails(
      `## Monitor ${input.tradingDate}\n\n**Tick** ${ticks} · **positions** ${summary.openPositions} · **orders** ${summary.openOrders}\n\n**P&L** realized ${summary.realizedPnl}, unrealized ${summary.unrealizedPnl} (${dailyLossLevel})`,
    );
    try {
      // Report changes (and a heartbeat every few minutes), not every tick: the day's history stays small.
      const changed =
        !lastSent ||
        lastSent.openPositions !== summary.openPositions ||
        lastSent.openOrders !== summary.openOrders ||
        lastSent.realizedPnl !== summary.realizedPnl ||
        ticks % REPORT_EVERY_TICKS === 0;
      if (changed) {
        await parent.signal(monitorReportSignal, summary);
        lastSent = summary;
      }
      if (dailyLossLevel === 'limit' && !limitSignalled) {
        limitSignalled = true;
        await parent.signal(emergencyStopSignal, {
          reason: `daily loss limit reached (P&L ${summary.dailyPnl})`,
          source: 'monitor',
        });
      }
    } catch {
      log.info('trading day is gone; monitor stops');
      break;
    }
    if (summary.marketTimeMs >= input.untilMs || stop) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS) {
      await continueAsNew<typeof PositionMonitorWorkflow>({ ...input, ticks, stopRequested: stop });
    }
    const next = nextMinuteMs(summary.marketTimeMs);
    await condition(() => stop, marketToTimerMs(next - summary.marketTimeMs, input.speed), {
      summary: 'next market minute',
    });
  }
  return { ticks, lastReport };
}

/**
 * PositionMonitorWorkflow: the child that ticks once per market minute. Each tick first guards
 * Catalyst's book from the broker alone — backstop stops, max hold, stale entries, the daily loss
 * warning and limit — and only then starts the bookkeeping that writes it to the database, which
 * can fail without disabling any of the guards. A guard that cannot read the broker N ticks in a
 * row raises a CRITICAL alert; past a second threshold it asks the day for an emergency stop.
 * Continues as new before its history grows large.
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
import type { Activities, GuardReport } from '../activities/types';
import { activityRetry } from './activityRetry';
import { WORKER_LOST_AFTER } from './dayActivities';
import { BackgroundTasks, SETTLE_TIMEOUT } from './backgroundTasks';
import { errorMessage } from './dayContext';
import { MINUTE_MS, nextMinuteMs } from './marketTime';
import { marketWaits } from './marketWait';
import { responderOf } from './emergencyStop';
import {
  dayHaltedSignal,
  emergencyStopSignal,
  monitorReportSignal,
  stopMonitoringSignal,
  type EmergencyActions,
  type MonitorCarry,
  type MonitorReport,
  type PositionMonitorInput,
  type PositionMonitorResult,
} from './messages';

/** Keep each run's history well under Temporal's limits even when the server does not suggest it. */
const MAX_HISTORY_EVENTS = 2_000;
/** Report to the day (and write the book) on change, and at least this often. */
const REPORT_EVERY_TICKS = 5;

/** A tick is one market minute: a guard that needs longer has failed, and the next tick tries anew. */
const guardOptions = (speed: number) => ({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: WORKER_LOST_AFTER,
  retry: activityRetry(speed, 3),
});

function monitorActivities(speed: number) {
  return {
    guard: proxyActivities<Activities>(guardOptions(speed)),
    records: proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: activityRetry(speed, 3) }),
    alerts: proxyActivities<Activities>({
      startToCloseTimeout: '30 seconds',
      retry: activityRetry(speed, 3),
    }),
  };
}

export async function PositionMonitorWorkflow(input: PositionMonitorInput): Promise<PositionMonitorResult> {
  const m: MonitorCarry = input.carried ?? {
    halted: input.halted ?? false,
    ticks: 0,
    failedTicks: 0,
    blindSinceMs: null,
    blindAlerted: false,
    blindStopRequested: false,
    warned: false,
    limitSignalled: false,
    stopRequested: false,
  };
  setHandler(stopMonitoringSignal, () => void (m.stopRequested = true));
  setHandler(dayHaltedSignal, () => void (m.halted = true));
  const acts = monitorActivities(input.speed);
  const tasks = new BackgroundTasks();
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const clock = marketWaits({
    speed: input.speed,
    clock: input.marketClock,
    participant: workflowInfo().workflowId,
  });
  const alert = (key: string, severity: 'WARNING' | 'CRITICAL', subject: string, body: string): void =>
    tasks.run(`alert ${key}`, () =>
      acts.alerts.sendAlert({
        severity,
        subject,
        body,
        dedupeKey: `${input.parentWorkflowId}-monitor-${key}`,
      }),
    );
  const askForEmergency = async (reason: string, actions?: EmergencyActions): Promise<void> => {
    // Driven clock: the stop acts at this minute, before the clock may move on without it.
    await clock.markBusy([responderOf(input.parentWorkflowId)]);
    await parent.signal(emergencyStopSignal, { reason, source: 'monitor', ...(actions ? { actions } : {}) });
  };
  /** risk_parameters.yaml decides: the emergency stop and its actions, or only the alert (entries stay refused by the risk gate). */
  const onLossLimit = async (guard: GuardReport): Promise<void> => {
    const policy = guard.lossLimit;
    const reason = `daily loss limit reached (P&L ${guard.dailyPnl})`;
    if (!policy) return askForEmergency(reason);
    if (policy.emergencyStop) {
      const { emergencyStop: _, maxLoss: __, ...actions } = policy;
      return askForEmergency(reason, actions);
    }
    if (policy.sendAlert)
      alert(
        'loss-limit',
        'CRITICAL',
        `Daily loss limit reached on ${input.tradingDate}`,
        `Catalyst's P&L is ${guard.dailyPnl} against a limit of ${policy.maxLoss}. emergency_stop_at_100 is off: Catalyst's positions keep their bracket stops, and the risk manager refuses new entries while the loss stands.`,
      );
  };
  let lastReport: MonitorReport | null = null;
  let lastSent: MonitorReport | null = null;
  let lastRecorded: MonitorReport | null = null;
  let bookkeeping: Promise<void> | null = null;
  let nowMs = input.startMs;

  while (!m.stopRequested) {
    m.ticks += 1;
    const guard: GuardReport | null = await acts.guard.guardPositions
      .executeWithOptions({ ...guardOptions(input.speed), summary: `tick ${m.ticks}` }, [
        { tradingDate: input.tradingDate, halted: m.halted },
      ])
      .catch((err: unknown) => {
        log.warn('monitor tick failed', { error: errorMessage(err) });
        return null;
      });
    if (!guard) {
      // Blind: counted in ticks, or in the market minutes since the streak began if more (at
      // simulator speeds a failing tick can take longer than the minute it stands for).
      m.blindSinceMs ??= Date.now();
      // On the driven clock no market time passes while a tick fails: there, ticks are the minutes.
      const blindMinutes = clock.driven
        ? 0
        : Math.floor(((Date.now() - m.blindSinceMs) * input.speed) / MINUTE_MS) + 1;
      m.failedTicks = Math.max(m.failedTicks + 1, blindMinutes);
      showDetails(input, m, lastReport, `guard failed ${m.failedTicks} ticks in a row`);
      if (m.failedTicks >= input.alertAfterFailedTicks && !m.blindAlerted) {
        m.blindAlerted = true;
        alert(
          `failed-ticks-${m.ticks}`,
          'CRITICAL',
          `Position monitor blind on ${input.tradingDate}: ${m.failedTicks} failed ticks`,
          `The monitor could not read Catalyst's positions from the broker for ${m.failedTicks} market minutes. The broker's bracket stops stay in place; at ${input.emergencyAfterFailedTicks} failed ticks the day flattens Catalyst's book as soon as the broker answers.`,
        );
      }
      if (m.failedTicks >= input.emergencyAfterFailedTicks && !m.blindStopRequested) {
        m.blindStopRequested = true;
        await askForEmergency(`position monitor could not read the broker for ${m.failedTicks} ticks`).catch(
          () => undefined,
        );
      }
      const target = nowMs + MINUTE_MS;
      await clock.sleepUntil(target, nowMs, 'retry after a failed tick', () => m.stopRequested);
      nowMs = target;
      continue;
    }
    Object.assign(m, { failedTicks: 0, blindSinceMs: null, blindAlerted: false, blindStopRequested: false });
    nowMs = guard.marketTimeMs;
    const report: MonitorReport = { ...reportOf(guard), failedTicks: 0 };
    lastReport = report;
    showDetails(input, m, report, guard.dailyLossLevel);
    // A loss that jumps past the limit in one tick passed the warning on the way: it is sent too.
    if (guard.dailyLossLevel !== 'ok' && !m.warned) {
      m.warned = true;
      alert(
        'loss-warning',
        'WARNING',
        `Daily loss warning on ${input.tradingDate}`,
        `Catalyst's P&L is ${guard.dailyPnl}${guard.lossLimit ? ` against a loss limit of ${guard.lossLimit.maxLoss}` : ''}.`,
      );
    }
    try {
      if (!lastSent || changed(lastSent, report) || m.ticks % REPORT_EVERY_TICKS === 0) {
        await parent.signal(monitorReportSignal, report);
        lastSent = report;
      }
      if (guard.dailyLossLevel === 'limit' && !m.limitSignalled) {
        m.limitSignalled = true;
        await onLossLimit(guard);
      }
    } catch {
      log.info('trading day is gone; monitor stops');
      break;
    }
    // Bookkeeping when the book changed or the guard acted (and every few ticks for prices), never in the guard's way.
    const acted =
      guard.exits.length > 0 || guard.staleEntriesCancelled.length > 0 || guard.dailyLossLevel !== 'ok';
    if (
      !bookkeeping &&
      (acted || !lastRecorded || changed(lastRecorded, report) || m.ticks % REPORT_EVERY_TICKS === 0)
    ) {
      lastRecorded = report;
      bookkeeping = record(acts, input, guard, alert).finally(() => (bookkeeping = null));
    }
    if (guard.marketTimeMs >= input.untilMs) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS) {
      // Bounded: a hung database must not stop the guard (the next run writes the book again).
      await condition(() => bookkeeping === null, SETTLE_TIMEOUT);
      await tasks.settled();
      await continueAsNew<typeof PositionMonitorWorkflow>({ ...input, carried: m });
    }
    await clock.sleepUntil(nextMinuteMs(nowMs), nowMs, 'next market minute', () => m.stopRequested);
  }
  await condition(() => bookkeeping === null, SETTLE_TIMEOUT);
  await tasks.settled();
  await clock.leave([clock.participant]);
  return { ticks: m.ticks, lastReport };
}

/** Bookkeeping after the guard: a failure is logged and the next tick writes the book again. */
async function record(
  acts: ReturnType<typeof monitorActivities>,
  input: PositionMonitorInput,
  guard: GuardReport,
  alert: (key: string, severity: 'WARNING' | 'CRITICAL', subject: string, body: string) => void,
): Promise<void> {
  try {
    const out = await acts.records.recordBook({ tradingDate: input.tradingDate, guard });
    if (out.foreignPositions.length || out.foreignOrders)
      alert(
        'foreign-book',
        'WARNING',
        `Holdings that are not Catalyst's on ${input.tradingDate}`,
        `The account holds ${out.foreignPositions.map((p) => `${p.qty} ${p.symbol}`).join(', ') || 'no other positions'} and ${out.foreignOrders} open orders that Catalyst did not place. Catalyst leaves them untouched and counts them as exposure.`,
      );
  } catch (err) {
    log.warn('monitor bookkeeping failed; the guards are unaffected', { error: errorMessage(err) });
  }
}

function reportOf(g: GuardReport): Omit<MonitorReport, 'failedTicks'> {
  return {
    marketTimeMs: g.marketTimeMs,
    openPositions: g.openPositions,
    openOrders: g.openOrders,
    foreignPositions: g.foreignPositions,
    foreignOrders: g.foreignOrders,
    realizedPnl: g.realizedPnl,
    unrealizedPnl: g.unrealizedPnl,
    dailyPnl: g.dailyPnl,
    closedByMonitor: g.closedByMonitor,
  };
}

const changed = (a: MonitorReport, b: MonitorReport): boolean =>
  a.openPositions !== b.openPositions ||
  a.openOrders !== b.openOrders ||
  a.realizedPnl !== b.realizedPnl ||
  a.foreignPositions !== b.foreignPositions ||
  a.foreignOrders !== b.foreignOrders;

function showDetails(
  input: PositionMonitorInput,
  m: MonitorCarry,
  r: MonitorReport | null,
  note: string,
): void {
  setCurrentDetails(
    [
      `## Monitor ${input.tradingDate}`,
      `**Tick** ${m.ticks}${m.failedTicks ? ` · **failed ticks in a row:** ${m.failedTicks}` : ''}`,
      r
        ? `**Catalyst's positions** ${r.openPositions} · **orders** ${r.openOrders} · **not Catalyst's** ${r.foreignPositions} holdings, ${r.foreignOrders} orders`
        : '',
      r ? `**P&L** realized ${r.realizedPnl}, unrealized ${r.unrealizedPnl}` : '',
      `**Status:** ${note}`,
    ]
      .filter(Boolean)
      .join('\n\n'),
  );
}

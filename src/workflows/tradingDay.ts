/**
 * TradingDayWorkflow: one trading date, read top to bottom as the guide's data flow —
 * wait for the open, run scan cycles until the no-new-entries cut-off, watch positions through a
 * child monitor, flatten before the close, verify flat, report. All market time comes from the
 * broker clock (activities); timers are market durations divided by `speed`.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  condition,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, RiskDecisionSummary } from '../activities/types';
import { SearchAttr, positionMonitorWorkflowId } from '../shared';
import { activityRetry } from './activityRetry';
import { marketToTimerMs, nextCycleMs, planDay, type DayPlan } from './marketTime';
import {
  decideCandidatesUpdate,
  emergencyStopSignal,
  lastEmergencyQuery,
  monitorReportSignal,
  setEntriesPausedUpdate,
  setModeUpdate,
  statusQuery,
  stopMonitoringSignal,
  type CandidateDecision,
  type CycleFunnel,
  type EmergencyStopOutcome,
  type EmergencyStopRequest,
  type TradingDayInput,
  type TradingDayResult,
  type TradingDayStatus,
  type TradingMode,
} from './messages';
import { PositionMonitorWorkflow } from './positionMonitor';

/** The day's activity stubs; retry backoff is market time, so it scales with the speed. */
function dayActivities(speed: number) {
  const retry = activityRetry(speed);
  return {
    retry,
    // Reads: a cycle's stage fetches thousands of quotes, so allow more attempts than one blip costs.
    acts: proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: activityRetry(speed, 10) }),
    // Orders are idempotent on client_order_id, so retrying placement can never duplicate an order.
    orderActs: proxyActivities<Activities>({
      startToCloseTimeout: '1 minute',
      retry: activityRetry(speed, 8),
    }),
    // Getting flat is not optional: keep retrying until the broker answers.
    safetyActs: proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry }),
    clockActs: proxyLocalActivities<Activities>({
      startToCloseTimeout: '15 seconds',
      retry: activityRetry(speed, 10),
    }),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validateInput(input: TradingDayInput): void {
  const problems: string[] = [];
  if (!input || typeof input !== 'object')
    throw ApplicationFailure.nonRetryable('workflow input must be an object', 'InvalidInput');
  if (typeof input.tradingDate !== 'string' || !DATE.test(input.tradingDate))
    problems.push(`tradingDate must be YYYY-MM-DD (got ${JSON.stringify(input.tradingDate)})`);
  if (typeof input.speed !== 'number' || !(input.speed > 0) || input.speed > 100_000)
    problems.push(`speed must be a number in (0, 100000] (got ${JSON.stringify(input.speed)})`);
  if (input.mode !== 'supervised' && input.mode !== 'autonomous')
    problems.push(`mode must be supervised or autonomous (got ${JSON.stringify(input.mode)})`);
  if (!['simulator', 'paper', 'live'].includes(input.venue))
    problems.push(`venue must be simulator, paper or live (got ${JSON.stringify(input.venue)})`);
  if (problems.length)
    throw ApplicationFailure.nonRetryable(
      `invalid TradingDayWorkflow input: ${problems.join('; ')}`,
      'InvalidInput',
    );
}

export async function TradingDayWorkflow(input: TradingDayInput): Promise<TradingDayResult> {
  validateInput(input);
  const { tradingDate, speed } = input;
  const info = workflowInfo();
  const { retry, acts, orderActs, safetyActs, clockActs } = dayActivities(speed);

  const status: TradingDayStatus = {
    tradingDate,
    venue: input.venue,
    mode: input.mode,
    phase: 'starting',
    cycle: 0,
    lastFunnel: null,
    candidates: [],
    ordersSubmitted: 0,
    openPositions: 0,
    openOrders: 0,
    realizedPnl: '0.00',
    unrealizedPnl: '0.00',
    dailyPnl: '0.00',
    halted: false,
    haltReason: null,
    entriesPaused: false,
    pendingApproval: null,
    marketTimeMs: null,
  };
  let pendingEmergency: EmergencyStopRequest | null = null;
  let lastEmergency: EmergencyStopOutcome | null = null;
  let approval: { cycle: number; approve: string[] } | null = null;

  setHandler(statusQuery, () => status);
  setHandler(lastEmergencyQuery, () => lastEmergency);
  setHandler(emergencyStopSignal, (req) => {
    if (status.halted) return;
    const reason =
      typeof req?.reason === 'string' && req.reason.trim()
        ? req.reason.trim().slice(0, 500)
        : 'no reason given';
    status.halted = true;
    status.haltReason = reason;
    pendingEmergency = { reason, source: typeof req?.source === 'string' ? req.source : 'signal' };
  });
  setHandler(monitorReportSignal, (report) => {
    status.openPositions = report.openPositions;
    status.openOrders = report.openOrders;
    status.realizedPnl = report.realizedPnl;
    status.unrealizedPnl = report.unrealizedPnl;
    status.dailyPnl = report.dailyPnl;
    status.marketTimeMs = report.marketTimeMs;
  });
  setHandler(
    setEntriesPausedUpdate,
    (paused) => {
      status.entriesPaused = paused;
      return paused;
    },
    {
      validator: (paused) => {
        if (typeof paused !== 'boolean')
          throw new Error(`paused must be true or false (got ${JSON.stringify(paused)})`);
      },
    },
  );
  setHandler(
    setModeUpdate,
    (mode) => {
      status.mode = mode;
      upsertSearchAttributes([{ key: SearchAttr.mode, value: mode }]);
      return mode;
    },
    {
      validator: (mode: TradingMode) => {
        if (mode !== 'supervised' && mode !== 'autonomous')
          throw new Error(`mode must be supervised or autonomous (got ${JSON.stringify(mode)})`);
      },
    },
  );
  setHandler(
    decideCandidatesUpdate,
    (decision: CandidateDecision) => {
      const offered = status.pendingApproval?.candidates.map((c) => c.symbol) ?? [];
      const approve = offered.filter((s) => decision.approve.includes(s));
      approval = { cycle: decision.cycle, approve };
      return { approved: approve, rejected: offered.filter((s) => !approve.includes(s)) };
    },
    {
      validator: (decision: CandidateDecision) => {
        if (!decision || typeof decision.cycle !== 'number' || !Array.isArray(decision.approve)) {
          throw new Error('decision must be {cycle: number, approve: string[]}');
        }
        const pending = status.pendingApproval;
        if (!pending || pending.cycle !== decision.cycle) {
          throw new Error(`no candidates are waiting for approval in cycle ${decision.cycle}`);
        }
        const offered = new Set(pending.candidates.map((c) => c.symbol));
        const unknown = decision.approve.filter((s) => !offered.has(s));
        if (unknown.length) throw new Error(`not offered in cycle ${decision.cycle}: ${unknown.join(', ')}`);
      },
    },
  );

  upsertSearchAttributes([
    { key: SearchAttr.tradingDate, value: tradingDate },
    { key: SearchAttr.mode, value: input.mode },
    { key: SearchAttr.venue, value: input.venue },
    { key: SearchAttr.halted, value: false },
    { key: SearchAttr.realizedPnl, value: 0 },
  ]);
  const details = (): void =>
    setCurrentDetails(
      [
        `## Trading day ${tradingDate} (${input.venue}, ${status.mode})`,
        `**Phase:** ${status.phase}${status.halted ? ` — **HALTED**: ${status.haltReason}` : ''}`,
        `**Cycle:** ${status.cycle} · **orders submitted:** ${status.ordersSubmitted}`,
        `**P&L:** realized ${status.realizedPnl}, unrealized ${status.unrealizedPnl}`,
        status.lastFunnel
          ? `**Last funnel:** ${status.lastFunnel.universe} → ${status.lastFunnel.scanned} → ${status.lastFunnel.technical} → ${status.lastFunnel.riskApproved} → ${status.lastFunnel.ordersPlaced} orders`
          : '',
        status.candidates.length
          ? `**Candidates:** ${status.candidates.map((c) => `${c.symbol} (${c.compositeScore.toFixed(1)})`).join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  details();

  let cfg = await acts.loadDayConfig();
  const day = await acts.getMarketDay(tradingDate);
  await acts.recordDayStart({ tradingDate, mode: input.mode, venue: input.venue, speed });

  if (!day.isTradingDay) {
    status.phase = 'market_closed';
    details();
    const summary = await acts.finishTradingDay({
      tradingDate,
      status: 'market_closed',
      cycles: 0,
      ordersSubmitted: 0,
      halted: false,
      haltReason: null,
    });
    return {
      tradingDate,
      status: 'market_closed',
      cycles: 0,
      ...summary,
      halted: false,
      haltReason: null,
    };
  }

  let plan: DayPlan = planDay(day, cfg);
  const now = async (): Promise<number> => {
    const reading = await clockActs.readMarketClock();
    status.marketTimeMs = reading.nowMs;
    return reading.nowMs;
  };

  /** Sleeps until a market time, waking early for an emergency stop. */
  const waitUntil = async (targetMs: number, nowMs: number, summary: string): Promise<void> => {
    if (targetMs <= nowMs) return;
    await condition(() => pendingEmergency !== null, marketToTimerMs(targetMs - nowMs, speed), { summary });
  };

  const runEmergency = async (): Promise<void> => {
    const req = pendingEmergency!;
    pendingEmergency = null;
    upsertSearchAttributes([{ key: SearchAttr.halted, value: true }]);
    details();
    log.warn('emergency stop', { reason: req.reason, source: req.source });
    // Flattening must finish even if the workflow is being cancelled.
    lastEmergency = await CancellationScope.nonCancellable(() =>
      safetyActs.emergencyStop.executeWithOptions(
        { startToCloseTimeout: '1 minute', retry, summary: `EMERGENCY STOP: ${req.reason}` },
        [{ tradingDate, reason: req.reason, source: req.source ?? 'signal' }],
      ),
    );
    await safetyActs.sendAlert({
      severity: 'CRITICAL',
      subject: `EMERGENCY STOP on ${tradingDate}: ${req.reason}`,
      body: `Source: ${req.source}. Cancelled ${lastEmergency.cancelledOrders} orders; closing ${lastEmergency.closedPositions.length} positions (${lastEmergency.closedPositions.join(', ') || 'none'}). New entries are halted for the rest of the day.`,
      dedupeKey: `${info.workflowId}-${info.runId}-emergency`,
    });
  };

  const runCycle = async (cycleNumber: number, marketTimeMs: number): Promise<void> => {
    const cycleId = `${tradingDate}-c${String(cycleNumber).padStart(2, '0')}-${info.runId.slice(0, 8)}`;
    const ref = { cycleId, tradingDate, cycleNumber };
    const funnel: CycleFunnel = { universe: 0, scanned: 0, technical: 0, riskApproved: 0, ordersPlaced: 0 };
    const aborted = (): boolean => status.halted || status.entriesPaused;
    try {
      await acts.beginCycle.executeWithOptions(
        {
          startToCloseTimeout: '1 minute',
          retry: activityRetry(speed, 10),
          summary: `cycle ${cycleNumber}: begin`,
        },
        [{ ...ref, marketTimeMs }],
      );
      const scan = await acts.scanUniverse.executeWithOptions(
        {
          startToCloseTimeout: '3 minutes',
          retry: activityRetry(speed, 10),
          summary: `cycle ${cycleNumber}: scan universe`,
        },
        [ref],
      );
      funnel.universe = scan.universe;
      funnel.scanned = scan.candidates.length;
      if (aborted()) return void (await acts.finishCycle({ cycleId, status: 'aborted', funnel }));
      const scored = await acts.computeIndicators.executeWithOptions(
        {
          startToCloseTimeout: '3 minutes',
          retry: activityRetry(speed, 10),
          summary: `cycle ${cycleNumber}: indicators for ${scan.candidates.length}`,
        },
        [{ ...ref, symbols: scan.candidates }],
      );
      funnel.technical = scored.candidates.length;
      const risk = await acts.validateRisk.executeWithOptions(
        {
          startToCloseTimeout: '1 minute',
          retry: activityRetry(speed, 10),
          summary: `cycle ${cycleNumber}: validate risk`,
        },
        [{ ...ref, candidates: scored.candidates }],
      );
      let approved: RiskDecisionSummary[] = risk.decisions.filter((d) => d.approved);
      funnel.riskApproved = approved.length;
      status.candidates = risk.decisions.map((d) => ({
        symbol: d.symbol,
        compositeScore: scored.candidates.find((c) => c.symbol === d.symbol)?.compositeScore ?? 0,
        approved: d.approved,
        qty: d.qty,
        reasons: d.reasons,
      }));
      if (approved.length && status.mode === 'supervised')
        approved = await awaitApproval(cycleNumber, approved);
      if (aborted() || approved.length === 0)
        return void (await acts.finishCycle({
          cycleId,
          status: aborted() ? 'aborted' : 'completed',
          funnel,
        }));
      const placement = await orderActs.placeBracketOrders.executeWithOptions(
        {
          startToCloseTimeout: '1 minute',
          retry: activityRetry(speed, 8),
          summary: `cycle ${cycleNumber}: bracket orders for ${approved.map((d) => d.symbol).join(', ')}`,
        },
        [{ ...ref, decisions: approved }],
      );
      funnel.ordersPlaced = placement.placed.length;
      status.ordersSubmitted += placement.placed.length;
      await acts.finishCycle({ cycleId, status: 'completed', funnel });
    } catch (err) {
      // A failed cycle must not end the day: positions still need watching and flattening.
      if (!(err instanceof ActivityFailure)) throw err;
      const message = err.cause?.message ?? err.message;
      log.error('cycle failed', { cycleNumber, message });
      // Recording the failure is best effort: if the database is down too, the day still goes on.
      await Promise.allSettled([
        acts.finishCycle({ cycleId, status: 'failed', funnel, error: message }),
        acts.sendAlert({
          severity: 'WARNING',
          subject: `Cycle ${cycleNumber} failed on ${tradingDate}`,
          body: message,
          dedupeKey: `${cycleId}-failed`,
        }),
      ]);
    } finally {
      status.lastFunnel = { cycle: cycleNumber, ...funnel };
      details();
    }
  };

  const awaitApproval = async (
    cycleNumber: number,
    approved: RiskDecisionSummary[],
  ): Promise<RiskDecisionSummary[]> => {
    status.pendingApproval = { cycle: cycleNumber, candidates: status.candidates.filter((c) => c.approved) };
    approval = null;
    details();
    await acts.sendAlert({
      severity: 'INFO',
      subject: `Approval needed: cycle ${cycleNumber} on ${tradingDate}`,
      body: approved
        .map((d) => `${d.symbol} qty ${d.qty} stop ${d.stopPrice} target ${d.takeProfitPrice}`)
        .join('\n'),
      dedupeKey: `${tradingDate}-${info.runId}-approval-${cycleNumber}`,
    });
    const decided = await condition(
      () => approval?.cycle === cycleNumber || status.halted || status.mode === 'autonomous',
      marketToTimerMs(cfg.approvalTimeoutMinutes * 60_000, speed),
      { summary: `cycle ${cycleNumber}: waiting for approval` },
    );
    status.pendingApproval = null;
    if (status.mode === 'autonomous' && !approval) return approved;
    // No answer in time means no trade: silence must never place an order.
    if (!decided || !approval) return [];
    const chosen = (approval as { approve: string[] }).approve;
    return approved.filter((d) => chosen.includes(d.symbol));
  };

  // --- the day -----------------------------------------------------------------------------
  status.phase = 'waiting_for_open';
  details();
  let t = await now();
  while (t < plan.openMs && !pendingEmergency) {
    await waitUntil(plan.openMs, t, 'wait for the open');
    t = await now();
  }

  // Derived from this day's id, so a replayed or test day never collides with another's monitor.
  const monitorId = info.workflowId.startsWith('trading-day-')
    ? info.workflowId.replace(/^trading-day-/, 'position-monitor-')
    : positionMonitorWorkflowId(tradingDate);
  const monitor = await startChild(PositionMonitorWorkflow, {
    workflowId: monitorId,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    staticSummary: `Position monitor for ${tradingDate}`,
    args: [
      {
        tradingDate,
        speed,
        parentWorkflowId: info.workflowId,
        untilMs: plan.closeMs,
        maxHoldMinutes: cfg.maxHoldMinutes,
      },
    ],
  });

  status.phase = 'trading';
  details();
  let nextCycleAt = plan.firstCycleMs;
  for (;;) {
    if (pendingEmergency) await runEmergency();
    t = await now();
    if (t >= plan.flattenMs) break;
    if (t >= plan.noNewEntriesMs && status.phase === 'trading') {
      status.phase = 'no_new_entries';
      details();
    }
    const entriesOpen = !status.halted && !status.entriesPaused && t < plan.noNewEntriesMs;
    if (entriesOpen && t >= nextCycleAt) {
      status.cycle += 1;
      cfg = await acts.loadDayConfig(); // hot reload: each cycle runs on the config in force when it starts
      plan = planDay(day, cfg);
      await runCycle(status.cycle, t);
      nextCycleAt = nextCycleMs(plan, t, cfg.scanFrequencyMinutes);
      continue;
    }
    // Paused: look again every scan period, so a resume takes effect without waiting for a missed schedule.
    const wakeAt = status.entriesPaused
      ? Math.min(t + cfg.scanFrequencyMinutes * 60_000, plan.flattenMs)
      : entriesOpen
        ? Math.min(nextCycleAt, plan.flattenMs)
        : plan.flattenMs;
    const why =
      wakeAt === plan.flattenMs
        ? 'wait for the flatten time'
        : status.entriesPaused
          ? 'entries paused'
          : `wait for cycle ${status.cycle + 1}`;
    await waitUntil(wakeAt, t, why);
  }

  // --- close: flatten, verify flat, report ---------------------------------------------------
  status.phase = 'flattening';
  details();
  await CancellationScope.nonCancellable(async () => {
    if (pendingEmergency) await runEmergency();
    await safetyActs.flattenAll.executeWithOptions(
      { startToCloseTimeout: '1 minute', retry, summary: 'flatten before the close' },
      [{ tradingDate, reason: 'end of day' }],
    );
    for (let attempt = 1; ; attempt++) {
      if (pendingEmergency) await runEmergency();
      const flat = await safetyActs.checkFlat();
      status.openPositions = flat.openPositions;
      status.openOrders = flat.openOrders;
      if (flat.openPositions === 0 && flat.openOrders === 0) break;
      if (attempt % 5 === 0) {
        await safetyActs.sendAlert({
          severity: 'CRITICAL',
          subject: `Not flat at ${tradingDate} close`,
          body: `${flat.openPositions} positions, ${flat.openOrders} orders still open after ${attempt} checks; flattening again`,
          dedupeKey: `${tradingDate}-${info.runId}-notflat-${attempt}`,
        });
        await safetyActs.flattenAll({ tradingDate, reason: 'still not flat' });
      }
      await condition(() => false, marketToTimerMs(60_000, speed), {
        summary: 'wait a market minute for close orders to fill',
      });
    }
  });

  // The monitor may already have ended at the close; then there is nothing to stop.
  await getExternalWorkflowHandle(monitorId)
    .signal(stopMonitoringSignal)
    .catch(() => undefined);
  await monitor.result();

  status.phase = 'reporting';
  details();
  const summary = await acts.finishTradingDay({
    tradingDate,
    status: 'completed',
    cycles: status.cycle,
    ordersSubmitted: status.ordersSubmitted,
    halted: status.halted,
    haltReason: status.haltReason,
  });
  status.ordersSubmitted = summary.ordersSubmitted;
  status.realizedPnl = summary.realizedPnl;
  status.unrealizedPnl = '0.00';
  status.dailyPnl = summary.realizedPnl;
  status.openPositions = summary.openPositionsAtClose;
  status.openOrders = summary.openOrdersAtClose;
  status.phase = 'closed';
  upsertSearchAttributes([{ key: SearchAttr.realizedPnl, value: Number(summary.realizedPnl) }]);
  details();
  return {
    tradingDate,
    status: 'completed',
    cycles: status.cycle,
    ...summary,
    halted: status.halted,
    haltReason: status.haltReason,
  };
}

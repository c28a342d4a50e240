/**
 * The emergency stop. It runs as soon as a request arrives, beside whatever the day is doing:
 * it cancels the running cycle (a placement in flight stops before its next order), then
 * flattens Catalyst's book pass after pass until it is flat or the day's close-out takes over.
 * Each request — a repeated `catalyst halt` too — gets its own outcome. The risk event and the
 * CRITICAL alert go out in the background: neither can hold the flatten back.
 */
import { CancellationScope, condition, log, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { SearchAttr } from '../shared';
import { errorMessage, type DayContext } from './dayContext';
import type { QueuedEmergency } from './dayState';
import { applyCheck, flattenUntilFlat } from './flattenLoop';
import type { EmergencyStopOutcome } from './messages';

/** patched() id: stops of days started before it started no cooldown. */
const COOLDOWN_STARTED = 'emergency-stop-starts-cooldown';

/** The responder's name on the driven clock: a line of work of its own beside the day's main line. */
export const responderOf = (tradingDayWorkflowId: string): string => `${tradingDayWorkflowId}/emergency`;

export interface EmergencyResponder {
  /** Resolves when no request is queued or running. */
  idle(): Promise<void>;
}

/** Starts the responder; it lives as long as the day, shielded from the day's cancellation. */
export interface ResponderHandover {
  /** The day's own close-out has begun: it flattens from here on. */
  closeOutStarted(): boolean;
  /** Market time of the close (0 before the session is known). */
  closeMs(): number;
}

export function startEmergencyResponder(dayCtx: DayContext, handover: ResponderHandover): EmergencyResponder {
  const { day } = dayCtx;
  const ctx: DayContext = { ...dayCtx, clock: dayCtx.clock.forParticipant(responderOf(dayCtx.workflowId)) };
  const loop = async (): Promise<never> => {
    for (;;) {
      await condition(() => day.hasEmergency());
      // Driven clock: the monitor marks this line busy before it signals; a halt from elsewhere is
      // marked here. (Not even an await on the wall clock: the stop's first commands keep their place.)
      if (ctx.clock.driven) await ctx.clock.markBusy([ctx.clock.participant]);
      const req = day.nextEmergency()!;
      day.status.emergencyRunning = true;
      try {
        await respond(ctx, req, handover);
      } finally {
        day.status.emergencyRunning = false;
        ctx.show();
      }
      if (ctx.clock.driven && !day.hasEmergency()) await ctx.clock.park();
    }
  };
  void CancellationScope.nonCancellable(loop).catch((err: unknown) =>
    log.error('emergency responder stopped', { error: String(err) }),
  );
  return { idle: () => condition(() => !day.hasEmergency() && !day.status.emergencyRunning) };
}

async function respond(ctx: DayContext, req: QueuedEmergency, handover: ResponderHandover): Promise<void> {
  const { day, acts, input, tasks } = ctx;
  const { actions } = req;
  if (actions.haltNewTrades) upsertSearchAttributes([{ key: SearchAttr.halted, value: true }]);
  ctx.show();
  log.warn('emergency stop', { ...req });
  const does = [
    actions.closePositions
      ? 'Catalyst is cancelling its orders and closing its positions'
      : 'Catalyst is cancelling its unfilled entries; its positions keep their bracket stops and targets',
    "holdings and orders that are not Catalyst's are left untouched",
    actions.haltNewTrades
      ? 'new entries are halted for the rest of the day'
      : 'entries are not halted for the day',
    ...(actions.cooldownMinutes > 0 ? [`no entries for ${actions.cooldownMinutes} minutes (cooldown)`] : []),
  ].join('; ');
  tasks.run('emergency risk event', () =>
    acts.records.recordRiskEvent({
      eventKey: `${ctx.workflowId}/${ctx.runId}/emergency-stop/${req.requestId}`,
      tradingDate: input.tradingDate,
      eventType: 'emergency_stop',
      severity: 'CRITICAL',
      message: `Emergency stop (${req.source}): ${req.reason}`,
      details: { requestId: req.requestId, source: req.source, actions },
    }),
  );
  if (actions.cooldownMinutes > 0 && patched(COOLDOWN_STARTED))
    tasks.run('start the cooldown', () =>
      acts.records.startCooldown({
        tradingDate: input.tradingDate,
        minutes: actions.cooldownMinutes,
        reason: req.reason,
        eventKey: `${ctx.workflowId}/${ctx.runId}/cooldown/${req.requestId}`,
      }),
    );
  if (actions.sendAlert)
    ctx.alertOnce(`emergency-${req.requestId}`, {
      severity: 'CRITICAL',
      subject: `EMERGENCY STOP on ${input.tradingDate}: ${req.reason}`,
      body: `Source: ${req.source}. ${does.charAt(0).toUpperCase()}${does.slice(1)}.`,
    });
  const outcome: EmergencyStopOutcome = {
    ...req,
    cancelledOrders: 0,
    closedPositions: [],
    failures: [],
    flat: false,
    foreignPositions: 0,
    passes: 0,
    done: false,
  };
  day.publishEmergency({ ...outcome });
  if (!actions.closePositions) {
    await cancelEntries(ctx, outcome);
    day.publishEmergency({ ...outcome, done: true });
    return;
  }
  outcome.flat = await flattenUntilFlat(ctx, {
    reason: 'emergency stop',
    // At the close, or once the day's own close-out runs, that loop carries on alone.
    until: (check) =>
      handover.closeOutStarted() ||
      (check !== null && handover.closeMs() > 0 && check.nowMs >= handover.closeMs()),
    onPass: (pass) => {
      outcome.passes = pass.pass;
      outcome.cancelledOrders += pass.cancelledOrders;
      outcome.closedPositions = [...new Set([...outcome.closedPositions, ...pass.exits])];
      outcome.failures = pass.failures;
      outcome.foreignPositions = pass.check?.foreignPositions ?? outcome.foreignPositions;
      day.publishEmergency({ ...outcome });
    },
  });
  // A placement cancelled mid-flight may still reach the broker: once the cycle has settled, look again.
  await condition(() => day.cycleScope === null);
  if (!handover.closeOutStarted() && outcome.flat)
    outcome.flat = await flattenUntilFlat(ctx, {
      reason: 'emergency stop',
      until: () => handover.closeOutStarted(),
    });
  day.publishEmergency({ ...outcome, done: true });
}

/** A stop that keeps positions: cancel Catalyst's unfilled entries (one pass; the monitor's stale-entry rule backs it). */
async function cancelEntries(ctx: DayContext, outcome: EmergencyStopOutcome): Promise<void> {
  const { acts, input, day } = ctx;
  await condition(() => day.cycleScope === null); // a placement in flight lands first, then is cancelled
  try {
    const out = await acts.safety.flattenBook({
      tradingDate: input.tradingDate,
      reason: 'emergency stop: cancel entries',
      entriesOnly: true,
    });
    outcome.passes = 1;
    outcome.cancelledOrders = out.cancelledOrders;
    outcome.closedPositions = out.exits.map((e) => e.symbol);
    outcome.failures = out.failures;
    const check = await acts.safety.checkFlat({ tradingDate: input.tradingDate });
    applyCheck(ctx, check);
    outcome.flat = check.openPositions === 0 && check.openOrders === 0;
    outcome.foreignPositions = check.foreignPositions;
  } catch (err) {
    outcome.failures = [
      { symbol: '*', message: `could not cancel Catalyst's entries: ${errorMessage(err)}` },
    ];
    day.status.lastProblem = outcome.failures[0]!.message;
  }
}

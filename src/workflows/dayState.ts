/**
 * The trading day's state and its message handlers: status for queries, the operator's approvals,
 * pause and mode, the monitor's reports, and the queue of emergency-stop requests. Handlers stay
 * one line each; what they do lives in the methods below (the safe-message-handlers pattern).
 */
import { log, setHandler, upsertSearchAttributes, type CancellationScope } from '@temporalio/workflow';
import { SearchAttr } from '../shared';
import {
  decideCandidatesUpdate,
  emergencyStopOutcomeQuery,
  emergencyStopSignal,
  FULL_STOP,
  lastEmergencyQuery,
  monitorReportSignal,
  setEntriesPausedUpdate,
  setModeUpdate,
  statusQuery,
  type CandidateDecision,
  type CandidateDecisionResult,
  type EmergencyActions,
  type EmergencyStopOutcome,
  type EmergencyStopRequest,
  type MonitorReport,
  type TradingDayInput,
  type TradingDayStatus,
  type TradingMode,
} from './messages';
import { quoteValue } from '../domain/quoteValue';
import { monitorReportProblem, REQUEST_ID, requestIdProblem } from './messageChecks';

export type QueuedEmergency = Required<Pick<EmergencyStopRequest, 'reason' | 'source' | 'requestId'>> & {
  actions: EmergencyActions;
};

const MAX_REASON = 500;
/** Outcomes kept for `emergencyStopOutcome` queries: the last few requests are all anyone asks about. */
const KEPT_OUTCOMES = 20;

export class TradingDayState {
  readonly status: TradingDayStatus;
  lastEmergency: EmergencyStopOutcome | null = null;
  /** The running cycle's scope: an emergency cancels it, so a placement in flight stops. */
  cycleScope: CancellationScope | null = null;
  /** Called on every emergency request (the day tells its monitor). */
  onHalt: () => void = () => {};
  private approval: CandidateDecision | null = null;
  private readonly queue: QueuedEmergency[] = [];
  private readonly outcomes = new Map<string, EmergencyStopOutcome>();
  private signals = 0;

  constructor(input: TradingDayInput) {
    this.status = {
      tradingDate: input.tradingDate,
      venue: input.venue,
      speed: input.speed,
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
      foreignPositions: 0,
      foreignOrders: 0,
      emergencies: 0,
      emergencyRunning: false,
      notFlat: [],
      lastProblem: null,
    };
  }

  registerHandlers(): void {
    setHandler(statusQuery, () => this.status);
    setHandler(lastEmergencyQuery, () => this.lastEmergency);
    setHandler(emergencyStopOutcomeQuery, (requestId) => this.outcomeOf(requestId));
    setHandler(emergencyStopSignal, (req) => this.requestEmergency(req));
    setHandler(monitorReportSignal, (report) => this.applyMonitorReport(report));
    setHandler(setEntriesPausedUpdate, (paused) => this.setPaused(paused), { validator: checkPaused });
    setHandler(setModeUpdate, (mode) => this.setMode(mode), { validator: checkMode });
    setHandler(decideCandidatesUpdate, (d) => this.decide(d), { validator: (d) => this.checkDecision(d) });
  }

  /** New entries may be placed: not halted, not paused. */
  entriesOpen(): boolean {
    return !this.status.halted && !this.status.entriesPaused;
  }

  /**
   * Any emergency signal halts, whatever its payload: a malformed request must never be the
   * reason the book stays open. A requestId seen before (a retried signal) queues nothing.
   */
  requestEmergency(req: EmergencyStopRequest | undefined): void {
    this.signals += 1;
    const text = (v: unknown, max: number): string | null =>
      typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null;
    const requestId =
      typeof req?.requestId === 'string' && REQUEST_ID.test(req.requestId)
        ? req.requestId
        : `signal-${this.signals}`;
    if (this.outcomes.has(requestId) || this.queue.some((q) => q.requestId === requestId)) return;
    const reason = text(req?.reason, MAX_REASON) ?? 'no reason given';
    const actions = emergencyActions(req?.actions);
    if (actions.haltNewTrades && !this.status.halted) {
      this.status.halted = true;
      this.status.haltReason = reason;
    }
    this.status.emergencies += 1;
    this.queue.push({ reason, source: text(req?.source, 40) ?? 'signal', requestId, actions });
    // The running cycle's decisions predate the stop: it ends whatever the stop keeps.
    this.cycleScope?.cancel();
    if (actions.closePositions) this.onHalt();
  }

  hasEmergency(): boolean {
    return this.queue.length > 0;
  }

  nextEmergency(): QueuedEmergency | undefined {
    return this.queue.shift();
  }

  /** Publishes an emergency's outcome so far (after every pass) and when it is done. */
  publishEmergency(outcome: EmergencyStopOutcome): void {
    this.outcomes.delete(outcome.requestId);
    this.outcomes.set(outcome.requestId, outcome);
    while (this.outcomes.size > KEPT_OUTCOMES) this.outcomes.delete(this.outcomes.keys().next().value!);
    this.lastEmergency = outcome;
  }

  /** A malformed request id is a query error (no request could be stored under it), never a silent null. */
  outcomeOf(requestId: unknown): EmergencyStopOutcome | null {
    const problem = requestIdProblem(requestId);
    if (problem) throw new Error(problem);
    return this.outcomes.get(requestId as string) ?? null;
  }

  applyMonitorReport(report: MonitorReport): void {
    // Signals come from any client: a malformed report is logged and changes nothing (it used to
    // fail the workflow task on null, or put garbage in the status and the P&L search attribute).
    const problem = monitorReportProblem(report);
    if (problem) {
      log.warn('monitor report ignored', { problem });
      return;
    }
    const s = this.status;
    s.openPositions = report.openPositions;
    s.openOrders = report.openOrders;
    s.foreignPositions = report.foreignPositions;
    s.foreignOrders = report.foreignOrders;
    s.realizedPnl = report.realizedPnl;
    s.unrealizedPnl = report.unrealizedPnl;
    s.dailyPnl = report.dailyPnl;
    s.marketTimeMs = report.marketTimeMs;
  }

  setPaused(paused: boolean): boolean {
    this.status.entriesPaused = paused;
    return paused;
  }

  setMode(mode: TradingMode): TradingMode {
    this.status.mode = mode;
    upsertSearchAttributes([{ key: SearchAttr.mode, value: mode }]);
    return mode;
  }

  /** Opens the approval window of a cycle; `approvalFor` tells what the operator chose. */
  offerForApproval(cycle: number): void {
    this.status.pendingApproval = { cycle, candidates: this.status.candidates.filter((c) => c.approved) };
    this.approval = null;
  }

  /** The answer for `cycle`, once given; null until then. */
  approvalFor(cycle: number): string[] | null {
    return this.approval?.cycle === cycle ? this.approval.approve : null;
  }

  closeApproval(): void {
    this.status.pendingApproval = null;
  }

  decide(decision: CandidateDecision): CandidateDecisionResult {
    const offered = this.status.pendingApproval?.candidates.map((c) => c.symbol) ?? [];
    const approve = offered.filter((s) => decision.approve.includes(s));
    this.approval = { cycle: decision.cycle, approve };
    return { approved: approve, rejected: offered.filter((s) => !approve.includes(s)) };
  }

  checkDecision(decision: CandidateDecision): void {
    if (
      !decision ||
      typeof decision.cycle !== 'number' ||
      !Array.isArray(decision.approve) ||
      decision.approve.some((s) => typeof s !== 'string')
    ) {
      throw new Error('decision must be {cycle: number, approve: string[]}');
    }
    const pending = this.status.pendingApproval;
    if (!pending || pending.cycle !== decision.cycle)
      throw new Error(`no candidates are waiting for approval in cycle ${decision.cycle}`);
    const offered = new Set(pending.candidates.map((c) => c.symbol));
    const unknown = decision.approve.filter((s) => !offered.has(s));
    if (unknown.length) {
      // One short line whatever was sent: long names quoted in part, a long list counted.
      const named = unknown.slice(0, 10).map((u) => (u.length <= 20 ? u : quoteValue(u)));
      const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
      throw new Error(`not offered in cycle ${decision.cycle}: ${named.join(', ')}${more}`);
    }
  }
}

/** A malformed field means the full stop's value: doing less than asked must never be the mistake. */
function emergencyActions(given: unknown): EmergencyActions {
  const a = (typeof given === 'object' && given !== null ? given : {}) as Record<string, unknown>;
  const flag = (k: keyof EmergencyActions): boolean =>
    typeof a[k] === 'boolean' ? (a[k] as boolean) : (FULL_STOP[k] as boolean);
  const minutes = a.cooldownMinutes;
  return {
    closePositions: flag('closePositions'),
    haltNewTrades: flag('haltNewTrades'),
    sendAlert: flag('sendAlert'),
    cooldownMinutes:
      typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440
        ? minutes
        : 0,
  };
}

function checkPaused(paused: unknown): void {
  if (typeof paused !== 'boolean')
    throw new Error(`paused must be true or false (got ${quoteValue(paused)})`);
}

function checkMode(mode: unknown): void {
  if (mode !== 'supervised' && mode !== 'autonomous')
    throw new Error(`mode must be supervised or autonomous (got ${quoteValue(mode)})`);
}

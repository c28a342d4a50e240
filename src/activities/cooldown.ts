/**
 * The cooldown after the daily loss limit's emergency stop (risk_parameters.yaml
 * emergency_actions.cooldown_period_minutes). It lives in the database, not in a workflow, so it
 * holds across a restart and into the next day's workflow until it runs out; the risk manager
 * reads it before every decision. Times are the broker's clock, so a simulated day keeps its own.
 */
import { COOLDOWN_EVENT, cooldownAt, recordRiskEvent, type Cooldown } from '../db/repositories/riskEvents';
import type { ActivityDeps } from './deps';
import type { CooldownInput } from './types';

export function createCooldownActivities(deps: Pick<ActivityDeps, 'broker' | 'db' | 'accountId'>) {
  return {
    async startCooldown(input: CooldownInput): Promise<{ startedMs: number; untilMs: number }> {
      const startedMs = Date.parse((await deps.broker.getClock()).timestamp);
      const untilMs = startedMs + input.minutes * 60_000;
      // The key is the caller's: a retry records nothing new and the first start stands.
      await recordRiskEvent(deps.db, {
        eventKey: `${deps.accountId}/${input.eventKey}`,
        tradingDate: input.tradingDate,
        eventType: COOLDOWN_EVENT,
        severity: 'WARNING',
        message: `cooldown of ${input.minutes} minutes until ${new Date(untilMs).toISOString()}: ${input.reason}`,
        details: { startedMs, untilMs, minutes: input.minutes },
      });
      const stored = await cooldownAt(deps.db, deps.accountId, startedMs);
      return stored ? { startedMs: stored.startedMs, untilMs: stored.untilMs } : { startedMs, untilMs };
    },
  };
}

export function activeCooldown(
  deps: Pick<ActivityDeps, 'db' | 'accountId'>,
  nowMs: number,
): Promise<Cooldown | null> {
  return cooldownAt(deps.db, deps.accountId, nowMs);
}

/**
 * createActivities(deps): the one place where activities meet their dependencies. One factory
 * per service of the guide; the workflows see only the `Activities` contract.
 */
import { createAlertActivities, createAlertSender, smtpFromEnv } from './alerts';
import type { ActivityDeps } from './deps';
import { createBacktestActivities } from './backtest';
import { calendarCheckFor } from './calendarCheck';
import { createCooldownActivities } from './cooldown';
import { createDailyReportActivities } from './dailyReport';
import { createDrivenClockActivities } from './drivenClock';
import { createMarketCache } from './marketCache';
import { createMarketClockActivities } from './marketClock';
import { createMonitorActivities } from './monitor';
import { createNewsActivities } from './news';
import { createPatternActivities } from './patterns';
import { createFillWatch, timeStages } from './metrics';
import { loadReferenceData } from './referenceData';
import { createReportingActivities } from './reporting';
import { createRiskActivities } from './risk';
import { createScannerActivities } from './scanner';
import { createScoringActivities } from './scoring';
import { createSettingsActivities } from './settings';
import { createTechnicalActivities } from './technical';
import { createTradingActivities } from './trading';
import type { Activities } from './types';

export type { Activities } from './types';
export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps): Activities {
  const cache = createMarketCache();
  const ref = deps.referenceData ?? loadReferenceData();
  const smtp = () => smtpFromEnv(deps.settings.current().env);
  const alertDeps = {
    outboxDir: deps.outboxDir,
    smtp,
    log: deps.log,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  };
  const alerts = createAlertSender(alertDeps);
  // One per worker: a fill is counted once however many books show it.
  const watchFills = deps.metrics ? createFillWatch(deps.metrics) : undefined;
  const activities: Activities = {
    ...createSettingsActivities(deps),
    ...createMarketClockActivities(deps, cache, calendarCheckFor(deps, alerts)),
    ...createReportingActivities(deps, cache, watchFills),
    ...createScannerActivities(deps, cache, ref),
    ...createNewsActivities(deps, cache),
    ...createPatternActivities(deps, cache),
    ...createTechnicalActivities(deps, cache, ref),
    ...createScoringActivities(deps, ref),
    ...createRiskActivities(deps, cache, ref),
    ...createTradingActivities(deps, watchFills),
    ...createMonitorActivities(deps, cache, watchFills),
    ...createCooldownActivities(deps),
    ...createAlertActivities(alertDeps, alerts),
    ...createDailyReportActivities(deps, alerts),
    ...createDrivenClockActivities(deps),
    ...createBacktestActivities(deps),
  };
  return deps.metrics ? timeStages(activities, deps.metrics) : activities;
}

/**
 * createActivities(deps): the one place where activities meet their dependencies. One factory
 * per service of the guide; the workflows see only the `Activities` contract.
 */
import { createAlertActivities, type SmtpSettings } from './alerts';
import type { ActivityDeps } from './deps';
import { createMarketCache } from './marketCache';
import { createMarketClockActivities } from './marketClock';
import { createMonitorActivities } from './monitor';
import { loadReferenceData } from './referenceData';
import { createReportingActivities } from './reporting';
import { createRiskActivities } from './risk';
import { createScannerActivities } from './scanner';
import { createSettingsActivities } from './settings';
import { createTechnicalActivities } from './technical';
import { createTradingActivities } from './trading';
import type { Activities } from './types';

export type { Activities } from './types';
export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps): Activities {
  const cache = createMarketCache();
  const ref = deps.referenceData ?? loadReferenceData();
  const smtp = (): SmtpSettings | null => {
    const env = deps.settings.current().env;
    if (!env.SMTP_HOST || !env.ENABLE_EMAIL_ALERTS) return null;
    return {
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      secure: env.SMTP_PORT === 465,
      username: env.SMTP_USERNAME,
      password: env.SMTP_PASSWORD,
      from: env.SMTP_FROM ?? 'catalyst@localhost',
      to: {
        CRITICAL: env.ALERT_EMAIL_CRITICAL.join(',') || undefined,
        WARNING: env.ALERT_EMAIL_WARNING.join(',') || undefined,
        INFO: env.ALERT_EMAIL_INFO.join(',') || undefined,
      },
    };
  };
  return {
    ...createSettingsActivities(deps),
    ...createMarketClockActivities(deps, cache),
    ...createReportingActivities(deps, cache),
    ...createScannerActivities(deps, cache, ref),
    ...createTechnicalActivities(deps, cache, ref),
    ...createRiskActivities(deps, cache, ref),
    ...createTradingActivities(deps),
    ...createMonitorActivities(deps, cache),
    ...createAlertActivities({ outboxDir: deps.outboxDir, smtp, log: deps.log }),
  };
}

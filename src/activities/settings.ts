import { utcMsToNyDate } from '../domain/calendar';
import type { DayConfig, TradingDayInput } from '../workflows/messages';
import type { ActivityDeps } from './deps';

export function createSettingsActivities(deps: Pick<ActivityDeps, 'settings' | 'venue' | 'accountNumber'>) {
  return {
    /** The timing part of the config in force now (hot-reloaded files). */
    async loadDayConfig(): Promise<DayConfig> {
      const configVersion = deps.settings.version();
      const { trading } = deps.settings.at(configVersion);
      return {
        configVersion,
        scanFrequencyMinutes: trading.workflow.scan_frequency_minutes,
        firstCycleAfterOpenMinutes: trading.workflow.first_cycle_after_open_minutes,
        noNewEntriesBeforeCloseMinutes: trading.workflow.no_new_entries_before_close_minutes,
        flattenBeforeCloseMinutes: trading.workflow.flatten_before_close_minutes,
        approvalTimeoutMinutes: trading.workflow.approval_timeout_minutes,
        executeTopN: trading.workflow.execute_top_n,
        alertAfterFailedTicks: trading.monitor.alert_after_failed_ticks,
        emergencyAfterFailedTicks: trading.monitor.emergency_stop_after_failed_ticks,
      };
    },

    async planScheduledDay(firedAtMs: number): Promise<TradingDayInput> {
      return {
        tradingDate: utcMsToNyDate(firedAtMs),
        speed: 1,
        mode: deps.settings.current().trading.session.mode,
        venue: deps.venue,
        ...(deps.venue === 'simulator' ? {} : { account: deps.accountNumber }),
      };
    },
  };
}

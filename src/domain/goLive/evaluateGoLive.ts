/**
 * The guide's §15 "Going Live" final validation, plus the §9.1 items a program can check on its
 * own, evaluated on the recorded paper trading. Pure: the command gathers the inputs.
 */
import { checkAlertsDelivered, type OutboxAlert } from './alertsDelivered';
import { checkAverageTrade } from './averageTrade';
import { checkBrokerReachable, type BrokerProbe } from './brokerReachable';
import { verdictOf, type GoLiveCheck, type GoLiveVerdict } from './check';
import { checkDailyDrawdown } from './dailyDrawdown';
import { checkEmergencyStop } from './emergencyStop';
import { checkFailedDays } from './failedDays';
import { checkPaperDays } from './paperDays';
import { paperRecord, type TradingRecord } from './record';
import { checkSchemaCurrent, type MigrationJournalEntry } from './schemaCurrent';
import { checkWinRate } from './winRate';

export interface GoLiveInput {
  /** Every venue's record, or why it could not be read. */
  record: TradingRecord | { error: string };
  /** Today's New York date: a day still `running` before it was abandoned. */
  todayNy: string;
  schema: { journal: MigrationJournalEntry[]; appliedMillis: number[] | null };
  broker: BrokerProbe;
  alerts: { outboxDir: string; entries: OutboxAlert[] | null };
}

/** The checks read from the record, in the order they print. */
export const RECORD_CHECKS = [
  'paper_days',
  'win_rate',
  'average_trade',
  'max_daily_drawdown',
  'emergency_stop',
  'no_failed_days',
] as const;

export function evaluateGoLive(input: GoLiveInput): GoLiveVerdict {
  const record = input.record;
  let recordChecks: GoLiveCheck[];
  if ('error' in record) {
    recordChecks = RECORD_CHECKS.map((name): GoLiveCheck => ({
      name,
      status: 'fail',
      detail: `${name.replace(/_/g, ' ')}: cannot read the paper-trading record (${record.error})`,
      value: null,
      threshold: null,
    }));
  } else {
    const paper = paperRecord(record);
    recordChecks = [
      checkPaperDays(record.days),
      checkWinRate(paper.trades),
      checkAverageTrade(paper.trades),
      checkDailyDrawdown(paper.trades),
      checkEmergencyStop(paper.emergencyStops),
      checkFailedDays(paper.days, input.todayNy),
    ];
  }
  return verdictOf([
    ...recordChecks,
    checkSchemaCurrent(input.schema.journal, input.schema.appliedMillis),
    checkBrokerReachable(input.broker),
    checkAlertsDelivered(input.alerts.outboxDir, input.alerts.entries),
  ]);
}

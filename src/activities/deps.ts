import type { Broker } from '../broker/port';
import type { CatalystDb } from '../db/createDatabase';
import type { SettingsSource } from '../settings/settingsSource';
import type { Venue } from '../workflows/messages';
import type { ActivityMetrics } from './metrics';
import type { ReferenceData } from './referenceData';

/** Everything activities need from the outside world; built once by the worker's host. */
export interface ActivityDeps {
  broker: Broker;
  db: CatalystDb;
  /** The broker account the orders belong to (database rows are keyed by it). */
  accountId: string;
  /** The account's number as the broker shows it: venue-scoped ids, queues and schedules carry it. */
  accountNumber?: string;
  venue: Venue;
  settings: SettingsSource;
  outboxDir: string;
  /** Where the daily report's HTML pages go; default `reports` beside the outbox. */
  reportsDir?: string;
  log: (line: string) => void;
  /** The simulator's driven clock (backtests); absent on a wall-clock venue. */
  drivenClock?: DrivenClockPort;
  /** Sector/industry/average-volume reference data; loaded from data/ when omitted. */
  referenceData?: ReferenceData;
  /** The worker's metrics (METRICS_PORT); absent: nothing is recorded. */
  metrics?: ActivityMetrics;
}

/** What the driven-clock activities need of the simulator's driven clock (src/sim/clock/drivenClock.ts). */
export interface DrivenClockPort {
  join(ids: readonly string[], state: 'busy' | 'parked'): void;
  busy(ids: readonly string[]): void;
  park(ids: readonly string[]): void;
  leave(ids: readonly string[]): void;
  wait(id: string, untilMs: number, signal?: AbortSignal): Promise<number>;
}

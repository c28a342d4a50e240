/**
 * The alert outbox: one JSON file per alert, named by its dedupe key. It is the durable record of
 * every alert and of what became of its email, and the only state the storm rule reads, so the
 * rule holds across activity retries and worker restarts.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StormEntry } from '../domain/alerts/stormWindow';
import type { AlertInput } from './types';

export type EmailStatus =
  /** Being sent, or a send that crashed mid-way (retried like a failure). */
  | 'pending'
  | 'sent'
  | 'failed'
  /** No SMTP, email alerts off, or no address for the severity (nor a more severe one). */
  | 'not_configured'
  /** Over the storm limit: waits for its window's summary. */
  | 'held'
  | 'summarised';

/** What the outbox file of an alert records: the alert, and whether its email went out. */
export interface OutboxEntry extends AlertInput {
  /** The route: its recipients (for a held alert, who it would have gone to). */
  emailedTo: string | null;
  email: EmailStatus;
  attempts: number;
  lastError?: string;
  sentAt?: string;
  /** Start of the storm window the alert was counted in (ISO). */
  stormWindow?: string;
  /** When it was emailed or held (ISO). */
  decidedAt?: string;
  summarisedAt?: string;
  /** Recipients of the summary that named it. */
  summaryTo?: string;
}

/** Retries and replays of these do nothing more. */
export const SETTLED: ReadonlySet<EmailStatus> = new Set(['sent', 'not_configured', 'held', 'summarised']);

const safeKey = (key: string): string => key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);

export const outboxFile = (dir: string, dedupeKey: string): string => join(dir, `${safeKey(dedupeKey)}.json`);

export function readEntry(file: string): OutboxEntry | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OutboxEntry;
  } catch {
    // Unreadable (hand-edited): the alert is written again rather than lost.
    return null;
  }
}

/** Replaces the file in one step: a crash mid-write never leaves half an entry for the storm rule to misread. */
export function writeEntry(file: string, entry: OutboxEntry): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(entry, null, 2));
  renameSync(tmp, file);
}

const STORM_STATE: Partial<Record<EmailStatus, StormEntry['state']>> = {
  pending: 'emailed',
  sent: 'emailed',
  failed: 'emailed',
  held: 'held',
  summarised: 'summarised',
};

export interface StormRecord extends StormEntry {
  file: string;
  entry: OutboxEntry;
}

/** Every alert the storm rule has decided, keyed by file name. Older entries without a window are not counted. */
export function readStormRecords(dir: string): StormRecord[] {
  const records: StormRecord[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    const entry = readEntry(file);
    const state = entry && STORM_STATE[entry.email];
    if (!entry || !state || !entry.stormWindow || !entry.decidedAt) continue;
    const windowStartMs = Date.parse(entry.stormWindow);
    const atMs = Date.parse(entry.decidedAt);
    if (Number.isNaN(windowStartMs) || Number.isNaN(atMs)) continue;
    records.push({ key: name, state, windowStartMs, atMs, file, entry });
  }
  return records;
}

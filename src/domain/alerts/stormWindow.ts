/**
 * The storm rule: how many alert emails may go out, and when the held ones are summarised.
 *
 * A window opens with the first alert emailed while none is open and lasts `windowMs`. Inside it
 * the first `limit` alerts are emailed; later ones are held. When the window has ended, its held
 * alerts go out together as one summary (at its end, or with the next alert after it if nothing
 * was awake then), and the next alert opens a new window. A storm therefore costs at most
 * `limit` emails plus one summary per window, and every alert is either emailed or summarised.
 *
 * The rule only reads what the outbox records of each alert, so it holds across activity retries
 * and worker restarts.
 */

export interface StormPolicy {
  /** Alert emails allowed per window. */
  limit: number;
  windowMs: number;
}

/** More than 5 alert emails in 10 minutes is a storm: one summary then says more than a sixth email would. */
export const DEFAULT_STORM_POLICY: StormPolicy = { limit: 5, windowMs: 10 * 60_000 };

export type StormState = 'emailed' | 'held' | 'summarised';

/** What the rule needs to know of one alert already decided. */
export interface StormEntry {
  key: string;
  /** emailed: took one of its window's emails (whether the send has succeeded yet or not). */
  state: StormState;
  /** The window it was decided in (its start). */
  windowStartMs: number;
  /** When it was decided: the summary lists alerts in this order. */
  atMs: number;
}

export interface StormDecision {
  action: 'email' | 'hold';
  windowStartMs: number;
}

/** Start of the window open at `nowMs`, or null when none is (the next alert opens one). */
export function openWindowStart(
  entries: readonly StormEntry[],
  nowMs: number,
  policy: StormPolicy,
): number | null {
  let latest: number | null = null;
  for (const e of entries) if (latest === null || e.windowStartMs > latest) latest = e.windowStartMs;
  return latest !== null && nowMs < latest + policy.windowMs ? latest : null;
}

/**
 * Email or hold the alert `key` arriving at `nowMs`. An alert that already holds an email of the
 * open window (a retry after a failed send) keeps it; one decided in an ended window is decided
 * afresh. An urgent alert (CRITICAL: an emergency stop, a book that cannot be flattened) is
 * emailed whatever the window holds — a summary minutes later is no way to learn of it — and
 * still counts against the window, so the storm it belongs to is summarised.
 */
export function decideAlert(
  entries: readonly StormEntry[],
  key: string,
  nowMs: number,
  policy: StormPolicy,
  urgent = false,
): StormDecision {
  const start = openWindowStart(entries, nowMs, policy);
  if (start === null) return { action: 'email', windowStartMs: nowMs };
  const inWindow = entries.filter((e) => e.windowStartMs === start);
  const own = inWindow.find((e) => e.key === key);
  if (own && !(urgent && own.state === 'held'))
    return { action: own.state === 'emailed' ? 'email' : 'hold', windowStartMs: start };
  if (urgent) return { action: 'email', windowStartMs: start };
  const emailed = inWindow.filter((e) => e.state === 'emailed').length;
  return { action: emailed < policy.limit ? 'email' : 'hold', windowStartMs: start };
}

/** Held alerts whose window has ended, oldest first: the content of the summary due now. */
export function dueForSummary<E extends StormEntry>(
  entries: readonly E[],
  nowMs: number,
  policy: StormPolicy,
): E[] {
  return entries
    .filter((e) => e.state === 'held' && nowMs >= e.windowStartMs + policy.windowMs)
    .sort((a, b) => a.atMs - b.atMs || a.key.localeCompare(b.key));
}

/** When the earliest summary falls due, or null when nothing is held. */
export function nextSummaryAt(entries: readonly StormEntry[], policy: StormPolicy): number | null {
  let due: number | null = null;
  for (const e of entries) {
    if (e.state !== 'held') continue;
    const at = e.windowStartMs + policy.windowMs;
    if (due === null || at < due) due = at;
  }
  return due;
}

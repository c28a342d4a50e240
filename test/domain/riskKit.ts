/** Builders for the risk manager's inputs shared by the risk tests. */
import type { DatedClose } from '../../src/domain/risk';

const DAY_MS = 86_400_000;

/** Closes on consecutive calendar days from `start` (default 2026-01-01), oldest first. */
export function dated(closes: readonly number[], start = '2026-01-01'): DatedClose[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return closes.map((close, i) => ({ date: new Date(t0 + i * DAY_MS).toISOString().slice(0, 10), close }));
}

/**
 * Whether a PGlite data directory is open in some process. Postgres, PGlite included, holds
 * postmaster.pid in its data directory while it runs and removes it on a clean close. PGlite
 * writes a fixed pid (-42) there, so a file left by a killed process cannot be told from a live
 * one: both count as in use, and opening the directory once (PGlite ignores the stale file)
 * clears it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PGLITE_LOCK_FILE = 'postmaster.pid';

export function pgliteInUse(dataDir: string): boolean {
  return existsSync(join(dataDir, PGLITE_LOCK_FILE));
}

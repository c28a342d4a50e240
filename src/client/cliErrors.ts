import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { quoteValue } from '../domain/quoteValue';

/** An error whose message is the whole story for the user: printed alone, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parsePositiveNumber(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > max) {
    throw new UsageError(
      `${flag} must be a number greater than 0 and at most ${max} (got ${quoteValue(value)})`,
    );
  }
  return n;
}

export function parseNonNegativeInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag} must be a whole number ≥ 0 (got ${quoteValue(value)})`);
  }
  return Number(value);
}

export function parsePort(flag: string, value: string): number {
  const n = parseNonNegativeInt(flag, value);
  if (n < 1 || n > 65535)
    throw new UsageError(`${flag} must be a TCP port 1..65535 (got ${quoteValue(value)})`);
  return n;
}

export function parseDate(flag: string, value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== value.trim()) {
    throw new UsageError(`${flag} must be a calendar date YYYY-MM-DD (got ${quoteValue(value)})`);
  }
  return value.trim();
}

/** `--workflow-bundle <file>` of `worker` and `up`: an existing file, as an absolute path. */
export function checkWorkflowBundle(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const bundle = resolve(file);
  if (!existsSync(bundle))
    throw new UsageError(
      `--workflow-bundle: no file ${bundle} (build one with \`node --import tsx scripts/bundleWorkflows.ts ${file}\`)`,
    );
  return bundle;
}

/** One of a fixed set of words. */
export function parseChoice<const T extends readonly string[]>(
  flag: string,
  value: string,
  choices: T,
): T[number] {
  if (!choices.includes(value)) {
    throw new UsageError(`${flag} must be ${choices.join(' or ')} (got ${quoteValue(value)})`);
  }
  return value;
}

export function parseMode(flag: string, value: string): 'supervised' | 'autonomous' {
  if (value !== 'supervised' && value !== 'autonomous') {
    throw new UsageError(`${flag} must be supervised or autonomous (got ${quoteValue(value)})`);
  }
  return value;
}

export function parseVenue(flag: string, value: string): 'simulator' | 'paper' | 'live' {
  if (value !== 'simulator' && value !== 'paper' && value !== 'live') {
    throw new UsageError(`${flag} must be simulator, paper or live (got ${quoteValue(value)})`);
  }
  return value;
}

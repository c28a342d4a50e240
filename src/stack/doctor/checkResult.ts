/**
 * What every `catalyst doctor` check answers: one line, ok / warn / fail, with a one-line remedy
 * when something is to be done. Nothing here ever holds a secret.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** Short and stable, e.g. `temporal`, `database migrations`: what a script matches on. */
  name: string;
  status: CheckStatus;
  /** What was found, in one line. */
  detail: string;
  /** One line: what to do about it (absent when nothing is to be done). */
  fix?: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });

export const warn = (name: string, detail: string, fix?: string): CheckResult => ({
  name,
  status: 'warn',
  detail,
  ...(fix ? { fix } : {}),
});

export const fail = (name: string, detail: string, fix?: string): CheckResult => ({
  name,
  status: 'fail',
  detail,
  ...(fix ? { fix } : {}),
});

/** An error's message on one line (drivers like to spread theirs over several). */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.replace(/\s+/g, ' ').trim();
}

/** Whole seconds or milliseconds, as an operator reads a timeout. */
export const formatMs = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

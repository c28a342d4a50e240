/**
 * One line of the go-live checklist. `value` and `threshold` are what the line compared, for
 * machines: counts as numbers, money as decimal strings (never a binary float), ratios 0–1.
 */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'warn';

export interface GoLiveCheck {
  name: string;
  status: CheckStatus;
  /** The line as a person reads it, with the figures, e.g. "win rate 58.3 % (35/60) > 50 %". */
  detail: string;
  value: number | string | null;
  threshold: number | string | null;
}

export interface GoLiveVerdict {
  /** True when no line failed: a skip or a warning does not block going live, a failure does. */
  ok: boolean;
  checks: GoLiveCheck[];
}

export const verdictOf = (checks: GoLiveCheck[]): GoLiveVerdict => ({
  ok: checks.every((c) => c.status !== 'fail'),
  // One key order for every line of the JSON, whatever order a rule built its object in.
  checks: checks.map(({ name, status, detail, value, threshold }) => ({
    name,
    status,
    detail,
    value,
    threshold,
  })),
});

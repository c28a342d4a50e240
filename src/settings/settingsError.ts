/**
 * One readable sentence per configuration problem, naming where it is (file or environment
 * variable), the key path, the allowed values and the value found:
 *   risk_parameters.yaml: position_limits.max_positions must be an integer between 1 and 50 (got 0)
 * Zod's issues are translated here so schemas only state their rules.
 */
import type { z } from 'zod';
import { ErrorType } from '../shared';

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  /** The failure type activities report, so a bad config is never retried. */
  readonly type = ErrorType.InvalidConfig;
  /** Each problem, one line each; `message` is these lines joined. */
  readonly issues: string[];

  constructor(issues: string[]) {
    super(issues.join('\n'));
    this.issues = issues;
  }
}

/** Where a value came from: prefixes each line and decides whether values may be shown. */
export interface IssueSource {
  /** e.g. "risk_parameters.yaml: " or "environment variable ". */
  prefix: string;
  /** The parsed-but-unvalidated input, to quote the offending value. */
  raw: unknown;
  schema: z.ZodType;
  /** Top-level keys whose values must not be quoted (secrets). */
  secretKeys?: readonly string[];
  /** Extra advice for unknown keys people copy from the guide, by dotted path. */
  keyHints?: Readonly<Record<string, string>>;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[], source: IssueSource): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(unknownKeyLine([...issue.path, key], source));
      continue;
    }
    const path = issue.path;
    if (issue.code === 'invalid_key' && path.length > 0) {
      // The key is what is wrong, not the map ("aapl" under sector_overrides, not the sector).
      const rule = issue.issues[0]?.message ?? issue.message;
      const key = JSON.stringify(String(path[path.length - 1]));
      lines.push(`${source.prefix}${pathText(path.slice(0, -1))}: the key ${key} ${rule}`);
      continue;
    }
    const where = path.length === 0 ? 'the file' : pathText(path);
    let rule = issue.message;
    if (issue.code === 'invalid_type' && issue.expected === 'object') rule = 'must be a mapping of keys';
    else if (issue.code === 'invalid_type' && issue.expected === 'array') rule = 'must be a list';
    const omitGot =
      (issue.code === 'custom' && (issue.params as { omitGot?: boolean } | undefined)?.omitGot === true) ||
      (source.secretKeys ?? []).includes(String(path[0]));
    const got = omitGot ? '' : ` (got ${describe(valueAt(source.raw, path))})`;
    lines.push(`${source.prefix}${where} ${rule}${got}`);
  }
  return [...new Set(lines)];
}

function unknownKeyLine(path: PropertyKey[], source: IssueSource): string {
  const dotted = pathText(path);
  const hint = source.keyHints?.[dotted];
  const known = knownKeysAt(source.schema, path.slice(0, -1));
  const suggestion = closest(String(path[path.length - 1]), known);
  const advice = hint
    ? `: ${hint}`
    : suggestion
      ? ` (did you mean ${suggestion}?)`
      : known.length > 0
        ? ` (known keys: ${known.join(', ')})`
        : '';
  return `${source.prefix}${dotted} is not a known key${advice}`;
}

export function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON would say null for YAML's .nan and .inf.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Keys of the object schema at `path`, looking through defaults, optionals, pipes and refinements. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const key of [...path, null]) {
    node = unwrap(node);
    const def = (node as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })._zod?.def;
    if (def?.type !== 'object' || !def.shape) return [];
    if (key === null) return Object.keys(def.shape);
    node = def.shape[String(key)];
  }
  return [];
}

function unwrap(node: unknown): unknown {
  for (let i = 0; i < 20; i++) {
    const def = (node as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown } } })._zod?.def;
    if (!def) return node;
    if (def.innerType !== undefined) node = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) node = def.in;
    else return node;
  }
  return node;
}

/** The candidate at most `maxDistance` edits from `word` (case-insensitive), e.g. a misspelt variable. */
export function closestKey(word: string, candidates: readonly string[], maxDistance = 2): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= maxDistance ? best : null;
}

function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Decides which request gets which fault. Every route keeps its own request counter and the n-th
 * request of a route draws from a stream keyed by (seed, route, n): the faults a route sees
 * depend only on the seed, the spec and that route's own request sequence, never on how the
 * monitor's polling interleaves with a scan's requests to other routes.
 */
import type { FaultRule } from './faultsSpec';
import { parseFaultSpec, scopeMatches } from './faultsSpec';
import { createRng } from '../market/rng';

export interface Fault {
  rule: FaultRule;
  kind: FaultRule['kind'];
  status: number | null;
  durationMs: number | null;
}

export interface FaultInjector {
  /** The spec in force, or null when faults are off. */
  spec(): string | null;
  /**
   * Replaces the spec (null = off) and restarts every route's sequence, so setting the same spec
   * again replays the same faults. Throws FaultSpecError and keeps the old spec on a bad one.
   */
  set(spec: string | null): void;
  /** The fault for the next request of `routeKey` (a request to `method path`), or null. */
  next(routeKey: string, method: string, path: string): Fault | null;
  /** Faults injected since the last `set`, by "ROUTE KIND" (e.g. "POST /v2/orders drop"). */
  counts(): Record<string, number>;
}

export function createFaultInjector(seed: number, initial?: string | null): FaultInjector {
  let spec: string | null = null;
  let rules: FaultRule[] = [];
  const sequence = new Map<string, number>();
  const counts = new Map<string, number>();

  const set = (next: string | null): void => {
    const parsed = next === null ? [] : parseFaultSpec(next);
    rules = parsed;
    spec = parsed.length === 0 ? null : next;
    sequence.clear();
    counts.clear();
  };
  set(initial ?? null);

  return {
    spec: () => spec,
    set,
    next(routeKey, method, path) {
      if (rules.length === 0) return null;
      const n = sequence.get(routeKey) ?? 0;
      sequence.set(routeKey, n + 1);
      const u = createRng(seed, 'faults', routeKey, n).next();
      let cumulative = 0;
      for (const rule of rules) {
        if (!scopeMatches(rule.scope, method, path)) continue;
        cumulative += rule.probability;
        if (u < cumulative) {
          const label = `${routeKey} ${rule.kind === 'status' ? rule.status : rule.kind}`;
          counts.set(label, (counts.get(label) ?? 0) + 1);
          return { rule, kind: rule.kind, status: rule.status, durationMs: rule.durationMs };
        }
      }
      return null;
    },
    counts: () => Object.fromEntries(counts),
  };
}

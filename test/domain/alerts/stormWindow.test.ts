/** The storm rule: at most `limit` emails per window, the rest summarised once the window ends; none lost. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stormSummary } from '../../../src/domain/alerts/stormSummary';
import {
  DEFAULT_STORM_POLICY,
  decideAlert,
  dueForSummary,
  nextSummaryAt,
  openWindowStart,
  type StormEntry,
  type StormPolicy,
} from '../../../src/domain/alerts/stormWindow';

const policy: StormPolicy = { limit: 2, windowMs: 1000 };
const entry = (
  key: string,
  state: StormEntry['state'],
  windowStartMs: number,
  atMs = windowStartMs,
): StormEntry => ({
  key,
  state,
  windowStartMs,
  atMs,
});

describe('storm window', () => {
  it('defaults to more than 5 emails in 10 minutes', () => {
    expect(DEFAULT_STORM_POLICY).toEqual({ limit: 5, windowMs: 600_000 });
  });

  it('opens a window with the first alert, emails up to the limit in it, then holds', () => {
    expect(decideAlert([], 'a', 100, policy)).toEqual({ action: 'email', windowStartMs: 100 });
    const one = [entry('a', 'emailed', 100)];
    expect(decideAlert(one, 'b', 500, policy)).toEqual({ action: 'email', windowStartMs: 100 });
    const two = [...one, entry('b', 'emailed', 100, 500)];
    expect(decideAlert(two, 'c', 1099, policy)).toEqual({ action: 'hold', windowStartMs: 100 });
    // The window [100, 1100) has ended: the next alert opens a new one.
    expect(openWindowStart(two, 1100, policy)).toBeNull();
    expect(decideAlert(two, 'c', 1100, policy)).toEqual({ action: 'email', windowStartMs: 1100 });
  });

  it('a retry keeps its email in a full window; a held alert stays held', () => {
    const full = [entry('a', 'emailed', 0), entry('b', 'emailed', 0), entry('c', 'held', 0, 10)];
    expect(decideAlert(full, 'a', 50, policy)).toEqual({ action: 'email', windowStartMs: 0 });
    expect(decideAlert(full, 'c', 50, policy)).toEqual({ action: 'hold', windowStartMs: 0 });
    // Decided afresh once its window has ended.
    expect(decideAlert(full, 'a', 1000, policy)).toEqual({ action: 'email', windowStartMs: 1000 });
  });

  it('emails an urgent (CRITICAL) alert even in a full window, and counts it there', () => {
    const full = [entry('a', 'emailed', 0), entry('b', 'emailed', 0), entry('c', 'held', 0, 10)];
    expect(decideAlert(full, 'stop', 50, policy, true)).toEqual({ action: 'email', windowStartMs: 0 });
    expect(decideAlert(full, 'stop', 50, policy)).toEqual({ action: 'hold', windowStartMs: 0 });
    // Not a way round the window for what was already held.
    expect(decideAlert(full, 'c', 60, policy)).toEqual({ action: 'hold', windowStartMs: 0 });
  });

  it("summarises a window's held alerts once it has ended, oldest first", () => {
    const es = [
      entry('a', 'emailed', 0),
      entry('d', 'held', 0, 30),
      entry('c', 'held', 0, 20),
      entry('x', 'summarised', -5000),
    ];
    expect(dueForSummary(es, 999, policy)).toEqual([]);
    expect(nextSummaryAt(es, policy)).toBe(1000);
    expect(dueForSummary(es, 1000, policy).map((e) => e.key)).toEqual(['c', 'd']);
    expect(nextSummaryAt([entry('a', 'emailed', 0)], policy)).toBeNull();
  });

  it('the summary names every held alert and carries the most severe level', () => {
    const s = stormSummary(
      [
        { severity: 'INFO', subject: 'one', file: 'k1.json' },
        { severity: 'CRITICAL', subject: 'two', file: 'k2.json' },
      ],
      5,
      600_000,
    );
    expect(s.severity).toBe('CRITICAL');
    expect(s.subject).toBe('2 more alerts: one; two');
    expect(s.body).toContain('More than 5 alerts in 10 minutes');
    expect(s.body).toContain('- [INFO] one (k1.json)');
    expect(s.body).toContain('- [CRITICAL] two (k2.json)');
  });

  it('property: no alert is ever neither emailed nor summarised, and no window emails more than its limit', () => {
    const event = fc.record({
      gap: fc.nat({ max: 1500 }),
      kind: fc.constantFrom('alert', 'alert', 'alert', 'retry', 'timer'),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(event, { maxLength: 80 }),
        (limit, windowMs, events) => {
          const p = { limit, windowMs };
          const entries: StormEntry[] = [];
          const emailsPerWindow = new Map<number, Set<string>>();
          const summarisedIn = new Map<string, number>();
          let t = 0;
          const flush = (): void => {
            const due = dueForSummary(entries, t, p);
            for (const e of due) {
              expect(t).toBeGreaterThanOrEqual(e.windowStartMs + windowMs);
              e.state = 'summarised';
              summarisedIn.set(e.key, (summarisedIn.get(e.key) ?? 0) + 1);
            }
          };
          const decide = (key: string): void => {
            const d = decideAlert(entries, key, t, p);
            const state = d.action === 'email' ? 'emailed' : 'held';
            const existing = entries.find((e) => e.key === key);
            if (existing) Object.assign(existing, { state, windowStartMs: d.windowStartMs, atMs: t });
            else entries.push(entry(key, state, d.windowStartMs, t));
            if (d.action === 'email') {
              expect(t).toBeGreaterThanOrEqual(d.windowStartMs);
              expect(t).toBeLessThan(d.windowStartMs + windowMs);
              const keys = emailsPerWindow.get(d.windowStartMs) ?? new Set<string>();
              keys.add(key);
              emailsPerWindow.set(d.windowStartMs, keys);
            }
          };
          events.forEach((ev, i) => {
            t += ev.gap;
            if (ev.kind === 'alert') decide(`a${i}`);
            // A failed send retried: only an alert that took an email is retried.
            const emailed = entries.filter((e) => e.state === 'emailed');
            if (ev.kind === 'retry' && emailed.length) decide(emailed[ev.pick % emailed.length]!.key);
            flush(); // the activity flushes after each alert, the timer on its own
          });
          t += windowMs; // the last window ends, and its timer (or the next alert) flushes it
          flush();
          for (const e of entries) expect(['emailed', 'summarised']).toContain(e.state);
          for (const n of summarisedIn.values()) expect(n).toBe(1);
          for (const keys of emailsPerWindow.values()) expect(keys.size).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/**
 * The driven market clock. Market time moves only when every participant of a simulated day
 * (the trading day's main line, its emergency responder, its position monitor) has stopped
 * working: each one either waits for a later market time or is parked on something that is not
 * a time (a signal, another participant). Then the clock jumps to the earliest time anyone
 * waits for, the venue processes every minute on the way in market-time order, and the waits
 * due by then are released. Nothing is skipped however fast or slow the machine is, and a day
 * takes as long as its work: the answer is the same on every run.
 *
 * A participant is busy from the moment a wait of its own is released (or it joins busy, or
 * another participant marks it busy before signalling it) until it waits or parks again.
 */

export type ParticipantState = 'busy' | 'parked' | 'waiting';

export interface DrivenClockOptions {
  /** The venue's market time now. */
  now(): number;
  /** Moves the venue to `ms`, processing fills, expiries and session rollovers on the way. */
  advanceTo(ms: number): void;
}

export interface ParticipantView {
  id: string;
  state: ParticipantState;
  /** The market time it waits for (waiting only). */
  untilMs?: number;
}

export interface DrivenClock {
  now(): number;
  /** Adds participants (or sets their state if known): busy ones hold the clock until they wait. */
  join(ids: readonly string[], state: 'busy' | 'parked'): void;
  /** Marks participants busy: the clock holds until each of them waits or parks again. */
  busy(ids: readonly string[]): void;
  /** The participants wait on something other than a market time; the clock may move without them. */
  park(ids: readonly string[]): void;
  /** Removes participants (a day or monitor that ended); their waits end at once. */
  leave(ids: readonly string[]): void;
  /**
   * Resolves with the market time once the clock reaches `untilMs`; the participant counts as
   * waiting meanwhile. Aborting it (the workflow woke the wait early) makes the participant busy.
   */
  wait(id: string, untilMs: number, signal?: AbortSignal): Promise<number>;
  participants(): ParticipantView[];
  /** Forgets every participant (a new backtest day after a crash); pending waits are rejected. */
  reset(): void;
}

interface Participant {
  state: ParticipantState;
  untilMs: number;
  release: ((nowMs: number) => void) | null;
  fail: ((err: Error) => void) | null;
}

export class DrivenClockError extends Error {
  override name = 'DrivenClockError';
}

export function createDrivenClock(o: DrivenClockOptions): DrivenClock {
  const parts = new Map<string, Participant>();
  let advancing = false;

  const settleWaiter = (p: Participant): void => {
    p.release = null;
    p.fail = null;
  };

  /** While nobody works, jump to the earliest wait and release what is due; repeat. */
  const maybeAdvance = (): void => {
    if (advancing) return;
    advancing = true;
    try {
      for (;;) {
        let earliest = Infinity;
        for (const p of parts.values()) {
          if (p.state === 'busy') return;
          if (p.state === 'waiting') earliest = Math.min(earliest, p.untilMs);
        }
        if (earliest === Infinity) return;
        const before = o.now();
        if (earliest > before) {
          try {
            o.advanceTo(earliest);
            // A venue that did not move at all would make this loop spin forever.
            if (o.now() <= before) throw new Error(`the venue stayed at ${new Date(before).toISOString()}`);
          } catch (err) {
            const why = err instanceof Error ? err.message : String(err);
            const e = new DrivenClockError(`the market clock could not move: ${why}`, { cause: err });
            for (const p of parts.values()) if (p.state === 'waiting') rejectWait(p, e);
            return;
          }
        }
        const now = o.now();
        for (const p of parts.values()) {
          if (p.state === 'waiting' && p.untilMs <= now) {
            const release = p.release;
            p.state = 'busy';
            settleWaiter(p);
            release?.(now);
          }
        }
      }
    } finally {
      advancing = false;
    }
  };

  const rejectWait = (p: Participant, err: Error): void => {
    const fail = p.fail;
    p.state = 'busy';
    settleWaiter(p);
    fail?.(err);
  };

  /** An aborted wait rejects with the signal's reason if that is an Error, before or during the wait. */
  const abortError = (signal: AbortSignal): Error =>
    signal.reason instanceof Error ? signal.reason : new DrivenClockError('wait aborted');

  const entry = (id: string): Participant => {
    let p = parts.get(id);
    if (!p) {
      p = { state: 'busy', untilMs: 0, release: null, fail: null };
      parts.set(id, p);
    }
    return p;
  };

  /**
   * A participant that stops waiting by any other way than release: its wait ends at once (it
   * resolves with the market time now, below its target) and the participant takes `state`.
   */
  const interrupt = (p: Participant, state: ParticipantState): void => {
    if (p.state === 'waiting') {
      const release = p.release;
      settleWaiter(p);
      p.state = state;
      release?.(o.now());
    } else p.state = state;
  };

  return {
    now: () => o.now(),
    join(ids, state) {
      for (const id of ids) interrupt(entry(id), state);
      maybeAdvance();
    },
    busy(ids) {
      for (const id of ids) interrupt(entry(id), 'busy');
    },
    park(ids) {
      for (const id of ids) interrupt(entry(id), 'parked');
      maybeAdvance();
    },
    leave(ids) {
      for (const id of ids) {
        const p = parts.get(id);
        if (!p) continue;
        parts.delete(id);
        interrupt(p, 'busy');
      }
      maybeAdvance();
    },
    wait(id, untilMs, signal) {
      if (!Number.isFinite(untilMs)) return Promise.reject(new DrivenClockError(`bad wait time ${untilMs}`));
      const p = entry(id);
      if (p.state === 'waiting')
        rejectWait(p, new DrivenClockError(`${id} waits again: its earlier wait ends`));
      if (signal?.aborted) {
        p.state = 'busy';
        return Promise.reject(abortError(signal));
      }
      const now = o.now();
      if (untilMs <= now) {
        p.state = 'busy';
        return Promise.resolve(now);
      }
      return new Promise<number>((resolve, reject) => {
        const onAbort = (): void => {
          // The participant is busy from here on: the clock holds until it waits or parks again.
          if (p.release === release && signal) rejectWait(p, abortError(signal));
        };
        const release = (nowMs: number): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve(nowMs);
        };
        p.state = 'waiting';
        p.untilMs = untilMs;
        p.release = release;
        p.fail = (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        maybeAdvance();
      });
    },
    participants: () =>
      [...parts.entries()].map(([id, p]) => ({
        id,
        state: p.state,
        ...(p.state === 'waiting' ? { untilMs: p.untilMs } : {}),
      })),
    reset() {
      const err = new DrivenClockError('the driven clock was reset');
      for (const p of parts.values()) if (p.state === 'waiting') rejectWait(p, err);
      parts.clear();
    },
  };
}

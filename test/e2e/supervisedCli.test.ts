/**
 * Supervised mode from the CLI, as an operator drives it: a real day on the simulator offers its
 * first cycle's candidates; `catalyst approve SYM` (the real binary, on the shared dev server)
 * trades exactly that one; a symbol that was not offered, or an answer with nothing waiting, is
 * one line and exit 2; `catalyst pause` stops new entries.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import { statusQuery, type TradingDayStatus } from '../../src/workflows/messages';
import { allBrokerOrders } from '../support/bookChecks';
import { startHarness, type Harness } from '../support/catalystHarness';
import { runCatalyst } from '../support/runCatalyst';

// Slow enough that the approval window (10 market minutes = 10 s here) outlasts a CLI start.
const SPEED = 60;

const catalyst = (args: string[]) =>
  runCatalyst(args, { TEMPORAL_ADDRESS: inject('temporalAddress') }, 60_000);

describe('supervised mode from the CLI', () => {
  let h: Harness;
  let handle: Awaited<ReturnType<Harness['startDay']>>;
  let offered: TradingDayStatus['pendingApproval'];

  beforeAll(async () => {
    h = await startHarness({ seed: 21, speed: SPEED });
    handle = await h.startDay({ mode: 'supervised' });
    for (;;) {
      const s = await handle.query(statusQuery);
      if (s.pendingApproval) {
        offered = s.pendingApproval;
        break;
      }
      if (s.phase === 'flattening' || s.phase === 'closed') throw new Error('no cycle offered candidates');
      await sleep(100);
    }
  });
  afterAll(async () => {
    if (handle) {
      await handle.cancel().catch(() => {});
      await handle.result().catch(() => {}); // the close-out flattens before the day ends
    }
    await h?.close();
  });

  it('refuses a symbol that was not offered, then trades exactly the approved one', async () => {
    expect(offered!.candidates.length).toBeGreaterThan(1);
    const wrong = await catalyst(['approve', 'NOTOFFERED']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/not offered in cycle 1: NOTOFFERED/);

    const [first, ...others] = offered!.candidates.map((c) => c.symbol);
    const run = await catalyst(['approve', first!.toLowerCase(), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ cycle: 1, approved: [first], rejected: others });

    let entries: string[] = [];
    for (let i = 0; i < 100 && entries.length === 0; i++) {
      entries = (await allBrokerOrders(h.broker))
        .map((o) => parseClientOrderId(o.clientOrderId))
        .filter((p) => p?.leg === 'entry' && p.cycle === 1)
        .map((p) => p!.symbol);
      await sleep(100);
    }
    expect(entries).toEqual([first]);
  });

  it('says so when nothing waits for an answer, and pauses entries', async () => {
    const none = await catalyst(['reject', '--all']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no candidates are waiting for approval/);
    const both = await catalyst(['approve', 'AAPL', '--all']);
    expect(both.code).toBe(2);

    const paused = await catalyst(['pause', '--json']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(JSON.parse(paused.stdout.trim())).toMatchObject({ entriesPaused: true });
    expect((await handle.query(statusQuery)).entriesPaused).toBe(true);
    const mode = await catalyst(['mode', 'sideways']);
    expect(mode.code).toBe(2);
  });
});

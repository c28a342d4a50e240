/**
 * The simulator's memory per session: its process's resident size before and after it generates a
 * session's market (every tradable symbol's minute series, the previous day's bars), session after
 * session, to see what one session costs and whether it is given back. The simulator runs in its
 * own process (test/chaos/simProcess.ts: `startSimulator` exactly as `catalyst sim` runs it, plus a
 * channel to prepare a session and move the frozen clock to the next one). One `catalyst sim`
 * process, started as a user would, is read too: idle, and after one full-universe snapshot
 * request (the scan's read). Run: `npm run bench -- sim-memory [--sessions 10]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nextTradingDay, sessionBoundsMs } from '../src/domain/calendar';
import { loadSimulatorUniverse } from '../src/sim/startSimulator';
import { startChildSimulator } from '../test/chaos/childSimulator';
import { startCatalystSim } from '../test/support/catalystSim';
import type { BenchOutcome, SubBench } from './index';
import { describeLoad, onMachine } from './machine';
import { readMemory, type MemoryReading } from './procStatus';
import { mib, round } from './stats';

const FIRST_DATE = '2026-11-02';
const SEED = 5;
const MINUTE_MS = 60_000;
const SNAPSHOT_CHUNK = 500;
/** Readings a moment after the work, once the process has settled. */
const SETTLE_MS = 500;

interface SessionReading {
  date: string;
  beforeMiB: number;
  afterMiB: number;
  growthMiB: number;
  peakMiB: number;
  generateMs: number;
}

const settled = async (pid: number): Promise<MemoryReading> => {
  await sleep(SETTLE_MS);
  const m = readMemory(pid);
  if (!m) throw new Error(`the simulator process ${pid} is gone`);
  return m;
};

/** Sessions one after another in one simulator process: before and after each market is generated. */
async function perSession(sessions: number, log: (line: string) => void): Promise<SessionReading[]> {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-sim-'));
  const sim = await startChildSimulator(
    { seed: SEED, speed: 1, date: FIRST_DATE, manualClock: true, preOpenMinutes: 1 },
    join(dir, 'simulator.log'),
  );
  try {
    const out: SessionReading[] = [];
    let date = FIRST_DATE;
    for (let i = 0; i < sessions; i++) {
      if (i > 0) {
        date = nextTradingDay(date);
        await sim.advanceTo(sessionBoundsMs(date)!.openMs - MINUTE_MS);
      }
      const before = await settled(sim.pid);
      const t0 = performance.now();
      await sim.prepareSession();
      const generateMs = performance.now() - t0;
      const after = await settled(sim.pid);
      out.push({
        date,
        beforeMiB: mib(before.rssKiB),
        afterMiB: mib(after.rssKiB),
        growthMiB: mib(after.rssKiB - before.rssKiB),
        peakMiB: mib(after.hwmKiB),
        generateMs: Math.round(generateMs),
      });
      log(`sim-memory: session ${i + 1} (${date}) ${out.at(-1)!.beforeMiB} → ${out.at(-1)!.afterMiB} MiB`);
    }
    return out;
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `catalyst sim` as a user starts it: idle, then after one snapshot of every tradable symbol. */
async function catalystSim(): Promise<{
  idleMiB: number;
  afterScanMiB: number;
  peakMiB: number;
  scanMs: number;
}> {
  // The clock at the open (speed 1): a scan's read of the session's first minute.
  const { child, port, exited } = await startCatalystSim(
    ['--seed', String(SEED), '--date', FIRST_DATE, '--pre-open', '0'],
    { ...process.env, NO_COLOR: '1' },
  );
  try {
    const idle = await settled(child.pid!);
    const symbols = loadSimulatorUniverse()
      .assets.filter((a) => a.tradable)
      .map((a) => a.symbol);
    const t0 = performance.now();
    // In chunks as the scan asks (a request line of every symbol would pass the server's header limit).
    for (let i = 0; i < symbols.length; i += SNAPSHOT_CHUNK) {
      const chunk = symbols.slice(i, i + SNAPSHOT_CHUNK).join(',');
      const res = await fetch(`http://127.0.0.1:${port}/v2/stocks/snapshots?symbols=${chunk}`, {
        headers: { 'APCA-API-KEY-ID': 'SIMKEY', 'APCA-API-SECRET-KEY': 'SIMSECRET' },
      });
      if (!res.ok) throw new Error(`snapshots: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
    const scanMs = performance.now() - t0;
    const after = await settled(child.pid!);
    return {
      idleMiB: mib(idle.rssKiB),
      afterScanMiB: mib(after.rssKiB),
      peakMiB: mib(after.hwmKiB),
      scanMs: Math.round(scanMs),
    };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function runSimMemoryBench(
  log: (line: string) => void,
  options: Readonly<Record<string, number>>,
): Promise<BenchOutcome> {
  const sessions = Math.max(2, Math.round(options.sessions ?? 5));
  const { result, machine } = await onMachine(async () => ({
    sessions: await perSession(sessions, log),
    catalystSim: await catalystSim(),
  }));
  const s = result.sessions;
  const later = s.slice(1).map((r) => r.growthMiB);
  const steady = {
    firstSessionMiB: s[0]!.growthMiB,
    /** Mean growth of each later session: what a long-running simulator keeps per session. */
    laterSessionMeanMiB: round(later.reduce((a, b) => a + b, 0) / later.length, 1),
    /** From before the first session to after the last. */
    totalGrowthMiB: round(s.at(-1)!.afterMiB - s[0]!.beforeMiB, 1),
  };
  const json = { seed: SEED, sessions: s, steady, catalystSim: result.catalystSim, machine };
  const table = [
    `### Simulator memory per session (seed ${SEED}, ${s.length} sessions from ${FIRST_DATE}; ${describeLoad(machine)})`,
    '',
    '| session | RSS before | RSS after generating | growth | peak so far | generating |',
    '| --- | --: | --: | --: | --: | --: |',
    ...s.map(
      (r) =>
        `| ${r.date} | ${r.beforeMiB} MiB | ${r.afterMiB} MiB | ${r.growthMiB} MiB | ${r.peakMiB} MiB | ${r.generateMs} ms |`,
    ),
    '',
    `First session +${steady.firstSessionMiB} MiB, each later one +${steady.laterSessionMeanMiB} MiB on average; ` +
      `\`catalyst sim\`: ${result.catalystSim.idleMiB} MiB idle, ${result.catalystSim.afterScanMiB} MiB after one ` +
      `snapshot of the whole universe (${result.catalystSim.scanMs} ms), peak ${result.catalystSim.peakMiB} MiB.`,
  ].join('\n');
  return { json, table };
}

export const simMemoryBench: SubBench = {
  name: 'sim-memory',
  summary: "the simulator's RSS before and after each session's market, session after session",
  options: { sessions: { default: 10, help: 'sessions generated one after another (at least 2)' } },
  run: runSimMemoryBench,
};

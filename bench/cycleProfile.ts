/**
 * Where a cycle's time goes: the funnel's activities of a whole simulated day (seed 5, the day of
 * `npm run bench -- cycle`) run in this process against the simulator on loopback, under the V8
 * CPU profiler, and every sample's self time put in one bucket by the code it was in: the
 * simulator, the Alpaca client and JSON, HTTP, the database (PGlite), our stages and indicator
 * math, garbage collection. Temporal is not in the loop here (its share is the difference between
 * the cycle bench's wall time and this one's). Run: `npm run bench -- cycle-profile`.
 */
import { Session } from 'node:inspector/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import { createDatabase } from '../src/db/createDatabase';
import { nyTimeToUtcMs } from '../src/domain/calendar';
import { mergeChunkScans, SCAN_CHUNK_SIZE } from '../src/domain/scan/mergeChunks';
import { createSettingsSource } from '../src/settings/settingsSource';
import { startSimulator } from '../src/sim/startSimulator';
import { brokerForSimulator } from '../src/stack/simulatorBroker';
import type { BenchOutcome, SubBench } from './index';

const PROJECT_DIR = resolve(import.meta.dirname, '..');
const DATE = '2026-11-02';
const SEED = 5;
const CYCLES = [
  '09:35',
  '10:05',
  '10:35',
  '11:05',
  '11:35',
  '12:05',
  '12:35',
  '13:05',
  '13:35',
  '14:05',
  '14:35',
];

/** First match wins: the bucket of a sample by the URL (or name) of the function it was in. */
const BUCKETS: [string, (url: string, name: string) => boolean][] = [
  ['garbage collection', (_u, n) => n === '(garbage collector)'],
  ['idle (waiting on I/O)', (_u, n) => n === '(idle)'],
  ['simulator (market model, venue, its HTTP routes)', (u) => u.includes('/src/sim/')],
  ['database (PGlite, drizzle)', (u) => /pglite|drizzle-orm|^wasm|wasm:/.test(u)],
  ['Alpaca client (models, parsing)', (u) => u.includes('alpaca-trade-api') || u.includes('lossless-json')],
  ['our broker adapter (wire → port shapes)', (u) => u.includes('/src/broker/')],
  [
    'indicators, patterns, sentiment, scoring',
    (u) => /\/src\/domain\/(indicators|patterns|sentiment|scoring|scan)\//.test(u),
  ],
  ['our activities and repositories', (u) => /\/src\/(activities|db)\//.test(u)],
  [
    'HTTP and sockets (node)',
    (u) => /node:(_http|http|net|stream|internal\/(http|streams|net))|undici/.test(u),
  ],
  ['node and V8 internals (incl. JSON.parse / stringify)', (u) => u === '' || u.startsWith('node:')],
  ['other', () => true],
];

async function stopProfiler(session: Session) {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return profile;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

export async function runCycleProfile(log: (line: string) => void): Promise<BenchOutcome> {
  log(
    `cycle-profile: the funnel of ${CYCLES.length} cycles of ${DATE} (seed ${SEED}) under the CPU profiler…`,
  );
  const sim = await startSimulator({ seed: SEED, speed: 1, date: DATE, manualClock: true });
  const database = await createDatabase({ pgliteDir: 'memory://' });
  const settings = createSettingsSource({ configDir: join(PROJECT_DIR, 'config'), env: {}, log: () => {} });
  const acts = createActivities({
    broker: brokerForSimulator(sim, { rateLimitPerMinute: false }),
    db: database.db,
    accountId: 'bench',
    venue: 'simulator',
    settings,
    outboxDir: mkdtempSync(join(tmpdir(), 'catalyst-bench-outbox-')),
    log: () => {},
  });
  const env = new MockActivityEnvironment();
  const run = <T>(f: () => Promise<T>): Promise<T> => env.run(f);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const wallMs: number[] = [];
  let cpuProfile: Awaited<ReturnType<typeof stopProfiler>>;
  try {
    for (const [n, hhmm] of CYCLES.entries()) {
      const asOfMs = nyTimeToUtcMs(DATE, hhmm);
      sim.advanceTo(asOfMs);
      const ref = { cycleId: `${DATE}-p${n}`, tradingDate: DATE, cycleNumber: n + 1, asOfMs };
      const started = performance.now();
      await run(() => acts.beginCycle({ ...ref, marketTimeMs: asOfMs }));
      const universe = await run(() => acts.listUniverse({ ...ref, chunkSize: SCAN_CHUNK_SIZE }));
      const chunks = await Promise.all(
        Array.from({ length: universe.chunks }, (_, chunk) =>
          run(() => acts.scanChunk({ ...ref, chunk, chunkSize: universe.chunkSize })),
        ),
      );
      const scan = mergeChunkScans(chunks, Math.min(...chunks.map((c) => c.topN)));
      await run(() => acts.recordScan({ ...ref, candidates: scan.candidates }));
      const news = await run(() => acts.scoreSentiment({ ...ref, candidates: scan.candidates }));
      const patterns = await run(() => acts.detectPatterns({ ...ref, candidates: news.candidates }));
      const technical = await run(() => acts.computeIndicators({ ...ref, candidates: patterns.candidates }));
      await run(() => acts.scoreCandidates({ ...ref, candidates: technical.candidates }));
      wallMs.push(Math.round(performance.now() - started));
    }
  } finally {
    cpuProfile = await stopProfiler(session);
    await database.close();
    await sim.close();
    settings.close();
  }
  const nodes = new Map((cpuProfile.nodes as ProfileNode[]).map((n) => [n.id, n]));
  const byBucket = new Map<string, number>();
  let total = 0;
  cpuProfile.samples!.forEach((id, i) => {
    const frame = nodes.get(id)!.callFrame;
    const dt = (cpuProfile.timeDeltas![i] ?? 0) / 1000;
    const bucket = BUCKETS.find(([, match]) => match(frame.url, frame.functionName))![0];
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + dt);
    total += dt;
  });
  const shares = [...byBucket].sort((a, b) => b[1] - a[1]);
  const warm = wallMs.slice(1).sort((a, b) => a - b);
  const json = {
    cycles: CYCLES.length,
    firstCycleMs: wallMs[0],
    warmP50Ms: warm[Math.floor((warm.length - 1) / 2)],
    profiledMs: Math.round(total),
    shares: Object.fromEntries(shares.map(([k, v]) => [k, Math.round((v / total) * 1000) / 10])),
  };
  const table = [
    `### Where a cycle's time goes (${CYCLES.length} cycles of ${DATE}, in-process, no Temporal)`,
    '',
    `First cycle ${wallMs[0]} ms (the simulator builds the day's price paths), later cycles p50 ${json.warmP50Ms} ms.`,
    '',
    '| where | share of the profiled time |',
    '| --- | --: |',
    ...shares.map(([k, v]) => `| ${k} | ${((v / total) * 100).toFixed(1)} % |`),
  ].join('\n');
  return { json, table };
}

export const cycleProfileBench: SubBench = {
  name: 'cycle-profile',
  summary: "where a cycle's funnel spends its time (CPU profile by component, in-process)",
  run: runCycleProfile,
};

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import {
  recordScanResults,
  scanResultsForCycle,
  updateScanScores,
  type ScanResultRow,
} from '../../src/db/repositories/scanResults';
import { startCycle } from '../../src/db/repositories/tradingCycles';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('scan results repository', () => {
  let d: MigratedDatabase;
  const cycleId = '2024-03-08-c01';
  beforeAll(async () => {
    d = await createMigratedDatabase();
    await startCycle(d.db, {
      cycleId,
      tradingDate: '2024-03-08',
      workflowId: 'w',
      runId: 'r',
      cycleNumber: 1,
      marketTime: new Date('2024-03-08T14:30:00Z'),
      config: {},
    });
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const scan: ScanResultRow[] = [
    {
      symbol: 'aapl',
      rank: 1,
      price: '170.25',
      volume: 52_000_000,
      gapPct: 2.5,
      momentumScore: 81.23456,
      volumeScore: '70',
    },
    { symbol: 'MSFT', rank: 2, price: '410.1', volume: 21_000_000, gapPct: -0.75, relativeVolume: 1.8 },
    { symbol: 'TSLA', rank: 3, price: '175.000001', volume: 99_000_000 },
  ];

  test('recording a scan twice replaces the cycle rows instead of adding to them', async () => {
    expect(await recordScanResults(d.db, cycleId, scan)).toBe(3);
    // A retry may rank differently and drop a symbol.
    expect(
      await recordScanResults(d.db, cycleId, [
        { ...scan[1]!, rank: 1 },
        { ...scan[0]!, rank: 2 },
      ]),
    ).toBe(2);
    const stored = await scanResultsForCycle(d.db, cycleId);
    expect(stored.map((r) => [r.symbol, r.rank])).toEqual([
      ['MSFT', 1],
      ['AAPL', 2],
    ]);
    expect(stored[1]).toMatchObject({
      price: '170.250000',
      volume: 52_000_000,
      gapPct: '2.500000',
      momentumScore: '81.2346',
      volumeScore: '70.0000',
      stageReached: 'scanned',
      selected: false,
      riskApproved: null,
    });
  });

  test('updateScanScores adds later verdicts, leaves omitted fields alone, and is idempotent', async () => {
    const update = [
      { symbol: 'msft', newsScore: 62.5, technicalScore: 71, compositeScore: 68.4, stageReached: 'risk' },
      { symbol: 'AAPL', newsScore: 10, stageReached: 'news' },
      { symbol: 'NOT_SCANNED', newsScore: 99 },
    ];
    expect(await updateScanScores(d.db, cycleId, update)).toBe(2);
    expect(
      await updateScanScores(d.db, cycleId, [
        { symbol: 'MSFT', selected: true, riskApproved: false, riskReasons: ['sector exposure 45% > 40%'] },
      ]),
    ).toBe(1);
    expect(await updateScanScores(d.db, cycleId, update)).toBe(2);
    const msft = (await scanResultsForCycle(d.db, cycleId)).find((r) => r.symbol === 'MSFT')!;
    expect(msft).toMatchObject({
      newsScore: '62.5000',
      technicalScore: '71.0000',
      compositeScore: '68.4000',
      stageReached: 'risk',
      selected: true,
      riskApproved: false,
      riskReasons: ['sector exposure 45% > 40%'],
      relativeVolume: '1.800000',
    });
    const [n] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from scan_results`);
    expect(n!.n).toBe(2);
  });

  test('a scan naming a symbol twice, or non-finite scores, is refused', async () => {
    await expect(
      recordScanResults(d.db, cycleId, [scan[0]!, { ...scan[0]!, symbol: 'AAPL' }]),
    ).rejects.toThrow(/AAPL appears twice/);
    await expect(
      recordScanResults(d.db, cycleId, [{ ...scan[0]!, momentumScore: Number.NaN }]),
    ).rejects.toThrow(/momentumScore of AAPL must be a finite number/);
    // The refused retry left the earlier rows in place.
    expect(await scanResultsForCycle(d.db, cycleId)).toHaveLength(2);
  });

  test('(cycle_id, security_id) is unique and cycle_id must exist', async () => {
    await expect(
      d.db.execute(sql`insert into scan_results (cycle_id, security_id, rank, price, volume)
                       select ${cycleId}, id, 9, 1, 1 from securities where symbol = 'AAPL'`),
    ).rejects.toThrow();
    await expect(recordScanResults(d.db, 'no-such-cycle', [scan[0]!])).rejects.toThrow();
  });
});

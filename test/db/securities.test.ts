import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import {
  existingSecurityIds,
  normalizeSymbol,
  securityIdsFor,
  upsertSecurities,
} from '../../src/db/repositories/securities';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

type Stored = {
  symbol: string;
  name: string | null;
  exchange: string | null;
  sector: string | null;
  is_active: boolean;
};

describe('securities repository', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const stored = (symbol: string) =>
    rows<Stored>(
      d.db,
      sql`select s.symbol, s.name, s.exchange, x.name as sector, s.is_active
          from securities s left join sectors x on x.id = s.sector_id where s.symbol = ${symbol}`,
    );

  test('upsertSecurities creates sectors and is idempotent', async () => {
    const first = await upsertSecurities(d.db, [
      { symbol: 'aapl', name: 'Apple', exchange: 'NASDAQ', sector: 'Technology', industry: 'Hardware' },
      { symbol: 'XOM', name: 'Exxon', exchange: 'NYSE', sector: 'Energy' },
    ]);
    const second = await upsertSecurities(d.db, [
      { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', sector: 'Technology' },
      { symbol: 'XOM', name: 'Exxon Mobil', exchange: 'NYSE', sector: 'Energy' },
    ]);
    expect([...second]).toEqual([...first]);
    expect(await stored('AAPL')).toEqual([
      { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', sector: 'Technology', is_active: true },
    ]);
    const [counts] = await rows<{ securities: number; sectors: number }>(
      d.db,
      sql`select (select count(*)::int from securities) as securities, (select count(*)::int from sectors) as sectors`,
    );
    expect(counts).toEqual({ securities: 2, sectors: 2 });
  });

  test('omitted attributes keep their stored values; isActive changes only when given', async () => {
    await upsertSecurities(d.db, [{ symbol: 'AAPL', isActive: false }]);
    expect(await stored('AAPL')).toEqual([
      { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', sector: 'Technology', is_active: false },
    ]);
    await upsertSecurities(d.db, [{ symbol: 'AAPL', name: 'Apple' }]);
    expect((await stored('AAPL'))[0]).toMatchObject({ name: 'Apple', is_active: false });
  });

  test('a batch naming a symbol twice keeps the last mention', async () => {
    const ids = await upsertSecurities(d.db, [
      { symbol: 'dup', name: 'first' },
      { symbol: 'DUP', name: 'second' },
    ]);
    expect(ids.size).toBe(1);
    expect((await stored('DUP'))[0]!.name).toBe('second');
  });

  test('bulk upserts of a full universe are chunked', async () => {
    const universe = Array.from({ length: 4200 }, (_, i) => ({
      symbol: `S${i}`,
      name: `Security ${i}`,
      sector: `Sector ${i % 11}`,
    }));
    const ids = await upsertSecurities(d.db, universe);
    expect(ids.size).toBe(4200);
    const again = await upsertSecurities(d.db, universe);
    expect(again).toEqual(ids);
  });

  test('securityIdsFor returns existing ids and creates the missing ones once', async () => {
    const known = await existingSecurityIds(d.db, ['aapl', 'NOPE']);
    expect([...known.keys()]).toEqual(['AAPL']);
    const ids = await securityIdsFor(d.db, ['aapl', 'new1', 'NEW1', 'new2']);
    expect([...ids.keys()].sort()).toEqual(['AAPL', 'NEW1', 'NEW2']);
    expect(ids.get('AAPL')).toBe(known.get('AAPL'));
    const again = await Promise.all([securityIdsFor(d.db, ['new2', 'new3']), securityIdsFor(d.db, ['NEW3'])]);
    expect(again[0].get('NEW3')).toBe(again[1].get('NEW3'));
    expect(again[0].get('NEW2')).toBe(ids.get('NEW2'));
  });

  test('symbols are unique and stored upper-case', async () => {
    await expect(d.db.execute(sql`insert into securities (symbol) values ('AAPL')`)).rejects.toThrow();
    await expect(d.db.execute(sql`insert into securities (symbol) values ('lower')`)).rejects.toThrow();
    expect(() => normalizeSymbol('  ')).toThrow(/non-empty/);
  });
});

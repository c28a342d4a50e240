/** The database has applied exactly the migrations this build ships. */
import { describe, expect, it } from 'vitest';
import { checkSchemaCurrent } from '../../../src/domain/goLive';

const journal = [
  { tag: '0000_init', when: 100 },
  { tag: '0001_helpers', when: 200 },
  { tag: '0002_more', when: 300 },
];

describe('checkSchemaCurrent', () => {
  it('passes when every migration is applied', () => {
    const check = checkSchemaCurrent(journal, [100, 200, 300]);
    expect(check).toMatchObject({ status: 'pass', value: 3, threshold: 3 });
    expect(check.detail).toBe('database schema current: 3 of 3 migration(s) applied (latest 0002_more)');
  });

  it('fails with one migration pending, naming it', () => {
    const check = checkSchemaCurrent(journal, [100, 200]);
    expect(check).toMatchObject({ status: 'fail', value: 2 });
    expect(check.detail).toMatch(/^database schema behind: 1 of 3 migration\(s\) not applied \(0002_more\)/);
  });

  it('fails when nothing was ever applied', () => {
    expect(checkSchemaCurrent(journal, null)).toMatchObject({ status: 'fail', value: 0 });
  });

  it('fails when the database knows a migration this build does not', () => {
    const check = checkSchemaCurrent(journal, [100, 200, 300, 400]);
    expect(check.status).toBe('fail');
    expect(check.detail).toMatch(/^database schema ahead: 1 applied migration/);
  });
});

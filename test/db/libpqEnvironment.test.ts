import { describe, expect, test } from 'vitest';
import { libpqEnvironment } from '../../src/db/backup/libpqEnvironment';

// pg_dump and pg_restore get the connection as PG* variables: the password never reaches argv.
describe('libpqEnvironment', () => {
  test('every part of the URL becomes its variable, decoded', () => {
    expect(
      libpqEnvironment('postgresql://trader:p%40ss%3Aword@db.example:6543/catalyst?sslmode=verify-full'),
    ).toEqual({
      env: {
        PGHOST: 'db.example',
        PGPORT: '6543',
        PGUSER: 'trader',
        PGPASSWORD: 'p@ss:word',
        PGDATABASE: 'catalyst',
        PGSSLMODE: 'verify-full',
      },
      database: 'catalyst',
    });
  });

  test("node-postgres's ssl=true is libpq's sslmode=require; a socket directory comes as host=", () => {
    expect(libpqEnvironment('postgres://u@localhost/db?ssl=true').env.PGSSLMODE).toBe('require');
    expect(libpqEnvironment('postgres:///db?host=/var/run/postgresql').env).toMatchObject({
      PGHOST: '/var/run/postgresql',
      PGDATABASE: 'db',
    });
  });

  test('without a database name, libpq defaults to the user name', () => {
    expect(libpqEnvironment('postgres://trader@db').database).toBe('trader');
  });

  test('a parameter libpq does not know is refused by name, never echoing its value', () => {
    expect(() => libpqEnvironment('postgres://u@db/x?secretthing=hunter2')).toThrow(/"secretthing"/);
    expect(() => libpqEnvironment('postgres://u@db/x?secretthing=hunter2')).not.toThrow(/hunter2/);
  });
});

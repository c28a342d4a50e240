/** A fresh, migrated Catalyst database on the local PostgreSQL server for one test file. */
import { createDatabase, type Database } from '../../src/db/createDatabase';
import { createTempDatabase } from './tempDatabase';

export interface MigratedDatabase extends Database {
  url: string;
  /** Closes the connections and drops the database. */
  dispose(): Promise<void>;
}

export async function createMigratedDatabase(): Promise<MigratedDatabase> {
  const temp = await createTempDatabase();
  let database: Database;
  try {
    database = await createDatabase({ url: temp.url });
  } catch (err) {
    await temp.drop();
    throw err;
  }
  return {
    ...database,
    url: temp.url,
    dispose: async () => {
      await database.close();
      await temp.drop();
    },
  };
}

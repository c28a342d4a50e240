/**
 * Which database an operator command works on: the one `catalyst up` would open. DATABASE_URL
 * selects PostgreSQL; without it, the embedded PGlite in `$CATALYST_HOME/pgdata` (CATALYST_HOME
 * defaults to `<project>/.catalyst`), as in src/stack/embeddedStack.ts.
 */
import { resolve } from 'node:path';
import { describeUrl } from './createDatabase';

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

export class DatabaseTargetError extends Error {
  override name = 'DatabaseTargetError';
}

export function resolveDatabaseTarget(env: NodeJS.ProcessEnv, projectDir: string): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    // The value may carry a password: the message names the variable and the expected shape only.
    if (!/^postgres(ql)?:\/\//i.test(url) || !URL.canParse(url))
      throw new DatabaseTargetError(
        'DATABASE_URL must be a postgres:// or postgresql:// URL (e.g. postgresql://user:password@host:5432/catalyst)',
      );
    return { kind: 'postgres', url };
  }
  const home = env.CATALYST_HOME ? resolve(env.CATALYST_HOME) : resolve(projectDir, '.catalyst');
  return { kind: 'pglite', dir: resolve(home, 'pgdata') };
}

/** How messages name the target: never with a password. */
export function describeTarget(target: DatabaseTarget): string {
  return target.kind === 'postgres' ? describeUrl(target.url) : `PGlite in ${target.dir}`;
}

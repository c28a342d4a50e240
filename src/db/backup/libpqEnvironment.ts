/**
 * A postgres:// URL as libpq environment variables, for pg_dump and pg_restore. Passing the URL
 * as an argument would show its password to anyone who can list processes; PGPASSWORD is
 * visible to the child alone.
 */

/** URL query parameters libpq understands, and the variable each becomes. */
const QUERY_PARAMETERS: Readonly<Record<string, string>> = {
  host: 'PGHOST',
  port: 'PGPORT',
  user: 'PGUSER',
  password: 'PGPASSWORD',
  dbname: 'PGDATABASE',
  sslmode: 'PGSSLMODE',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslrootcert: 'PGSSLROOTCERT',
  sslcrl: 'PGSSLCRL',
  application_name: 'PGAPPNAME',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  options: 'PGOPTIONS',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
};

export interface LibpqConnection {
  /** PG* variables to add to the child's environment. */
  env: Record<string, string>;
  /** The database name (also in env.PGDATABASE); never secret. */
  database: string;
}

export function libpqEnvironment(url: string): LibpqConnection {
  const parsed = new URL(url);
  const env: Record<string, string> = {};
  if (parsed.hostname) env.PGHOST = decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, ''));
  if (parsed.port) env.PGPORT = parsed.port;
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (path) env.PGDATABASE = path;

  for (const [name, value] of parsed.searchParams) {
    const variable = QUERY_PARAMETERS[name];
    // node-postgres's own spelling of "use TLS"; libpq's nearest is sslmode=require.
    if (name === 'ssl') {
      if (value === 'true' || value === '1') env.PGSSLMODE ??= 'require';
      continue;
    }
    if (!variable)
      throw new Error(
        `DATABASE_URL parameter "${name}" has no pg_dump/pg_restore equivalent; supported: ${Object.keys(QUERY_PARAMETERS).join(', ')}, ssl`,
      );
    env[variable] = value;
  }
  const database = env.PGDATABASE ?? env.PGUSER ?? 'postgres';
  env.PGDATABASE = database;
  return { env, database };
}

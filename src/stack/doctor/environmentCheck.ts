/**
 * The environment (.env and the process's own variables) against Catalyst's schema. Where
 * `catalyst up` stops at the first bad variable, doctor reports them and goes on: the other checks
 * run on the variables that are valid, and a check that needs a bad one says so instead of
 * guessing (a malformed DATABASE_URL must not be reported as "the embedded PGlite is fine").
 */
import { EnvSchema, SECRET_ENV_VARS, type Env, type EnvSource } from '../../settings/env';
import { formatIssues } from '../../settings/settingsError';
import { fail, ok, type CheckResult } from './checkResult';

/** Variables that are only valid together: dropping one of a pair drops both. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['ALPACA_API_KEY', 'ALPACA_SECRET_KEY'],
  ['SMTP_USERNAME', 'SMTP_PASSWORD'],
];

export interface EnvironmentCheck {
  result: CheckResult;
  /** The environment with every invalid variable left out. */
  env: Env;
  /** Names of the variables found invalid. */
  invalid: ReadonlySet<string>;
  /** One line per problem (naming the variable, never a secret's value). */
  problems: string[];
}

export function checkEnvironment(source: EnvSource): EnvironmentCheck {
  const invalid = new Set<string>();
  const problems: string[] = [];
  let remaining: EnvSource = { ...source };
  // Each pass drops what the last one found; a pair problem can surface once its partner is gone.
  for (let pass = 0; pass < 4; pass++) {
    const parsed = EnvSchema.safeParse(remaining);
    if (parsed.success) {
      return {
        result:
          problems.length === 0
            ? ok('environment', 'every variable Catalyst reads is valid (.env and the environment)')
            : fail(
                'environment',
                problems.join('; '),
                `correct ${[...invalid].join(', ')} in .env or the environment (see .env.example)`,
              ),
        env: parsed.data,
        invalid,
        problems,
      };
    }
    problems.push(
      ...formatIssues(parsed.error.issues, {
        prefix: 'environment variable ',
        raw: remaining,
        schema: EnvSchema,
        secretKeys: SECRET_ENV_VARS,
      }).filter((line) => !problems.includes(line)),
    );
    const next: EnvSource = { ...remaining };
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      if (!name) continue;
      for (const v of PAIRS.find((p) => p.includes(name)) ?? [name]) {
        invalid.add(v);
        delete next[v];
      }
    }
    remaining = next;
  }
  // Unreachable in practice (each pass removes the variables it found); the defaults are safe.
  return {
    result: fail('environment', problems.join('; '), 'correct the variables named above'),
    env: EnvSchema.parse({}),
    invalid,
    problems,
  };
}

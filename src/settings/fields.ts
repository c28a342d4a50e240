/**
 * Zod field builders whose every failure message states the allowed values ("must be an integer
 * between 1 and 50"), so a bad config line can be reported as one sentence naming the key, the
 * range and the value found. The value itself is appended by the error formatter.
 */
import { z } from 'zod';
import { normalizeDecimal, toMicros } from '../domain/money';

export function intRange(min: number, max: number) {
  const error = `must be an integer between ${min} and ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

export function numberRange(min: number, max: number) {
  const error = `must be a number between ${min} and ${max}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

export function bool() {
  return z.boolean({ error: 'must be true or false' });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

/**
 * A dollar amount written as a YAML number (2000) or string ("2000.00"), exposed as a canonical
 * decimal string ("2000.00") so it enters the money code without a float.
 */
export function money(min: string, max: string) {
  const error = `must be an amount in dollars between ${min} and ${max}`;
  const lo = toMicros(min);
  const hi = toMicros(max);
  return z.union([z.number(), z.string()], { error }).transform((value, ctx) => {
    let micros: bigint;
    try {
      micros = toMicros(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: error });
      return z.NEVER;
    }
    if (micros < lo || micros > hi) {
      ctx.addIssue({ code: 'custom', message: error });
      return z.NEVER;
    }
    return normalizeDecimal(value);
  });
}

/** Issue params that tell the formatter the message already shows the offending values. */
export const OMIT_GOT = { omitGot: true } as const;

/** Cross-field rules run only on otherwise valid input, so one bad value yields one message. */
export const CROSS_FIELD = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

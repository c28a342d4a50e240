/**
 * A strict reader of `.env` files: KEY=value lines, `#` comments, blank lines, an optional
 * `export ` prefix, single or double quotes. Every line it cannot read is reported with its
 * number, all at once, instead of being skipped.
 *
 * Why not node's util.parseEnv (Node 20): it never reports anything, and it loses settings. A line
 * without "=" becomes part of the NEXT line's key ("junk\nDATABASE_URL=…" sets the variable
 * "junk\nDATABASE_URL", so DATABASE_URL stays unset and the embedded database is used), a line
 * "=value" swallows the rest of the file, a tab-indented key keeps its tab, and a key set twice
 * keeps the last value silently. A misspelt Catalyst variable (ENABLE_LIVE_TRADNG) is read by
 * nobody; it is reported with the name it was probably meant to be.
 *
 * The CLI's start (src/client/main.ts) is what should read `.env` through this.
 */
import { ENV_VARIABLES } from './env';
import { closestKey, SettingsError } from './settingsError';

/** Variables read outside the settings schema (the CLI, the stack), so never called misspelt. */
const OTHER_VARIABLES = [
  'CATALYST_HOME',
  'CATALYST_DEBUG',
  'CATALYST_CACHE_DIR',
  'TEMPORAL_CLI_PATH',
  'TEMPORAL_UI_URL',
  'NO_COLOR',
] as const;

const KNOWN: readonly string[] = [...ENV_VARIABLES, ...OTHER_VARIABLES];
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Control characters other than tab and line ends: a NUL in a value is a corrupted file. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The variables of a `.env` file's text. Throws one SettingsError naming the file (`label`) and
 * the line of each problem; nothing is returned from a file with any problem, so no half-read file
 * is ever applied.
 */
export function parseEnvFile(text: string, label = '.env'): Record<string, string> {
  const values: Record<string, string> = {};
  const firstLine = new Map<string, number>();
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const problem = (what: string): void => void problems.push(`${label}: line ${n}: ${what}`);
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const body = line.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    // Not quoted back: a line without "=" may be a pasted secret.
    if (eq < 0) return problem(`not KEY=value (${line.length} characters, no "=")`);
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key))
      return problem(
        key === ''
          ? 'a value without a variable name before "="'
          : `${quoteKey(key)} is not a variable name (letters, digits and _)`,
      );
    const value = readValue(body.slice(eq + 1).trim());
    if (value === null) return problem(`the value of ${key} opens a quote it never closes on this line`);
    if (CONTROL.test(value)) return problem(`the value of ${key} holds a control character`);
    const seen = firstLine.get(key);
    if (seen !== undefined) return problem(`${key} is set again (first on line ${seen}); keep one`);
    if (!KNOWN.includes(key)) {
      const meant = closestKey(key, KNOWN);
      if (meant) return problem(`${key} is not a variable Catalyst reads (did you mean ${meant}?)`);
    }
    firstLine.set(key, n);
    values[key] = value;
  });
  if (problems.length) throw new SettingsError(problems);
  return values;
}

/** The value after "=": quoted as written, or unquoted up to a " #" comment; null for an unclosed quote. */
function readValue(text: string): string | null {
  const q = text[0];
  if (q === '"' || q === "'" || q === '`') {
    const end = text.indexOf(q, 1);
    if (end < 0) return null;
    const inner = text.slice(1, end);
    return q === '"' ? inner.replace(/\\n/g, '\n') : inner;
  }
  return text.replace(/\s+#.*$/, '').trim();
}

/** A key as a problem quotes it (never the value after "="): short. */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key);
}

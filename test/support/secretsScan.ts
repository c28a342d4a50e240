/**
 * Looks for secret values in text a run left behind: logs, histories, database rows, reports,
 * mails, process command lines. Each secret is looked for as written, URL-encoded (any hex case),
 * JSON-escaped, and base64 / base64url-encoded at any of the three byte alignments it can have
 * inside a longer encoded blob (a secret in the middle of a JSON payload that was base64-encoded
 * whole does not encode to base64(secret), but to one of three fixed middles of it).
 */

export interface Secret {
  /** What it is, for the failure message (never the value). */
  name: string;
  value: string;
}

export interface SecretHit {
  secret: string;
  form: string;
  source: string;
  /** Offset and length of the match in the source's text. */
  at: number;
  length: number;
}

export interface ScanSource {
  name: string;
  text: string;
}

interface Needle {
  secret: string;
  form: string;
  text: string;
  caseInsensitive: boolean;
}

/** Shorter needles would match by chance (a base64 middle of a short value is a few characters). */
const MIN_NEEDLE = 8;

/**
 * The characters of base64(prefix + value) that depend on `value` alone, for a prefix of `offset`
 * bytes (0, 1 or 2): what any base64 text holding `value` at that alignment contains.
 */
export function base64Middle(value: string, offset: 0 | 1 | 2): string {
  const bytes = Buffer.from(value, 'utf8');
  const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const first = Math.ceil((offset * 8) / 6);
  const end = Math.floor(((offset + bytes.length) * 8) / 6);
  return b64.slice(first, end);
}

export function needlesOf(secret: Secret): Needle[] {
  const v = secret.value;
  const out: Needle[] = [];
  const add = (form: string, text: string, caseInsensitive: boolean): void => {
    if (text.length < MIN_NEEDLE) return;
    if (out.some((n) => n.text === text)) return;
    out.push({ secret: secret.name, form, text, caseInsensitive });
  };
  add('plain', v, true);
  add('url-encoded', encodeURIComponent(v), true);
  add('form-encoded', new URLSearchParams({ x: v }).toString().slice(2), true);
  add('json-escaped', JSON.stringify(v).slice(1, -1), false);
  for (const offset of [0, 1, 2] as const) {
    const middle = base64Middle(v, offset);
    add(`base64@${offset}`, middle, false);
    add(`base64url@${offset}`, middle.replace(/\+/g, '-').replace(/\//g, '_'), false);
  }
  return out;
}

/** Every occurrence of every secret, in every form, in every source. */
export function scanForSecrets(sources: Iterable<ScanSource>, secrets: readonly Secret[]): SecretHit[] {
  for (const s of secrets)
    if (s.value.length < MIN_NEEDLE)
      throw new Error(`secret ${s.name} is too short to scan for (${s.value.length} < ${MIN_NEEDLE})`);
  const needles = secrets.flatMap(needlesOf);
  const hits: SecretHit[] = [];
  for (const source of sources) {
    let lower: string | undefined;
    for (const n of needles) {
      const haystack = n.caseInsensitive ? (lower ??= source.text.toLowerCase()) : source.text;
      const needle = n.caseInsensitive ? n.text.toLowerCase() : n.text;
      for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1))
        hits.push({ secret: n.secret, form: n.form, source: source.name, at, length: needle.length });
    }
  }
  return hits;
}

/** For an assertion message: where each hit is, with a little context (the secret itself masked). */
export function describeHits(hits: readonly SecretHit[], sources: Iterable<ScanSource>): string[] {
  const byName = new Map<string, string>();
  for (const s of sources) byName.set(s.name, s.text);
  return hits.map((h) => {
    const text = byName.get(h.source) ?? '';
    const before = text.slice(Math.max(0, h.at - 60), h.at);
    const after = text.slice(h.at + h.length, h.at + h.length + 60);
    const context = `${before}‹${h.secret}›${after}`.replace(/\s+/g, ' ');
    return `${h.secret} (${h.form}) in ${h.source} at ${h.at}: …${context}…`;
  });
}

/**
 * Base64 payload data (Temporal's `"data": "…"`) decoded to text, so a secret inside a payload is
 * also found as written, whatever the alignment scan makes of the encoded form.
 */
export function decodedBase64Fields(json: string): string {
  const out: string[] = [];
  for (const m of json.matchAll(/"data"\s*:\s*"([A-Za-z0-9+/=_-]+)"/g))
    out.push(Buffer.from(m[1]!, 'base64').toString('utf8'));
  return out.join('\n');
}

/** The secrets scanner (test/support/secretsScan.ts) finds what it must and nothing else. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base64Middle,
  decodedBase64Fields,
  describeHits,
  scanForSecrets,
  type Secret,
} from '../support/secretsScan';

const SECRET: Secret = { name: 'SMTP_PASSWORD', value: 'pa$$ w/ord+&=é-0x5f' };
const found = (text: string, secret: Secret = SECRET): string[] =>
  scanForSecrets([{ name: 'scratch', text }], [secret]).map((h) => h.form);

describe('scanForSecrets', () => {
  it('finds a secret as written, in any case, and URL-, form- and JSON-encoded', () => {
    expect(found(`x ${SECRET.value} y`)).toContain('plain');
    expect(found(`x ${SECRET.value.toUpperCase()} y`)).toContain('plain');
    expect(found(`?p=${encodeURIComponent(SECRET.value)}`)).toContain('url-encoded');
    expect(found(`?p=${encodeURIComponent(SECRET.value).toLowerCase()}`)).toContain('url-encoded');
    expect(found(new URLSearchParams({ p: SECRET.value }).toString())).toContain('form-encoded');
    const quoted = { name: 'x', value: 'say "hi"\\now' };
    expect(found(JSON.stringify({ v: quoted.value }), quoted)).toContain('json-escaped');
  });

  it('finds a secret inside a longer text that was base64-encoded whole, at every alignment', () => {
    for (let trial = 0; trial < 30; trial++) {
      const before = randomBytes(trial % 7).toString('hex');
      const after = randomBytes(trial % 5).toString('hex');
      const blob = Buffer.from(`${before}{"v":"${SECRET.value}"}${after}`);
      expect(found(blob.toString('base64')).some((f) => f.startsWith('base64@'))).toBe(true);
      // Where base64url and base64 agree (no + or / in the middle), the hit is named base64.
      expect(found(blob.toString('base64url')).some((f) => /^base64(url)?@/.test(f))).toBe(true);
    }
  });

  it('base64Middle is exactly the part of the encoding that the secret alone decides', () => {
    const value = 'abcdefghijk';
    expect(base64Middle(value, 0)).toBe(Buffer.from(value).toString('base64').replace(/.=*$/, ''));
    for (const offset of [0, 1, 2] as const)
      for (const fill of [0x00, 0xff, 0x41]) {
        const encoded = Buffer.concat([Buffer.alloc(offset, fill), Buffer.from(value), Buffer.from([fill])]);
        expect(encoded.toString('base64')).toContain(base64Middle(value, offset));
      }
  });

  it('finds nothing in a text without the secret, and refuses a secret too short to look for', () => {
    expect(found(`x ${SECRET.value.slice(0, -1)}_ y ${encodeURIComponent('another value')}`)).toEqual([]);
    expect(found(Buffer.from(`{"v":"[REDACTED]"}`).toString('base64'))).toEqual([]);
    expect(() => scanForSecrets([{ name: 'x', text: 'abc' }], [{ name: 'short', value: 'abc' }])).toThrow(
      /too short/,
    );
  });

  it('reports where each hit is without printing the secret', () => {
    const sources = [{ name: 'log', text: `start ${SECRET.value} end` }];
    const lines = describeHits(scanForSecrets(sources, [SECRET]), sources);
    expect(lines).toEqual([`SMTP_PASSWORD (plain) in log at 6: …start ‹SMTP_PASSWORD› end…`]);
  });

  it('decodes the base64 data fields of a Temporal history', () => {
    const history = JSON.stringify({
      events: [{ input: { payloads: [{ data: Buffer.from(`"${SECRET.value}"`).toString('base64') }] } }],
    });
    expect(decodedBase64Fields(history)).toBe(`"${SECRET.value}"`);
    expect(found(decodedBase64Fields(history))).toContain('plain');
  });
});

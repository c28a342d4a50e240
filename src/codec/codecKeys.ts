/**
 * CATALYST_CODEC_KEYS: `keyId:base64key,keyId:base64key,…`, 32-byte AES-256 keys. The first key
 * encrypts; every key decrypts, so a rotation puts the new key first and keeps the old ones for
 * the histories they wrote. Unset or blank: no codec, payloads stay plaintext.
 *
 * Error messages name entries by position, never by their text: a key pasted in the wrong place
 * (or the wrong order, `base64key:keyId`) must not end up in a terminal or a log.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { SettingsError } from '../settings/settingsError';

export const CODEC_KEYS_ENV = 'CATALYST_CODEC_KEYS';
export const KEY_BYTES = 32;
export const GENERATE_KEY_HINT = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

/** Ids travel in every encrypted payload's metadata and in error messages: plain, short words. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface CodecKeyring {
  /** The id new payloads are encrypted under (the first entry). */
  currentKeyId: string;
  /**
   * Every key by id, in the order given. KeyObjects, not Buffers: printed or logged by mistake,
   * they show their type, never their bytes.
   */
  keys: ReadonlyMap<string, KeyObject>;
}

/** The keyring of `value` (CATALYST_CODEC_KEYS), or null when it is unset or blank. */
export function parseCodecKeys(value: string | undefined): CodecKeyring | null {
  if (value === undefined || value.trim() === '') return null;
  const entries = value.split(',').map((e) => e.trim());
  const issues: string[] = [];
  const keys = new Map<string, KeyObject>();
  const firstSeenAt = new Map<string, number>();
  const where = (i: number): string =>
    entries.length === 1
      ? `${CODEC_KEYS_ENV}: the entry`
      : `${CODEC_KEYS_ENV}: entry ${i + 1} of ${entries.length}`;

  entries.forEach((entry, i) => {
    if (entry === '') {
      issues.push(`${where(i)} is empty (a stray comma?); expected keyId:base64key`);
      return;
    }
    const colon = entry.indexOf(':');
    if (colon < 0) {
      issues.push(`${where(i)} has no ":"; expected keyId:base64key`);
      return;
    }
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (id === '') {
      issues.push(`${where(i)} has an empty key id; expected keyId:base64key`);
      return;
    }
    if (!KEY_ID.test(id)) {
      issues.push(
        `${where(i)} has a key id that is not 1–64 letters, digits, ".", "_" or "-" (keyId comes first: keyId:base64key)`,
      );
      return;
    }
    if (encoded === '' || !BASE64.test(encoded)) {
      issues.push(`${where(i)} (key id "${id}"): the key is not base64`);
      return;
    }
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length !== KEY_BYTES) {
      issues.push(
        `${where(i)} (key id "${id}"): the key is ${bytes.length} bytes, AES-256 needs ${KEY_BYTES} (generate one with: ${GENERATE_KEY_HINT})`,
      );
      bytes.fill(0);
      return;
    }
    const earlier = firstSeenAt.get(id);
    if (earlier !== undefined) {
      issues.push(`${CODEC_KEYS_ENV}: key id "${id}" is given twice (entries ${earlier + 1} and ${i + 1})`);
      bytes.fill(0);
      return;
    }
    firstSeenAt.set(id, i);
    keys.set(id, createSecretKey(bytes));
    bytes.fill(0);
  });

  if (issues.length > 0) throw new SettingsError(issues);
  const [currentKeyId] = keys.keys();
  return { currentKeyId: currentKeyId!, keys };
}

/** The keyring of the environment's CATALYST_CODEC_KEYS, or null when unset. */
export const codecKeysFromEnv = (env: NodeJS.ProcessEnv = process.env): CodecKeyring | null =>
  parseCodecKeys(env[CODEC_KEYS_ENV]);

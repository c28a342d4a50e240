/**
 * The payload codec of CATALYST_CODEC_KEYS on its own: what Temporal would store, what comes back,
 * key rotation, and the refusals (unknown key id, altered data, a bad variable).
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { parseCodecKeys } from '../../src/codec/codecKeys';
import {
  AesGcmPayloadCodec,
  catalystDataConverter,
  codecFromEnv,
  ENCRYPTED_ENCODING,
  METADATA_KEY_ID,
} from '../../src/codec/payloadCodec';

const key = (): string => randomBytes(32).toString('base64');
const codecOf = (value: string): AesGcmPayloadCodec => new AesGcmPayloadCodec(parseCodecKeys(value)!);
const text = (bytes: Uint8Array | null | undefined): string =>
  new TextDecoder().decode(bytes ?? new Uint8Array());

const ACCOUNT = 'PA3CODEC7TEST99';
const input = {
  tradingDate: '2026-11-24',
  venue: 'paper',
  account: ACCOUNT,
  note: 'buy ACME for PA3CODEC7TEST99',
};
const plainPayload = (): Payload => defaultPayloadConverter.toPayload(input);

describe('AES-GCM payload codec', () => {
  it('round-trips a payload, its metadata included', async () => {
    const codec = codecOf(`k1:${key()}`);
    const original = plainPayload();
    const [encoded] = await codec.encode([original]);
    expect(text(encoded!.metadata![METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded!.metadata![METADATA_KEY_ID])).toBe('k1');
    // 12-byte IV + ciphertext + 16-byte tag of the serialized payload
    const serialized = proto.temporal.api.common.v1.Payload.encode(original).finish();
    expect(encoded!.data!.length).toBe(12 + serialized.length + 16);

    const [decoded] = await codec.decode([encoded!]);
    expect(text(decoded!.metadata![METADATA_ENCODING_KEY])).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(input);
  });

  it('leaves no plaintext byte sequence of the account in what is stored', async () => {
    const codec = codecOf(`k1:${key()}`);
    const original = plainPayload();
    expect(Buffer.from(original.data!).includes(ACCOUNT)).toBe(true); // the check can find it
    const [encoded] = await codec.encode([original]);
    const stored = Buffer.from(proto.temporal.api.common.v1.Payload.encode(encoded!).finish());
    expect(stored.includes(ACCOUNT)).toBe(false);
    expect(stored.includes('json/plain')).toBe(false);
    expect(stored.includes('2026-11-24')).toBe(false);
  });

  it('uses a fresh IV for each payload: the same value never encrypts to the same bytes', async () => {
    const codec = codecOf(`k1:${key()}`);
    const [a, b] = await codec.encode([plainPayload(), plainPayload()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(Buffer.from(a!.data!.subarray(0, 12)).equals(Buffer.from(b!.data!.subarray(0, 12)))).toBe(false);
  });

  it('passes through payloads that are not encrypted', async () => {
    const codec = codecOf(`k1:${key()}`);
    const plain = plainPayload();
    const [out] = await codec.decode([plain]);
    expect(out).toBe(plain);
  });

  it('rotates: old data still decodes after a new key is put first, new data uses the new key id', async () => {
    const oldKey = key();
    const before = codecOf(`2026-01:${oldKey}`);
    const [oldData] = await before.encode([plainPayload()]);

    const after = codecOf(`2026-06:${key()},2026-01:${oldKey}`);
    expect(after.currentKeyId).toBe('2026-06');
    const [newData] = await after.encode([plainPayload()]);
    expect(text(newData!.metadata![METADATA_KEY_ID])).toBe('2026-06');

    const [oldBack, newBack] = await after.decode([oldData!, newData!]);
    expect(defaultPayloadConverter.fromPayload(oldBack!)).toEqual(input);
    expect(defaultPayloadConverter.fromPayload(newBack!)).toEqual(input);
    // The old keyring cannot read what the new key wrote.
    await expect(before.decode([newData!])).rejects.toThrow(/key id "2026-06"/);
  });

  it('names an unknown key id, never a key', async () => {
    const secret = key();
    const writer = codecOf(`gone:${key()}`);
    const [encoded] = await writer.encode([plainPayload()]);
    const reader = codecOf(`current:${secret}`);
    const err = await reader.decode([encoded!]).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/key id "gone".*CATALYST_CODEC_KEYS does not hold.*"current"/);
    expect((err as Error).message).not.toContain(secret);
  });

  it('refuses altered data: a flipped ciphertext bit, a flipped tag bit, a swapped key id', async () => {
    const k1 = key();
    const codec = codecOf(`k1:${k1},k2:${key()}`);
    const [encoded] = await codec.encode([plainPayload()]);
    const flip = (at: number): Payload => {
      const data = Uint8Array.from(encoded!.data!);
      data[at]! ^= 1;
      return { metadata: encoded!.metadata!, data };
    };
    await expect(codec.decode([flip(20)])).rejects.toThrow(/key id "k1" does not decrypt: it was altered/);
    await expect(codec.decode([flip(encoded!.data!.length - 1)])).rejects.toThrow(/does not decrypt/);
    await expect(codec.decode([flip(3)])).rejects.toThrow(/does not decrypt/); // the IV
    const relabelled: Payload = {
      metadata: { ...encoded!.metadata!, [METADATA_KEY_ID]: new TextEncoder().encode('k2') },
      data: encoded!.data!,
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key id "k2" does not decrypt/);
    const truncated: Payload = { metadata: encoded!.metadata!, data: encoded!.data!.subarray(0, 20) };
    await expect(codec.decode([truncated])).rejects.toThrow(/too short/);
    const noKeyId: Payload = {
      metadata: { [METADATA_ENCODING_KEY]: encoded!.metadata![METADATA_ENCODING_KEY]! },
      data: encoded!.data!,
    };
    await expect(codec.decode([noKeyId])).rejects.toThrow(/no encryption-key-id/);
  });
});

describe('CATALYST_CODEC_KEYS', () => {
  it('unset or blank: no codec, the SDK default converter', () => {
    expect(codecFromEnv({})).toBeNull();
    expect(codecFromEnv({ CATALYST_CODEC_KEYS: '  ' })).toBeNull();
    expect(catalystDataConverter({})).toBeUndefined();
    const converter = catalystDataConverter({ CATALYST_CODEC_KEYS: `a:${key()}` });
    expect(converter?.payloadCodecs?.[0]).toBeInstanceOf(AesGcmPayloadCodec);
  });

  it('reads ids and keys, the first one encrypting, spaces around entries ignored', () => {
    const newKey = randomBytes(32);
    const ring = parseCodecKeys(` new:${newKey.toString('base64')} , old.1:${key()}`)!;
    expect(ring.currentKeyId).toBe('new');
    expect([...ring.keys.keys()]).toEqual(['new', 'old.1']);
    expect(ring.keys.get('new')!.export().equals(newKey)).toBe(true);
    // Logged by mistake, a key shows its type, never its bytes.
    const printed = `${inspect(ring, { depth: 5 })} ${JSON.stringify(ring)}`;
    expect(printed).not.toContain(newKey.toString('base64'));
    expect(printed).not.toContain(newKey.toString('hex'));
    expect(printed).toContain('SecretKeyObject');
  });

  const secret = key();
  const short = randomBytes(16).toString('base64');
  it.each<[string, string, RegExp]>([
    [
      'not base64',
      `k1:${secret},k2:not*base64!`,
      /^CATALYST_CODEC_KEYS: entry 2 of 2 \(key id "k2"\): the key is not base64$/,
    ],
    [
      'wrong length',
      `k1:${short}`,
      /^CATALYST_CODEC_KEYS: the entry \(key id "k1"\): the key is 16 bytes, AES-256 needs 32/,
    ],
    [
      'duplicate id',
      `k1:${secret},k1:${key()}`,
      /^CATALYST_CODEC_KEYS: key id "k1" is given twice \(entries 1 and 2\)$/,
    ],
    ['empty id', `:${secret}`, /^CATALYST_CODEC_KEYS: the entry has an empty key id/],
    ['no colon', secret, /^CATALYST_CODEC_KEYS: the entry has no ":"; expected keyId:base64key$/],
    ['empty key', 'k1:', /^CATALYST_CODEC_KEYS: the entry \(key id "k1"\): the key is not base64$/],
    ['stray comma', `k1:${secret},`, /^CATALYST_CODEC_KEYS: entry 2 of 2 is empty/],
    ['key and id swapped', `${secret}:k1`, /^CATALYST_CODEC_KEYS: the entry has a key id that is not/],
  ])('%s: one clear error naming the variable, without key material', (_, value, message) => {
    let err: Error | null = null;
    try {
      parseCodecKeys(value);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe('SettingsError'); // the CLI's exit 2 for bad configuration
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain(secret);
    expect(err?.message).not.toContain(short);
  });

  it('reports every bad entry at once', () => {
    expect(() => parseCodecKeys(`a:${short},:${secret},b:!!`)).toThrow(
      /entry 1 of 3 \(key id "a"\): the key is 16 bytes[^]*\nCATALYST_CODEC_KEYS: entry 2 of 3 has an empty key id[^]*\nCATALYST_CODEC_KEYS: entry 3 of 3 \(key id "b"\): the key is not base64/,
    );
  });
});

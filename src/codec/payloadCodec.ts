/**
 * AES-256-GCM for Temporal payloads, so workflow histories hold no plaintext account data: the
 * whole original Payload (its metadata too, which names the encoding) is serialized and
 * encrypted. The wire form is the one of Temporal's encryption samples, so a Web UI codec server
 * or another SDK's codec can read it:
 *   metadata: encoding = binary/encrypted, encryption-key-id = <id>
 *   data:     12-byte random IV ‖ ciphertext ‖ 16-byte GCM tag
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import {
  METADATA_ENCODING_KEY,
  ValueError,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import { CODEC_KEYS_ENV, codecKeysFromEnv, type CodecKeyring } from './codecKeys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;
const utf8 = new TextEncoder();
const text = new TextDecoder();

export const isEncrypted = (payload: Payload): boolean => {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && encoding !== null && text.decode(encoding) === ENCRYPTED_ENCODING;
};

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: { id: string; idBytes: Uint8Array; key: KeyObject };

  constructor(private readonly keyring: CodecKeyring) {
    const key = keyring.keys.get(keyring.currentKeyId);
    if (!key) throw new Error(`${CODEC_KEYS_ENV}: key id "${keyring.currentKeyId}" is not in the keyring`);
    this.current = { id: keyring.currentKeyId, idBytes: utf8.encode(keyring.currentKeyId), key };
  }

  /** The key id new payloads are encrypted under. */
  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = ProtoPayload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: utf8.encode(ENCRYPTED_ENCODING),
          [METADATA_KEY_ID]: this.current.idBytes,
        },
        data: new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private decrypt(payload: Payload): Payload {
    const idBytes = payload.metadata?.[METADATA_KEY_ID];
    if (!idBytes) throw new ValueError(`an encrypted payload has no ${METADATA_KEY_ID}: cannot tell its key`);
    const id = text.decode(idBytes);
    const key = this.keyring.keys.get(id);
    if (!key)
      throw new ValueError(
        `a payload is encrypted with key id "${id}", which ${CODEC_KEYS_ENV} does not hold (it holds ${[
          ...this.keyring.keys.keys(),
        ]
          .map((k) => `"${k}"`)
          .join(', ')}): put that key back in the list to read it`,
      );
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new ValueError(`a payload encrypted with key id "${id}" is too short to be AES-GCM data`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new ValueError(
        `a payload encrypted with key id "${id}" does not decrypt: it was altered, or "${id}" is now a different key`,
      );
    }
    return ProtoPayload.decode(plain);
  }
}

/** The codec of CATALYST_CODEC_KEYS, or null when it is unset (payloads stay plaintext). */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): AesGcmPayloadCodec | null {
  const keyring = codecKeysFromEnv(env);
  return keyring ? new AesGcmPayloadCodec(keyring) : null;
}

/**
 * The data converter every worker and client of a deployment must share: with CATALYST_CODEC_KEYS
 * set, one that encrypts; unset, undefined (the SDK's default). A bad value throws.
 */
export function catalystDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const codec = codecFromEnv(env);
  return codec ? { payloadCodecs: [codec] } : undefined;
}

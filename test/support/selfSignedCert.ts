/**
 * A self-signed TLS certificate for 127.0.0.1, made in the test process with node:crypto alone
 * (an ECDSA P-256 key and a hand-built X.509 v3 certificate), so SMTP tests can run STARTTLS
 * without openssl or another dependency.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const der = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  if (n < 0x80) return Buffer.concat([Buffer.from([tag, n]), content]);
  const len: number[] = [];
  for (let v = n; v > 0; v >>= 8) len.unshift(v & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | len.length, ...len]), content]);
};
const seq = (...parts: Buffer[]): Buffer => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => der(0x31, Buffer.concat(parts));

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const utcTime = (d: Date): Buffer =>
  der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`, 'ascii'));

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

export interface SelfSignedCert {
  key: string;
  cert: string;
}

export function selfSignedCert(host = '127.0.0.1'): SelfSignedCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(host)))));
  const serial = randomBytes(8);
  serial[0] = serial[0]! & 0x7f; // a positive INTEGER
  const now = Date.now();
  const ip = host.split('.').map(Number);
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    seq(oid(ECDSA_SHA256)),
    name,
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    // subjectAltName: IP address
    der(0xa3, seq(seq(oid('2.5.29.17'), der(0x04, seq(der(0x87, Buffer.from(ip))))))),
  );
  const certificate = seq(
    tbs,
    seq(oid(ECDSA_SHA256)),
    der(0x03, Buffer.concat([Buffer.from([0]), sign('sha256', tbs, privateKey)])),
  );
  const body = certificate.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${body.trimEnd()}\n-----END CERTIFICATE-----\n`,
  };
}

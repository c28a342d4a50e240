/**
 * A `--require` preload for `catalyst` processes under test: every TCP connection off loopback is
 * refused (and said on stderr as `NETGUARD …`), so a test that must reach nothing but 127.0.0.1 —
 * never Alpaca — cannot, whatever the code under test tries. Node's fetch, the Alpaca client, pg
 * and nodemailer all connect through net.Socket.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NETGUARD = 'NETGUARD';

const SOURCE = `const net = require('node:net');
const connect = net.Socket.prototype.connect;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);
net.Socket.prototype.connect = function (...args) {
  let o = args[0];
  if (Array.isArray(o)) o = o[0];
  if (typeof o !== 'object' || o === null) o = { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  const host = o.path ? 'localhost' : (o.host ?? 'localhost');
  if (!LOOPBACK.has(String(host).toLowerCase())) {
    process.stderr.write('${NETGUARD} refused a connection to ' + host + '\\n');
    throw new Error('${NETGUARD}: no connection off 127.0.0.1 in this test (' + host + ')');
  }
  return connect.apply(this, args);
};
`;

/** Writes the preload; the NODE_OPTIONS value that loads it. */
export function netGuardNodeOptions(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'catalyst-netguard-')), 'guard.cjs');
  writeFileSync(file, SOURCE);
  return `--require ${file}`;
}

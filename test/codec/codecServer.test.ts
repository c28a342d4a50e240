/**
 * The codec server over real HTTP on loopback, spoken to as the Web UI and the Temporal CLI do:
 * proto3 JSON payloads (bytes as base64), a CORS preflight from the UI's origin, X-Namespace.
 * Then `catalyst codec-server` itself in a child process: it serves, and Ctrl-C stops it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCodecKeys } from '../../src/codec/codecKeys';
import {
  payloadToJson,
  startCodecServer,
  type JsonPayload,
  type RunningCodecServer,
} from '../../src/codec/codecServer';
import { AesGcmPayloadCodec } from '../../src/codec/payloadCodec';
import {
  codecServerCommand,
  parseCorsOrigins,
  registerCodecServerCommand,
} from '../../src/client/codecServerCommand';
import { freePort } from '../support/freePort';

const PROJECT_DIR = resolve(import.meta.dirname, '../..');
const UI = 'http://127.0.0.1:8233';
const ACCOUNT = 'PA3CODEC7SERVER42';
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const unb64 = (s: string | null | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

describe('codec server', () => {
  const keys = `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`;
  const codec = new AesGcmPayloadCodec(parseCodecKeys(keys)!);
  let server: RunningCodecServer;
  const errors: string[] = [];
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
      body,
    });

  beforeAll(async () => {
    server = await startCodecServer({
      codec,
      host: '127.0.0.1',
      port: 0,
      corsOrigins: [UI],
      log: (l) => errors.push(l),
    });
  });
  afterAll(async () => server?.close());

  it('encodes then decodes proto3 JSON payloads, as the UI and CLI send them', async () => {
    const json = payloadToJson(defaultPayloadConverter.toPayload({ account: ACCOUNT, qty: 10 }));
    expect(json).toEqual({
      metadata: { encoding: b64('json/plain') },
      data: b64(`{"account":"${ACCOUNT}","qty":10}`),
    });
    const nullPayload = payloadToJson(defaultPayloadConverter.toPayload(undefined)); // no data field at all

    const enc = await post('/encode', JSON.stringify({ payloads: [json, nullPayload] }), { Origin: UI });
    expect(enc.status).toBe(200);
    expect(enc.headers.get('content-type')).toBe('application/json');
    expect(enc.headers.get('access-control-allow-origin')).toBe(UI);
    const encText = await enc.text();
    expect(encText).not.toContain(b64(ACCOUNT).slice(0, 12));
    const encoded = JSON.parse(encText) as { payloads: JsonPayload[] };
    expect(encoded.payloads).toHaveLength(2);
    for (const p of encoded.payloads) {
      expect(unb64(p.metadata?.encoding)).toBe('binary/encrypted');
      expect(unb64(p.metadata?.['encryption-key-id'])).toBe('k2');
      expect(Buffer.from(p.data!, 'base64').includes(ACCOUNT)).toBe(false);
    }

    // The CLI's --codec-endpoint may template the namespace into the path: only the last segment counts.
    const dec = await post('/default/decode/', encText);
    expect(dec.status).toBe(200);
    const decoded = (await dec.json()) as { payloads: JsonPayload[] };
    expect(decoded.payloads).toEqual([json, nullPayload]);
    expect(JSON.parse(unb64(decoded.payloads[0]!.data))).toEqual({ account: ACCOUNT, qty: 10 });
  });

  it('accepts URL-safe base64 and passes plaintext payloads through /decode', async () => {
    const encoded = await codec.encode([defaultPayloadConverter.toPayload('x'.repeat(50))]);
    const [p] = encoded.map(payloadToJson);
    const urlSafe = {
      metadata: Object.fromEntries(Object.entries(p!.metadata!).map(([k, v]) => [k, v.replace(/=+$/, '')])),
      data: p!.data!.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    };
    const plain = payloadToJson(defaultPayloadConverter.toPayload('plain'));
    const res = await post('/decode', JSON.stringify({ payloads: [urlSafe, plain] }));
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: JsonPayload[] };
    expect(unb64(payloads[0]!.data)).toBe(JSON.stringify('x'.repeat(50)));
    expect(payloads[1]).toEqual(plain);
  });

  it("answers the Web UI's CORS preflight, and refuses other origins", async () => {
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: UI,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const allowed = preflight.headers.get('access-control-allow-headers')!.toLowerCase();
    expect(allowed).toContain('content-type');
    expect(allowed).toContain('x-namespace');
    expect(allowed).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('vary')).toBe('Origin');

    const evil = 'http://evil.example';
    const refused = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: evil, 'Access-Control-Request-Method': 'POST' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const encrypted = JSON.stringify({
      payloads: (await codec.encode([defaultPayloadConverter.toPayload(ACCOUNT)])).map(payloadToJson),
    });
    const post403 = await post('/decode', encrypted, { Origin: evil });
    expect(post403.status).toBe(403);
    expect(await post403.text()).not.toContain(ACCOUNT);
  });

  it('answers 400 to bad JSON, a bad shape, bad base64 and undecodable payloads', async () => {
    const cases: [string, RegExp][] = [
      ['{"payloads": [', /not JSON/],
      ['[]', /must be \{"payloads": \[\.\.\.\]\}/],
      ['{"payloads": {}}', /must be \{"payloads"/],
      ['{"payloads": [42]}', /payloads\[0\] must be an object/],
      [
        '{"payloads": [{"metadata": {"encoding": "not base64!"}}]}',
        /payloads\[0\]\.metadata\.encoding must be a base64 string/,
      ],
      ['{"payloads": [{"metadata": {}, "data": 7}]}', /payloads\[0\]\.data must be a base64 string/],
    ];
    for (const [body, message] of cases) {
      const res = await post('/decode', body);
      expect(res.status, body).toBe(400);
      expect(await res.text(), body).toMatch(message);
    }
    const foreign = new AesGcmPayloadCodec(
      parseCodecKeys(`elsewhere:${randomBytes(32).toString('base64')}`)!,
    );
    const [p] = await foreign.encode([defaultPayloadConverter.toPayload(ACCOUNT)]);
    const res = await post('/decode', JSON.stringify({ payloads: [payloadToJson(p!)] }));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/key id "elsewhere"/);
    expect(errors.some((l) => l.includes('"elsewhere"'))).toBe(true);
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await post('/encrypt', '{"payloads":[]}')).status).toBe(404);
    const get = await fetch(`${server.url}/decode`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const empty = await post('/encode', '{"payloads":[]}');
    expect(await empty.json()).toEqual({ payloads: [] });
  });
});

describe('catalyst codec-server', () => {
  it('refuses to start without CATALYST_CODEC_KEYS (a usage error: exit 2)', async () => {
    const err = await codecServerCommand(
      { port: 8888, host: '127.0.0.1', corsOrigins: [UI] },
      {},
      async () => {
        throw new Error('should not serve');
      },
    ).catch((e: unknown) => e as Error);
    expect(err?.name).toBe('UsageError');
    expect(err?.message).toMatch(/^CATALYST_CODEC_KEYS is not set: /);
  });

  it('takes exact origins for --cors-origin', () => {
    expect(parseCorsOrigins('http://localhost:8233/')).toEqual(['http://localhost:8233']);
    expect(parseCorsOrigins('https://ui.example.com, http://127.0.0.1:8233')).toEqual([
      'https://ui.example.com',
      'http://127.0.0.1:8233',
    ]);
    expect(parseCorsOrigins('http://b:1', ['http://a:1'])).toEqual(['http://a:1', 'http://b:1']);
    for (const bad of ['*', 'null', '127.0.0.1:8233', 'http://127.0.0.1:8233/namespaces', 'ftp://x'])
      expect(() => parseCorsOrigins(bad), bad).toThrow(/--cors-origin must be the Web UI's origin/);
  });

  it('rejects a bad --port as one usage line', async () => {
    const program = new Command('catalyst').exitOverride().configureOutput({ writeErr: () => {} });
    registerCodecServerCommand(program);
    await expect(program.parseAsync(['node', 'catalyst', 'codec-server', '--port', '99999'])).rejects.toThrow(
      /--port must be a TCP port 1\.\.65535/,
    );
  });

  it('serves until Ctrl-C, then stops cleanly (exit 0)', async () => {
    const port = await freePort();
    const script = [
      "import { Command } from 'commander';",
      "import { registerCodecServerCommand } from './src/client/codecServerCommand.ts';",
      "const program = new Command('catalyst').exitOverride();",
      'registerCodecServerCommand(program);',
      `await program.parseAsync(['node', 'catalyst', 'codec-server', '--port', '${port}', '--cors-origin', 'http://localhost:8233']);`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: PROJECT_DIR,
      env: { ...process.env, CATALYST_CODEC_KEYS: `cli:${randomBytes(32).toString('base64')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!stdout.includes('Ctrl-C stops it')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`codec-server did not start:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(stdout).toContain(`codec server on http://127.0.0.1:${port} (encrypts with key id "cli"`);
      const res = await fetch(`http://127.0.0.1:${port}/encode`, {
        method: 'POST',
        headers: { Origin: 'http://localhost:8233' },
        body: JSON.stringify({ payloads: [payloadToJson(defaultPayloadConverter.toPayload(ACCOUNT))] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('codec server stopped');
      expect(stderr).toBe('');
      await expect(
        fetch(`http://127.0.0.1:${port}/decode`, { method: 'POST', body: '{}' }),
      ).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

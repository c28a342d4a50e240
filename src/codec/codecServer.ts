/**
 * A Temporal codec server (the protocol of temporalio/samples-go codec-server/protocol.md): the
 * Web UI and the Temporal CLI POST `{"payloads": [...]}` in proto3 JSON (bytes as base64) to
 * …/encode or …/decode and get the same shape back, run through the codec. Only the last path
 * segment counts, so it can sit under any prefix (the CLI's `{namespace}/decode` too). Any codec
 * error is a 400 with its message, as the protocol says.
 *
 * The browser reaches it cross-origin from the Web UI, so the UI's origin must be allowed (CORS).
 * A request from any other origin is refused: a page the operator happens to have open must not
 * use it to decrypt histories. Requests without an Origin (CLI, curl) are answered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host: string;
  /** 0: any free port (tests). */
  port: number;
  /** Exact origins (scheme://host:port) the browser may call from, e.g. the Web UI's. */
  corsOrigins: readonly string[];
  /** Largest request body accepted (default 16 MiB: a batch of Temporal's 2 MB payloads, base64). */
  maxBodyBytes?: number;
  /** Where request failures are reported (never with payload contents). */
  log?: (line: string) => void;
}

export interface RunningCodecServer {
  /** http://host:port, the endpoint to give the Web UI or `--codec-endpoint`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** One payload in proto3 JSON: every bytes field base64. */
export interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

class BadRequest extends Error {}

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';
// proto3 JSON parsers accept standard and URL-safe base64, padded or not.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytesFromJson(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value))
    throw new BadRequest(`${where} must be a base64 string`);
  return new Uint8Array(Buffer.from(value, 'base64'));
}

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function payloadFromJson(raw: unknown, index: number): Payload {
  const where = `payloads[${index}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new BadRequest(`${where} must be an object with metadata and data`);
  const { metadata, data } = raw as JsonPayload;
  if (
    metadata !== undefined &&
    metadata !== null &&
    (typeof metadata !== 'object' || Array.isArray(metadata))
  )
    throw new BadRequest(`${where}.metadata must be an object of base64 strings`);
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, bytesFromJson(v, `${where}.metadata.${k}`)]),
    ),
    data: data === undefined || data === null ? new Uint8Array() : bytesFromJson(data, `${where}.data`),
  };
}

export function payloadToJson(payload: Payload): JsonPayload {
  const json: JsonPayload = {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, base64(v ?? new Uint8Array())]),
    ),
  };
  // proto3 JSON leaves out empty bytes.
  if (payload.data && payload.data.length > 0) json.data = base64(payload.data);
  return json;
}

function parseBody(body: string): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
  const payloads = (parsed as { payloads?: unknown } | null)?.payloads;
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(payloads))
    throw new BadRequest('the body must be {"payloads": [...]}');
  return payloads.map(payloadFromJson);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startCodecServer(opts: CodecServerOptions): Promise<RunningCodecServer> {
  const allowed = new Set(opts.corsOrigins);
  const limit = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const log = opts.log ?? (() => {});

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'Content-Type': type }).end(body);
    };
    if (origin !== undefined) {
      if (!allowed.has(origin)) {
        reply(403, `origin ${origin} is not allowed (catalyst codec-server --cors-origin)\n`);
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      // The UI's "include cross-origin credentials" setting sends cookies / the access token.
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    const path = new URL(req.url ?? '/', 'http://codec').pathname.replace(/\/+$/, '');
    const route = path.slice(path.lastIndexOf('/') + 1);
    if (route !== 'encode' && route !== 'decode') {
      reply(404, 'not found: POST /encode or /decode\n');
      return;
    }
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          'Access-Control-Allow-Methods': 'POST, OPTIONS',
          'Access-Control-Allow-Headers': ALLOWED_HEADERS,
          'Access-Control-Max-Age': '600',
        })
        .end();
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      reply(405, `${req.method} is not allowed: POST /${route}\n`);
      return;
    }
    const body = await readBody(req, limit);
    if (body === null) {
      reply(413, `the body is larger than ${limit} bytes\n`);
      return;
    }
    try {
      const payloads = parseBody(body);
      const out = route === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
      reply(200, JSON.stringify({ payloads: out.map(payloadToJson) }), 'application/json');
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (!(err instanceof BadRequest)) log(`codec-server: /${route} failed: ${message}`);
      reply(400, `${message}\n`);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`codec-server: ${(err as Error)?.message ?? String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The UI keeps connections alive: without this, close would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

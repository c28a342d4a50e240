import { createServer as createHttpServer, type Server } from 'node:http';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrokerProxy, type ProxiedExchange } from './brokerProxy';
import { startTcpProxy } from './tcpProxy';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function listen(server: Server | ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

describe('the broker proxy', () => {
  it('forwards requests and answers as they are, and drops the answer it is told to, after the broker acted', async () => {
    const seen: string[] = [];
    const upstream = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(req.url === '/v2/missing' ? 404 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `order-${seen.length}`, echo: body ? JSON.parse(body) : null }));
      });
    });
    const port = await listen(upstream);
    const killed: [ProxiedExchange, string][] = [];
    const outcomes: string[] = [];
    const proxy = await startBrokerProxy({
      upstream: `http://127.0.0.1:${port}`,
      tag: () => 'worker-1',
      decide: (x) =>
        x.method === 'POST' && x.requestJson?.client_order_id === 'kill-me' ? 'placement' : null,
      onKill: (x, label) => killed.push([x, label]),
      onExchange: (x, outcome) => outcomes.push(`${x.method} ${x.path} ${x.status} ${outcome}`),
    });
    closers.push(() => proxy.close());

    const ok = await fetch(`${proxy.url}/v2/orders?status=all`, {
      method: 'POST',
      body: JSON.stringify({ client_order_id: 'keep' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'order-1', echo: { client_order_id: 'keep' } });
    expect((await fetch(`${proxy.url}/v2/missing`)).status).toBe(404);

    await expect(
      fetch(`${proxy.url}/v2/orders`, {
        method: 'POST',
        body: JSON.stringify({ client_order_id: 'kill-me' }),
      }),
    ).rejects.toThrow();
    // The broker did it; the client never heard.
    expect(seen.at(-1)).toBe('POST /v2/orders {"client_order_id":"kill-me"}');
    expect(killed).toHaveLength(1);
    expect(killed[0]![1]).toBe('placement');
    expect(killed[0]![0]).toMatchObject({
      method: 'POST',
      path: '/v2/orders',
      status: 200,
      tag: 'worker-1',
      responseJson: { id: 'order-3' },
    });
    expect(outcomes).toEqual([
      'POST /v2/orders 200 answered',
      'GET /v2/missing 404 answered',
      'POST /v2/orders 200 killed',
    ]);
  });

  it('resets the client when the broker resets the connection', async () => {
    const upstream = createHttpServer((req) => req.socket.destroy());
    const port = await listen(upstream);
    const outcomes: string[] = [];
    const proxy = await startBrokerProxy({
      upstream: `http://127.0.0.1:${port}`,
      onExchange: (x, outcome) => outcomes.push(`${x.path} ${outcome}`),
    });
    closers.push(() => proxy.close());
    await expect(fetch(`${proxy.url}/v2/clock`)).rejects.toThrow();
    expect(outcomes).toEqual(['/v2/clock lost']);
  });
});

describe('the database proxy', () => {
  const roundTrip = (port: number): Promise<string> =>
    new Promise((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port });
      let got = '';
      s.on('data', (d) => {
        got += d.toString();
        s.end();
      });
      s.on('error', () => resolve('error'));
      s.on('close', () => resolve(got || 'closed'));
      s.write('ping');
    });

  it('passes bytes both ways, resets open connections and refuses new ones for the cut, then passes again', async () => {
    const open = new Set<import('node:net').Socket>();
    const echo = createServer((s) => {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('data', (d) => s.write(`echo:${d.toString()}`));
    });
    closers.push(async () => open.forEach((s) => s.destroy()));
    const port = await listen(echo);
    const proxy = await startTcpProxy({ host: '127.0.0.1', port });
    closers.push(() => proxy.close());

    expect(await roundTrip(proxy.port)).toBe('echo:ping');
    const held = createConnection({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => held.once('connect', r));
    await new Promise((r) => setTimeout(r, 20));
    const heldClosed = new Promise((r) => held.once('close', r));
    held.on('error', () => undefined);

    const cut = proxy.cut(300);
    expect(proxy.isCut()).toBe(true);
    await heldClosed;
    expect(await roundTrip(proxy.port)).toBe('error');
    await cut;
    expect(proxy.isCut()).toBe(false);
    expect(await roundTrip(proxy.port)).toBe('echo:ping');
    expect(proxy.stats()).toMatchObject({ refused: 1, reset: 1 });
  });
});

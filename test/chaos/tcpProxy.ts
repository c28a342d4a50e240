/**
 * A TCP proxy the chaos harness owns between the worker and PostgreSQL. `cut(ms)` is the outage:
 * every open connection is reset at once, and every new one is reset as soon as it is accepted,
 * until the period ends; then connections pass again. The database itself never stops, so the
 * harness's own reads (direct, not through here) and other users of the server are untouched.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted and passed through, refused during a cut, and reset when a cut began. */
  stats(): { passed: number; refused: number; reset: number };
  /** Refuses and drops connections for `ms` of wall time; resolves when they pass again. */
  cut(ms: number): Promise<void>;
  isCut(): boolean;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let cutUntil = 0;
  const stats = { passed: 0, refused: 0, reset: 0 };
  const isCut = (): boolean => Date.now() < cutUntil;

  const server: Server = createServer((client) => {
    if (isCut()) {
      stats.refused += 1;
      client.resetAndDestroy();
      return;
    }
    stats.passed += 1;
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    stats: () => ({ ...stats }),
    isCut,
    async cut(ms) {
      cutUntil = Date.now() + ms;
      for (const pair of [...pairs]) {
        stats.reset += 1;
        pairs.delete(pair);
        if (!pair[0].destroyed) pair[0].resetAndDestroy();
        pair[1].destroy();
      }
      // A timer may fire a millisecond before Date.now() says it is due: end only once it is.
      while (isCut()) await new Promise((r) => setTimeout(r, cutUntil - Date.now() + 1));
    },
    async close() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

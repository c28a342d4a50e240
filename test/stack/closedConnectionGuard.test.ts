import { createServer } from 'node:net';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { closedConnectionGuard } from '../../src/stack/closedConnectionGuard';
import { temporalInterceptors } from '../../src/stack/temporalConnection';

/** A port on 127.0.0.1 with nothing listening: every call there fails UNAVAILABLE, which the client retries. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const uncaughtDuring = async (work: () => Promise<void>): Promise<Error[]> => {
  const caught: Error[] = [];
  const onError = (err: Error): void => void caught.push(err);
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', onError);
  try {
    await work();
  } finally {
    process.off('uncaughtException', onError);
    for (const l of listeners) process.on('uncaughtException', l);
  }
  return caught;
};

describe('closing the Temporal connection while a call waits to be retried', () => {
  // The first attempt fails at once; the retry waits ~170 ms; the connection closes in between.
  const closeDuringBackoff = async (connection: Connection): Promise<unknown> => {
    const call = connection.workflowService.getSystemInfo({}).then(
      () => null,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 60));
    await connection.close();
    const outcome = await call;
    await new Promise((r) => setTimeout(r, 400)); // past every retry the client would have made
    return outcome;
  };

  it('without the guard, the retry throws from a timer, where nobody can catch it', async () => {
    const connection = Connection.lazy({
      address: `127.0.0.1:${await deadPort()}`,
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
    });
    const uncaught = await uncaughtDuring(async () => {
      await Promise.race([closeDuringBackoff(connection), new Promise((r) => setTimeout(r, 1_500))]);
    });
    expect(uncaught.map((e) => e.message)).toContain('Channel has been shut down');
  });

  it('with it, the call ends CANCELLED for its caller and nothing is thrown', async () => {
    const connection = Connection.lazy({
      address: `127.0.0.1:${await deadPort()}`,
      interceptors: temporalInterceptors(),
    });
    let outcome: unknown;
    const uncaught = await uncaughtDuring(async () => {
      outcome = await closeDuringBackoff(connection);
    });
    expect(uncaught).toEqual([]);
    expect((outcome as { code?: number }).code).toBe(1); // grpc CANCELLED
  });

  it('lets every other error through unchanged', () => {
    const boom = new Error('bad method');
    expect(() =>
      closedConnectionGuard({} as never, () => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});

import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
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
  /** Innermost: sees each attempt's status, so the close can wait for the first failure. */
  const attemptsSeen = () => {
    const statuses: number[] = [];
    const spy: grpc.Interceptor = (options, nextCall) =>
      new grpc.InterceptingCall(
        nextCall(options),
        new grpc.RequesterBuilder()
          .withStart((metadata, _listener, next) =>
            next(
              metadata,
              new grpc.ListenerBuilder()
                .withOnReceiveStatus((status, pass) => {
                  statuses.push(status.code);
                  pass(status);
                })
                .build(),
            ),
          )
          .build(),
      );
    return { spy, statuses };
  };

  // The first attempt fails UNAVAILABLE at once; the retry waits ~170 ms; the close comes in between.
  const closeDuringBackoff = async (connection: Connection, statuses: number[]): Promise<unknown> => {
    const call = connection.workflowService.getSystemInfo({}).then(
      () => null,
      (err: unknown) => err,
    );
    for (let waited = 0; statuses.length === 0 && waited < 10_000; waited += 5)
      await new Promise((r) => setTimeout(r, 5));
    expect(statuses).toEqual([grpc.status.UNAVAILABLE]);
    await connection.close();
    const outcome = await call;
    await new Promise((r) => setTimeout(r, 1_500)); // past every retry the client would have made
    return outcome;
  };

  it('without the guard, the retry throws from a timer, where nobody can catch it', async () => {
    const { spy, statuses } = attemptsSeen();
    const connection = Connection.lazy({
      address: `127.0.0.1:${await deadPort()}`,
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), spy],
    });
    const uncaught = await uncaughtDuring(async () => {
      await Promise.race([
        closeDuringBackoff(connection, statuses),
        new Promise((r) => setTimeout(r, 3_000)),
      ]);
    });
    expect(uncaught.map((e) => e.message)).toContain('Channel has been shut down');
  });

  it('with it, the call ends CANCELLED for its caller and nothing is thrown', async () => {
    const { spy, statuses } = attemptsSeen();
    const connection = Connection.lazy({
      address: `127.0.0.1:${await deadPort()}`,
      interceptors: [...temporalInterceptors(), spy],
    });
    let outcome: unknown;
    const uncaught = await uncaughtDuring(async () => {
      outcome = await closeDuringBackoff(connection, statuses);
    });
    expect(uncaught).toEqual([]);
    expect((outcome as { code?: number }).code).toBe(grpc.status.CANCELLED);
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

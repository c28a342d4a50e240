import * as grpc from '@grpc/grpc-js';

/**
 * The Temporal client retries a failed call from a timer. If the connection was closed meanwhile,
 * that retry throws "Channel has been shut down" from the timer, where no caller can catch it, and
 * the process dies after having stopped cleanly. Placed after the retry interceptor, this ends such
 * a retry as CANCELLED (not retried), so the call rejects for whoever awaits it.
 */
export const closedConnectionGuard: grpc.Interceptor = (options, nextCall) => {
  try {
    return new grpc.InterceptingCall(nextCall(options));
  } catch (err) {
    if (!/has been shut down|closed/i.test((err as Error).message)) throw err;
    return new grpc.InterceptingCall(cancelledCall((err as Error).message));
  }
};

type CallBelow = ConstructorParameters<typeof grpc.InterceptingCall>[0];

function cancelledCall(details: string): CallBelow {
  let listener: Parameters<CallBelow['start']>[1] | null = null;
  const end = (): void => {
    const l = listener;
    listener = null;
    l?.onReceiveStatus?.({ code: grpc.status.CANCELLED, details, metadata: new grpc.Metadata() });
  };
  return {
    start(_metadata, l): void {
      listener = l ?? null;
      setImmediate(end);
    },
    cancelWithStatus: (): void => end(),
    getPeer: (): string => '',
    sendMessageWithContext: (): void => undefined,
    sendMessage: (): void => undefined,
    startRead: (): void => undefined,
    halfClose: (): void => undefined,
    getAuthContext: (): null => null,
  };
}

/**
 * The chaos run's simulator, in a process of its own: `startSimulator` exactly as `catalyst sim`
 * runs it, plus an IPC channel through which the harness (and only the harness) reads the market
 * clock, prepares the session, moves the clock to just before the open, and switches faults on
 * and off. Started by childSimulator.ts with one JSON argument (SimulatorOptions); it ends when
 * the channel closes, so a harness that dies takes it along.
 *
 *   node --import tsx test/chaos/simProcess.ts '{"seed":13,"speed":60,...}'
 */
import { startSimulator, type SimulatorOptions } from '../../src/sim/startSimulator';

export type SimRequest =
  | { id: number; op: 'now' }
  | { id: number; op: 'sessionDate' }
  | { id: number; op: 'prepare' }
  | { id: number; op: 'advanceTo'; ms: number }
  | { id: number; op: 'setFaults'; spec: string | null }
  | { id: number; op: 'faultCounts' }
  | { id: number; op: 'close' };

export type SimReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface SimReady {
  ready: true;
  url: string;
  port: number;
}

const send = (message: SimReply | SimReady): void => {
  process.send?.(message);
};

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sim = await startSimulator(options);
let closing = false;
const close = async (): Promise<void> => {
  if (closing) return;
  closing = true;
  await sim.close().catch(() => undefined);
  process.disconnect?.();
  process.exit(0);
};

process.on('message', (raw: SimRequest) => {
  const answer = (value: unknown): void => send({ id: raw.id, ok: true, value: value ?? null });
  try {
    switch (raw.op) {
      case 'now':
        return answer(sim.nowMs());
      case 'sessionDate':
        return answer(sim.sessionDate());
      case 'prepare':
        return answer(sim.prepareSession());
      case 'advanceTo':
        return answer(sim.advanceTo(raw.ms));
      case 'setFaults':
        return answer(sim.setFaults(raw.spec));
      case 'faultCounts':
        return answer(sim.faultCounts());
      case 'close':
        answer(null);
        void close();
        return;
    }
  } catch (err) {
    send({ id: raw.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
process.on('disconnect', () => void close());
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());
send({ ready: true, url: sim.url, port: sim.port });

import { startSimulator } from '../sim/startSimulator';

export async function simCommand(opts: {
  port: number;
  seed: number;
  speed: number;
  date?: string;
}): Promise<void> {
  const sim = await startSimulator({
    port: opts.port,
    seed: opts.seed,
    speed: opts.speed,
    date: opts.date,
  });
  process.stdout.write(
    [
      `Alpaca-compatible simulator on ${sim.url} (seed ${opts.seed}, speed ×${opts.speed}, session ${sim.sessionDate()})`,
      `test keys (not secrets): APCA-API-KEY-ID=${sim.keyId} APCA-API-SECRET-KEY=${sim.secretKey}`,
      'Ctrl-C to stop',
    ].join('\n') + '\n',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
}

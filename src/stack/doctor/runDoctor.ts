/**
 * `catalyst doctor`: every check at once, each bounded in time, in a fixed order of lines. It
 * replaces the guide's §7.4 health-check loop and §10.2 monitor script (one `curl /health` per
 * service, exit 1 when any is down): the services became Temporal, the workers, the database,
 * the broker and SMTP, and each line says what to do when it is not ok.
 */
import { join } from 'node:path';
import type { EnvSource } from '../../settings/env';
import type { VenueTarget } from './brokerCheck';
import { fail, formatMs, oneLine, type CheckResult } from './checkResult';
import { checkConfigFiles } from './configCheck';
import { checkDiskSpace, type DiskThresholds } from './diskSpaceCheck';
import { checkEnvironment } from './environmentCheck';
import { checkLiveOptIns } from './liveOptInsCheck';

/** Each network step (connect, one request) answers within this or counts as unreachable. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

export interface DoctorOptions {
  /** The variables as `catalyst up` would read them (.env already merged). */
  env: EnvSource;
  projectDir: string;
  /** $CATALYST_HOME (default <project>/.catalyst). */
  home: string;
  configDir: string;
  timeoutMs?: number;
  disk?: DiskThresholds;
}

export interface DoctorReport {
  /** No check failed (warnings allowed). */
  ok: boolean;
  counts: Record<CheckResult['status'], number>;
  checks: CheckResult[];
}

/** Which variables each group reads: one of them invalid, and the group says so instead of running. */
const USES = {
  temporal: (v: string) => v.startsWith('TEMPORAL_'),
  database: (v: string) => v === 'DATABASE_URL',
  broker: (v: string) => v.startsWith('ALPACA_') || v === 'TRADING_MODE' || v === 'ENABLE_LIVE_TRADING',
  smtp: (v: string) => v.startsWith('SMTP_') || v.startsWith('ALERT_EMAIL_') || v === 'ENABLE_EMAIL_ALERTS',
};

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const environment = checkEnvironment(opts.env);
  const env = environment.env;
  const blocked = (group: keyof typeof USES, name: string): CheckResult | null => {
    const bad = [...environment.invalid].filter(USES[group]).sort();
    return bad.length
      ? fail(
          name,
          `not checked: ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} invalid (see environment)`,
          `correct ${bad.join(', ')}`,
        )
      : null;
  };

  // The Temporal checks look for the worker and schedule of the broker's venue, known once the account answers.
  let announceVenue!: (v: VenueTarget | null) => void;
  const venue = new Promise<VenueTarget | null>((resolve) => (announceVenue = resolve));

  const brokerBlocked = blocked('broker', 'broker');
  const broker = brokerBlocked
    ? Promise.resolve([brokerBlocked])
    : guarded(['broker'], 3 * timeoutMs, async () =>
        (await import('./brokerCheck')).checkBroker(env, { timeoutMs, onVenue: announceVenue }),
      );
  void broker.finally(() => announceVenue(null));

  const groups: Promise<CheckResult[]>[] = [
    Promise.resolve([environment.result]),
    Promise.resolve(safely('config', () => checkConfigFiles(opts.configDir))),
    single(blocked('broker', 'live opt-ins')) ??
      Promise.resolve(safely('live opt-ins', () => [checkLiveOptIns(env)])),
    single(blocked('temporal', 'temporal')) ??
      guarded(['temporal'], 3 * timeoutMs, async () =>
        (await import('./temporalCheck')).checkTemporal(env, {
          timeoutMs,
          projectDir: opts.projectDir,
          venue,
        }),
      ),
    single(blocked('database', 'database')) ??
      guarded(['database'], 3 * timeoutMs, async () =>
        (await import('./databaseCheck')).checkDatabase({
          url: env.DATABASE_URL,
          home: opts.home,
          timeoutMs,
        }),
      ),
    broker,
    single(blocked('smtp', 'smtp')) ??
      guarded(['smtp'], 2 * timeoutMs, async () => [
        await (
          await import('./smtpCheck')
        ).checkSmtp(env, { timeoutMs, outboxDir: join(opts.home, 'outbox') }),
      ]),
    Promise.resolve(safely('disk space', () => [checkDiskSpace(opts.home, opts.disk)])),
  ];
  const checks = (await Promise.all(groups)).flat();
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  return { ok: counts.fail === 0, counts, checks };
}

const single = (r: CheckResult | null): Promise<CheckResult[]> | null => (r ? Promise.resolve([r]) : null);

/** A check that throws is a failed line naming the error, never a crashed doctor. */
function safely(name: string, run: () => CheckResult[]): CheckResult[] {
  try {
    return run();
  } catch (err) {
    return [fail(name, `the check itself failed: ${oneLine(err)}`)];
  }
}

/**
 * A backstop over a group's own timeouts: should a library ignore its deadline, the group is one
 * failed line after `ms` and doctor goes on (the command exits even with a socket left open).
 */
async function guarded(
  names: string[],
  ms: number,
  run: () => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult[]>((resolve) => {
    timer = setTimeout(() => resolve(names.map((n) => fail(n, `no answer within ${formatMs(ms)}`))), ms);
  });
  try {
    return await Promise.race([
      run().catch((err: unknown) => names.map((n) => fail(n, `the check itself failed: ${oneLine(err)}`))),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * PRODUCT.md §5: live trading needs all four opt-ins — TRADING_MODE=live, ENABLE_LIVE_TRADING=true,
 * live Alpaca keys and the explicit `--live` flag. Anything less trades paper or the simulator, and
 * says which opt-in is missing. Here, one table: all four → live; each one missing in turn (in every
 * way it can be missing) → not live, the message naming exactly that one. Then, over every subset of
 * the opt-ins and every ALPACA_BASE_URL, the real Alpaca adapter built for the decision is watched
 * (fetch stubbed, nothing leaves the process): it reaches Alpaca's live host only with all four.
 * Last, `catalyst up` itself, as a person runs it, on 127.0.0.1 only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ALPACA_LIVE_TRADING_URL,
  ALPACA_PAPER_TRADING_URL,
  resolveTradingVenue,
  type VenueDecision,
} from '../../src/settings/liveTradingGate';
import { parseEnv, SettingsError } from '../../src/settings/loadSettings';
import { createVenueBroker } from '../../src/stack/workerDeps';
import { NETGUARD, netGuardNodeOptions } from '../security/netGuard';
import { freePort } from '../support/freePort';
import { runCatalyst } from '../support/runCatalyst';

const LIVE_HOST = 'api.alpaca.markets';
const LIVE_KEY_ID = 'AKLIVEOPTIN0001';
const PAPER_KEY_ID = 'PKPAPEROPTIN001';
const SECRET = 'live-opt-in-secret-0123456789';

/** The four opt-ins by the name the gate gives a missing one. */
const OPT_INS = ['TRADING_MODE=live', 'ENABLE_LIVE_TRADING=true', 'live keys', 'the --live flag'] as const;
type OptIn = (typeof OPT_INS)[number];

/** What may appear in a message for each opt-in: a message naming one must not hold another's words. */
const WORDS: Record<OptIn, RegExp> = {
  'TRADING_MODE=live': /TRADING_MODE/,
  'ENABLE_LIVE_TRADING=true': /ENABLE_LIVE_TRADING/,
  'live keys': /keys|ALPACA_API_KEY|ALPACA_SECRET_KEY/,
  'the --live flag': /--live/,
};

const ALL: Record<string, string> = {
  TRADING_MODE: 'live',
  ENABLE_LIVE_TRADING: 'true',
  ALPACA_API_KEY: LIVE_KEY_ID,
  ALPACA_SECRET_KEY: SECRET,
};

interface Row {
  name: string;
  missing: OptIn;
  env: Record<string, string>;
  flag: boolean;
  /** refused: the environment itself is refused at start-up (nothing runs). */
  venue: 'paper' | 'simulator' | 'refused';
  /** Exactly what `missing` lists; for a refusal, the one message. */
  lists: string[];
}

const without = (key: string): Record<string, string> => {
  const { [key]: _dropped, ...rest } = ALL;
  return rest;
};

const ROWS: Row[] = [
  {
    name: 'TRADING_MODE=paper',
    missing: 'TRADING_MODE=live',
    env: { ...ALL, TRADING_MODE: 'paper' },
    flag: true,
    venue: 'paper',
    lists: ['TRADING_MODE=live'],
  },
  {
    name: 'TRADING_MODE unset',
    missing: 'TRADING_MODE=live',
    env: without('TRADING_MODE'),
    flag: true,
    venue: 'paper',
    lists: ['TRADING_MODE=live'],
  },
  {
    name: 'ENABLE_LIVE_TRADING=false',
    missing: 'ENABLE_LIVE_TRADING=true',
    env: { ...ALL, ENABLE_LIVE_TRADING: 'false' },
    flag: true,
    venue: 'paper',
    lists: ['ENABLE_LIVE_TRADING=true'],
  },
  {
    name: 'ENABLE_LIVE_TRADING unset',
    missing: 'ENABLE_LIVE_TRADING=true',
    env: without('ENABLE_LIVE_TRADING'),
    flag: true,
    venue: 'paper',
    lists: ['ENABLE_LIVE_TRADING=true'],
  },
  {
    name: 'a paper key (PK…)',
    missing: 'live keys',
    env: { ...ALL, ALPACA_API_KEY: PAPER_KEY_ID },
    flag: true,
    venue: 'paper',
    lists: ['live Alpaca keys'],
  },
  {
    name: 'a paper key in lower case (pk…)',
    missing: 'live keys',
    env: { ...ALL, ALPACA_API_KEY: PAPER_KEY_ID.toLowerCase() },
    flag: true,
    venue: 'paper',
    lists: ['live Alpaca keys'],
  },
  {
    name: 'no keys',
    missing: 'live keys',
    env: { TRADING_MODE: 'live', ENABLE_LIVE_TRADING: 'true' },
    flag: true,
    venue: 'simulator',
    lists: ['ALPACA_API_KEY/ALPACA_SECRET_KEY'],
  },
  {
    name: 'a key id without its secret',
    missing: 'live keys',
    env: without('ALPACA_SECRET_KEY'),
    flag: true,
    venue: 'refused',
    lists: [
      'environment variable ALPACA_SECRET_KEY must be set because ALPACA_API_KEY is (set both or neither)',
    ],
  },
  {
    name: 'a secret without its key id',
    missing: 'live keys',
    env: without('ALPACA_API_KEY'),
    flag: true,
    venue: 'refused',
    lists: [
      'environment variable ALPACA_API_KEY must be set because ALPACA_SECRET_KEY is (set both or neither)',
    ],
  },
  {
    name: 'blank keys',
    missing: 'live keys',
    env: { ...ALL, ALPACA_API_KEY: ' ', ALPACA_SECRET_KEY: '' },
    flag: true,
    venue: 'simulator',
    lists: ['ALPACA_API_KEY/ALPACA_SECRET_KEY'],
  },
  {
    name: 'no --live',
    missing: 'the --live flag',
    env: ALL,
    flag: false,
    venue: 'paper',
    lists: ['the --live flag'],
  },
];

/** The part of a reason that names what is missing: after "missing: " when it says so, else all of it. */
function namingPart(reason: string): string {
  const at = reason.lastIndexOf('missing: ');
  return at < 0 ? reason : reason.slice(at);
}

function expectNoSecret(d: VenueDecision): void {
  const printed = JSON.stringify(d);
  for (const s of [SECRET, LIVE_KEY_ID, PAPER_KEY_ID]) expect(printed).not.toContain(s);
}

describe('the live opt-ins of PRODUCT.md §5, one at a time', () => {
  it('all four given: live, on Alpaca’s live host, nothing missing', () => {
    const d = resolveTradingVenue({ env: parseEnv(ALL), liveFlag: true });
    expect(d).toMatchObject({
      venue: 'live',
      missing: [],
      liveRequested: true,
      tradingBaseUrl: ALPACA_LIVE_TRADING_URL,
      customEndpoint: false,
    });
    expect(d.reason).toMatch(/^LIVE trading with real money/);
    // The same with the live host spelled out in ALPACA_BASE_URL.
    expect(
      resolveTradingVenue({
        env: parseEnv({ ...ALL, ALPACA_BASE_URL: `${ALPACA_LIVE_TRADING_URL}/v2` }),
        liveFlag: true,
      }),
    ).toMatchObject({ venue: 'live', missing: [], tradingBaseUrl: ALPACA_LIVE_TRADING_URL });
    expectNoSecret(d);
  });

  it.each(ROWS)('$name: not live, and the message names $missing and nothing else', (row) => {
    if (row.venue === 'refused') {
      // Half a key pair does not even start: the one message names the half that is missing.
      let err: unknown;
      try {
        parseEnv(row.env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SettingsError);
      expect((err as SettingsError).issues).toEqual(row.lists);
      for (const other of OPT_INS.filter((o) => o !== row.missing))
        expect((err as SettingsError).message).not.toMatch(WORDS[other]);
      expect((err as SettingsError).message).not.toContain(SECRET);
      return;
    }
    const d = resolveTradingVenue({ env: parseEnv(row.env), liveFlag: row.flag });
    expect(d.venue).toBe(row.venue);
    expect(d.liveRequested).toBe(true);
    expect(d.missing).toEqual(row.lists);
    // Never the live host; the simulator has no URL at all.
    expect(d.tradingBaseUrl).toBe(row.venue === 'simulator' ? null : ALPACA_PAPER_TRADING_URL);
    const named = namingPart(d.reason);
    expect(named).toMatch(WORDS[row.missing]);
    for (const other of OPT_INS.filter((o) => o !== row.missing))
      expect({ other, named }).toEqual({ other, named: expect.not.stringMatching(WORDS[other]) });
    expectNoSecret(d);
  });

  it.each(ROWS.filter((r) => r.venue === 'paper'))(
    '$name, with ALPACA_BASE_URL at the live host: refused, naming $missing and nothing else',
    (row) => {
      let err: unknown;
      try {
        resolveTradingVenue({
          env: parseEnv({ ...row.env, ALPACA_BASE_URL: ALPACA_LIVE_TRADING_URL }),
          liveFlag: row.flag,
        });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SettingsError);
      const message = (err as SettingsError).message;
      // "missing: X. To trade paper, …": the list ends at the first ". ".
      const named = namingPart(message).split('. ')[0]!;
      expect(named).toMatch(WORDS[row.missing]);
      for (const other of OPT_INS.filter((o) => o !== row.missing))
        expect({ other, named }).toEqual({ other, named: expect.not.stringMatching(WORDS[other]) });
      expect(message).not.toContain(SECRET);
    },
  );
});

describe('never a live URL without all four opt-ins', () => {
  const requested: string[] = [];
  afterEach(() => {
    vi.unstubAllGlobals();
    requested.length = 0;
  });

  const subsets = (): { given: Set<OptIn>; label: string }[] =>
    Array.from({ length: 1 << OPT_INS.length }, (_, bits) => {
      const given = new Set(OPT_INS.filter((_o, i) => bits & (1 << i)));
      return { given, label: [...given].join(' + ') || 'none' };
    });

  /** Each ALPACA_BASE_URL, and whether it names Alpaca's live host (unset: the gate picks the host). */
  const BASE_URLS: { base: string | undefined; liveHost: boolean }[] = [
    { base: undefined, liveHost: true },
    { base: 'https://api.alpaca.markets', liveHost: true },
    { base: 'https://API.Alpaca.Markets./v2/', liveHost: true },
    { base: 'https://paper-api.alpaca.markets', liveHost: false },
    { base: 'http://127.0.0.1:9', liveHost: false },
  ];

  it.each(subsets())('given: $label', async ({ given }) => {
    const everything = given.size === OPT_INS.length;
    for (const { base, liveHost } of BASE_URLS) {
      for (const keyWhenMissing of ['paper', 'none'] as const) {
        const env = parseEnv({
          TRADING_MODE: given.has('TRADING_MODE=live') ? 'live' : 'paper',
          ENABLE_LIVE_TRADING: String(given.has('ENABLE_LIVE_TRADING=true')),
          ...(given.has('live keys')
            ? { ALPACA_API_KEY: LIVE_KEY_ID, ALPACA_SECRET_KEY: SECRET }
            : keyWhenMissing === 'paper'
              ? { ALPACA_API_KEY: PAPER_KEY_ID, ALPACA_SECRET_KEY: SECRET }
              : {}),
          ...(base === undefined ? {} : { ALPACA_BASE_URL: base }),
        });
        const where = `ALPACA_BASE_URL=${base} keys-when-missing=${keyWhenMissing}`;
        let d: VenueDecision;
        try {
          d = resolveTradingVenue({ env, liveFlag: given.has('the --live flag') });
        } catch (err) {
          // Refusing to start is always allowed short of live; with all four it is a bug.
          expect(err, where).toBeInstanceOf(SettingsError);
          expect(everything, `${where}: refused with every opt-in given`).toBe(false);
          continue;
        }
        const live = everything && liveHost;
        expect(d.venue === 'live', where).toBe(live);
        if (d.venue === 'simulator') {
          expect(d.tradingBaseUrl, where).toBeNull();
          continue;
        }
        // The real adapter, built as the worker builds it: where does its first request go?
        vi.stubGlobal('fetch', async (url: string | URL) => {
          requested.push(String(url));
          return new Response('{"message":"stubbed"}', { status: 403 });
        });
        const broker = createVenueBroker({ gate: d, speed: 1 }, env);
        await broker.getAccount().catch(() => undefined);
        vi.unstubAllGlobals();
        expect(requested.length, where).toBeGreaterThan(0);
        for (const url of requested)
          expect({ where, url, liveHost: new URL(url).hostname.replace(/\.$/, '') === LIVE_HOST }).toEqual({
            where,
            url,
            liveHost: live,
          });
        requested.length = 0;
      }
    }
  });
});

describe('`catalyst up` with one opt-in missing', () => {
  let nodeOptions: string;
  let deadPort: number;
  beforeAll(async () => {
    deadPort = await freePort();
    // Belt and braces: any TCP connection off 127.0.0.1 is refused inside the CLI and reported.
    nodeOptions = netGuardNodeOptions();
  });

  /** Every relevant variable explicitly set (a stray .env fills only what is unset), Temporal at a dead port. */
  const env = (over: Record<string, string>): NodeJS.ProcessEnv => ({
    CATALYST_HOME: mkdtempSync(join(tmpdir(), 'catalyst-optin-')),
    NODE_OPTIONS: nodeOptions,
    TEMPORAL_ADDRESS: `127.0.0.1:${deadPort}`,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/catalyst`,
    ALPACA_DATA_URL: `http://127.0.0.1:${deadPort}`,
    ALPACA_BASE_URL: '',
    METRICS_PORT: '',
    ...ALL,
    ...over,
  });

  it('up --live without ENABLE_LIVE_TRADING: says paper, names exactly ENABLE_LIVE_TRADING=true, never starts live', async () => {
    // Paper would be Alpaca's paper host; the dead Temporal address ends the run before any broker request.
    const run = await runCatalyst(['up', '--live', '--once'], env({ ENABLE_LIVE_TRADING: 'false' }), 60_000);
    const printed = run.stdout + run.stderr;
    expect(run.code).toBe(1);
    const venue = run.stderr.split('\n').find((l) => l.startsWith('venue: '));
    expect(venue).toBe(
      'venue: paper (Alpaca paper trading: live trading needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and the --live flag; missing: ENABLE_LIVE_TRADING=true)',
    );
    expect(run.stderr).toContain(`catalyst: cannot reach Temporal at 127.0.0.1:${deadPort}`);
    expect(printed).not.toMatch(/LIVE trading|venue: live/);
    expect(printed).not.toContain(LIVE_HOST + '/');
    expect(printed).not.toContain(NETGUARD);
    expect(printed).not.toContain(SECRET);
  });

  it('up (no --live) with ALPACA_BASE_URL at the live host: refused at once, naming exactly the --live flag', async () => {
    const run = await runCatalyst(
      ['up', '--once'],
      env({ ALPACA_BASE_URL: ALPACA_LIVE_TRADING_URL }),
      60_000,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      "catalyst: environment variable ALPACA_BASE_URL is Alpaca's live host (https://api.alpaca.markets), which trades real money: it needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and the --live flag; missing: the --live flag. To trade paper, unset ALPACA_BASE_URL or set it to https://paper-api.alpaca.markets",
    );
  });
});

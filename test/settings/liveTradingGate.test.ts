import { describe, expect, it } from 'vitest';
import { resolveTradingVenue, type VenueDecision } from '../../src/settings/liveTradingGate';
import { parseEnv, SettingsError } from '../../src/settings/loadSettings';

const SECRET = 'sEcReT-value-0123456789';
const LIVE_KEY = { ALPACA_API_KEY: 'AKLIVE123456', ALPACA_SECRET_KEY: SECRET };
const PAPER_KEY = { ALPACA_API_KEY: 'PKPAPER12345', ALPACA_SECRET_KEY: SECRET };

const PAPER_URL = 'https://paper-api.alpaca.markets';
const LIVE_URL = 'https://api.alpaca.markets';
const DATA_URL = 'https://data.alpaca.markets';
const SIM_URL = 'http://127.0.0.1:8299';

type Keys = 'none' | 'paper' | 'live';
interface Row {
  keys: Keys;
  mode: 'paper' | 'live';
  enable: boolean;
  flag: boolean;
}
/** keys × TRADING_MODE × ENABLE_LIVE_TRADING × --live. */
function rows(keyChoices: readonly Keys[]): Row[] {
  const out: Row[] = [];
  for (const keys of keyChoices)
    for (const mode of ['paper', 'live'] as const)
      for (const enable of [false, true])
        for (const flag of [false, true]) out.push({ keys, mode, enable, flag });
  return out;
}
const envOf = (r: Row, extra: Record<string, string> = {}) =>
  parseEnv({
    ...(r.keys === 'live' ? LIVE_KEY : r.keys === 'paper' ? PAPER_KEY : {}),
    TRADING_MODE: r.mode,
    ENABLE_LIVE_TRADING: String(r.enable),
    ...extra,
  });
const requestedIn = (r: Row): boolean => r.mode === 'live' || r.enable || r.flag;
const everyOptIn = (r: Row): boolean => r.keys === 'live' && r.mode === 'live' && r.enable && r.flag;

/** Whatever the decision, nothing secret is in what gets printed. */
function expectNoSecret(d: VenueDecision): void {
  const printed = JSON.stringify(d);
  expect(printed).not.toContain(SECRET);
  expect(printed).not.toContain(LIVE_KEY.ALPACA_API_KEY);
  expect(printed).not.toContain(PAPER_KEY.ALPACA_API_KEY);
}

function settingsErrorOf(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return err as SettingsError;
  }
  throw new Error('expected a SettingsError');
}

describe('resolveTradingVenue: the full truth table', () => {
  // keys × TRADING_MODE × ENABLE_LIVE_TRADING × --live = 3 × 2 × 2 × 2 = 24 rows, no URL set.
  it.each(rows(['none', 'paper', 'live']))(
    'keys=$keys TRADING_MODE=$mode ENABLE_LIVE_TRADING=$enable --live=$flag',
    (row) => {
      const { keys, mode, enable, flag } = row;
      const d = resolveTradingVenue({ env: envOf(row), liveFlag: flag });
      const requested = mode === 'live' || enable || flag;
      const expected =
        keys === 'none'
          ? 'simulator'
          : keys === 'live' && mode === 'live' && enable && flag
            ? 'live'
            : 'paper';
      expect(d.venue).toBe(expected);
      expect(d.liveRequested).toBe(requested);
      expect(d.reason.length).toBeGreaterThan(10);
      if (d.venue !== 'live' && requested) {
        // Every missing opt-in is named.
        if (mode !== 'live') expect(d.reason).toContain('TRADING_MODE=live');
        if (!enable) expect(d.reason).toContain('ENABLE_LIVE_TRADING=true');
        if (!flag) expect(d.reason).toContain('--live');
        if (keys === 'none') expect(d.reason).toContain('no Alpaca keys');
        expect(d.missing.length).toBeGreaterThan(0);
      }
      if (d.venue === 'live') expect(d.missing).toEqual([]);
      // The endpoints follow from the venue alone.
      expect(d).toMatchObject(
        d.venue === 'simulator'
          ? { tradingBaseUrl: null, dataBaseUrl: null, customEndpoint: false }
          : {
              tradingBaseUrl: d.venue === 'live' ? LIVE_URL : PAPER_URL,
              dataBaseUrl: DATA_URL,
              customEndpoint: false,
            },
      );
      expectNoSecret(d);
    },
  );

  it('explains each outcome in words', () => {
    const gate = (env: Record<string, string>, liveFlag = false) =>
      resolveTradingVenue({ env: parseEnv(env), liveFlag });
    expect(gate({}).reason).toBe('embedded simulator: no Alpaca keys set (ALPACA_API_KEY/ALPACA_SECRET_KEY)');
    expect(gate(LIVE_KEY).reason).toBe('Alpaca paper trading (TRADING_MODE=paper)');
    expect(gate({ ...LIVE_KEY, TRADING_MODE: 'live' }).reason).toBe(
      'Alpaca paper trading: live trading needs TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live keys and the --live flag; missing: ENABLE_LIVE_TRADING=true, the --live flag',
    );
    expect(gate({ ...PAPER_KEY, TRADING_MODE: 'live', ENABLE_LIVE_TRADING: 'true' }, true)).toMatchObject({
      venue: 'paper',
      missing: ['live Alpaca keys'],
    });
    expect(gate({ ...LIVE_KEY, TRADING_MODE: 'live', ENABLE_LIVE_TRADING: 'true' }, true)).toMatchObject({
      venue: 'live',
      reason: expect.stringMatching(/^LIVE trading with real money/),
    });
    expect(gate({ TRADING_MODE: 'live', ENABLE_LIVE_TRADING: 'true' }, true).reason).toBe(
      'embedded simulator: live trading was requested but no Alpaca keys are set (missing: ALPACA_API_KEY/ALPACA_SECRET_KEY)',
    );
  });
});

describe('resolveTradingVenue: endpoints', () => {
  const gate = (env: Record<string, string>, liveFlag = false) =>
    resolveTradingVenue({ env: parseEnv(env), liveFlag });

  it('refuses an endpoint without keys rather than quietly running the simulator', () => {
    for (const [env, named] of [
      [{ ALPACA_BASE_URL: SIM_URL }, 'ALPACA_BASE_URL needs'],
      [{ ALPACA_DATA_URL: SIM_URL }, 'ALPACA_DATA_URL needs'],
      [{ ALPACA_BASE_URL: PAPER_URL, ALPACA_DATA_URL: DATA_URL }, 'ALPACA_BASE_URL and ALPACA_DATA_URL need'],
    ] as const) {
      const err = settingsErrorOf(() => gate(env));
      expect(err.issues).toEqual([
        `environment variable ${named} ALPACA_API_KEY and ALPACA_SECRET_KEY (for \`catalyst sim\`, the keys it prints: ALPACA_API_KEY=SIMKEY ALPACA_SECRET_KEY=SIMSECRET); unset it to run the embedded simulator`,
      ]);
    }
  });

  it('uses ALPACA_DATA_URL for market data whatever the trading venue', () => {
    expect(gate({ ...PAPER_KEY, ALPACA_DATA_URL: 'https://data.sandbox.alpaca.markets/v2' })).toMatchObject({
      venue: 'paper',
      tradingBaseUrl: PAPER_URL,
      dataBaseUrl: 'https://data.sandbox.alpaca.markets',
      customEndpoint: false,
    });
    expect(
      gate(
        { ...LIVE_KEY, TRADING_MODE: 'live', ENABLE_LIVE_TRADING: 'true', ALPACA_DATA_URL: SIM_URL },
        true,
      ),
    ).toMatchObject({ venue: 'live', tradingBaseUrl: LIVE_URL, dataBaseUrl: SIM_URL });
  });

  describe("Alpaca's live host in ALPACA_BASE_URL", () => {
    it.each(rows(['paper', 'live']))(
      'keys=$keys TRADING_MODE=$mode ENABLE_LIVE_TRADING=$enable --live=$flag',
      (row) => {
        const env = envOf(row, { ALPACA_BASE_URL: `${LIVE_URL}/v2` });
        if (everyOptIn(row)) {
          const d = resolveTradingVenue({ env, liveFlag: row.flag });
          expect(d).toMatchObject({
            venue: 'live',
            missing: [],
            tradingBaseUrl: LIVE_URL,
            dataBaseUrl: DATA_URL,
            customEndpoint: false,
          });
          expectNoSecret(d);
          return;
        }
        // Never paper orders on the real-money host: anything short of every opt-in is an error.
        const err = settingsErrorOf(() => resolveTradingVenue({ env, liveFlag: row.flag }));
        expect(err.issues).toHaveLength(1);
        const missingPart = err.message.slice(err.message.indexOf('missing: '));
        expect(err.message).toMatch(
          /^environment variable ALPACA_BASE_URL is Alpaca's live host \(https:\/\/api\.alpaca\.markets\)/,
        );
        expect(missingPart.includes('TRADING_MODE=live')).toBe(row.mode !== 'live');
        expect(missingPart.includes('ENABLE_LIVE_TRADING=true')).toBe(!row.enable);
        expect(missingPart.includes('live Alpaca keys')).toBe(row.keys === 'paper');
        expect(missingPart.includes('the --live flag')).toBe(!row.flag);
        expect(err.message).toContain(`To trade paper, unset ALPACA_BASE_URL or set it to ${PAPER_URL}`);
        expect(err.message).not.toContain(SECRET);
      },
    );

    it('is recognised however it is spelled', () => {
      for (const url of [
        'https://API.ALPACA.MARKETS',
        'https://api.alpaca.markets./v2/',
        'http://api.alpaca.markets:443',
      ]) {
        expect(() => gate({ ...LIVE_KEY, ALPACA_BASE_URL: url }), url).toThrow(SettingsError);
      }
      const err = settingsErrorOf(() => gate({ ...PAPER_KEY, ALPACA_BASE_URL: LIVE_URL }));
      expect(err.message).toContain(
        'missing: TRADING_MODE=live, ENABLE_LIVE_TRADING=true, live Alpaca keys (ALPACA_API_KEY is a paper key), the --live flag.',
      );
    });
  });

  describe("Alpaca's paper host in ALPACA_BASE_URL", () => {
    it.each(rows(['paper', 'live']))(
      'keys=$keys TRADING_MODE=$mode ENABLE_LIVE_TRADING=$enable --live=$flag',
      (row) => {
        const d = resolveTradingVenue({
          env: envOf(row, { ALPACA_BASE_URL: `${PAPER_URL}/` }),
          liveFlag: row.flag,
        });
        expect(d).toMatchObject({
          venue: 'paper',
          liveRequested: requestedIn(row),
          tradingBaseUrl: PAPER_URL,
          dataBaseUrl: DATA_URL,
          customEndpoint: false,
        });
        expect(d.reason).toMatch(
          /^Alpaca paper trading at https:\/\/paper-api\.alpaca\.markets \(ALPACA_BASE_URL\)/,
        );
        if (requestedIn(row)) {
          expect(d.missing).toContain('ALPACA_BASE_URL unset or https://api.alpaca.markets');
          expect(d.reason).toContain("ALPACA_BASE_URL is Alpaca's paper host");
          if (row.mode !== 'live') expect(d.missing).toContain('TRADING_MODE=live');
          if (!row.enable) expect(d.missing).toContain('ENABLE_LIVE_TRADING=true');
          if (!row.flag) expect(d.missing).toContain('the --live flag');
        } else {
          expect(d.missing).toEqual([]);
        }
        expectNoSecret(d);
      },
    );
  });

  describe('an Alpaca-compatible endpoint in ALPACA_BASE_URL', () => {
    it.each(rows(['paper', 'live']))(
      'keys=$keys TRADING_MODE=$mode ENABLE_LIVE_TRADING=$enable --live=$flag',
      (row) => {
        const d = resolveTradingVenue({ env: envOf(row, { ALPACA_BASE_URL: SIM_URL }), liveFlag: row.flag });
        expect(d).toMatchObject({
          venue: 'paper',
          liveRequested: requestedIn(row),
          tradingBaseUrl: SIM_URL,
          dataBaseUrl: SIM_URL, // one endpoint serves both
          customEndpoint: true,
        });
        expect(d.reason).toMatch(
          /^Alpaca-compatible endpoint http:\/\/127\.0\.0\.1:8299 \(ALPACA_BASE_URL\), traded as a paper venue/,
        );
        expect(d.reason.includes('a custom endpoint is never live')).toBe(requestedIn(row));
        if (requestedIn(row))
          expect(d.missing).toContain('ALPACA_BASE_URL unset or https://api.alpaca.markets');
        else expect(d.missing).toEqual([]);
        expectNoSecret(d);
      },
    );

    it('explains itself in words, live opt-ins or not', () => {
      const sim = { ALPACA_API_KEY: 'SIMKEY', ALPACA_SECRET_KEY: 'SIMSECRET', ALPACA_BASE_URL: SIM_URL };
      expect(gate(sim).reason).toBe(
        'Alpaca-compatible endpoint http://127.0.0.1:8299 (ALPACA_BASE_URL), traded as a paper venue',
      );
      expect(
        gate(
          { ...LIVE_KEY, ALPACA_BASE_URL: SIM_URL, TRADING_MODE: 'live', ENABLE_LIVE_TRADING: 'true' },
          true,
        ),
      ).toMatchObject({
        venue: 'paper',
        reason:
          'Alpaca-compatible endpoint http://127.0.0.1:8299 (ALPACA_BASE_URL), traded as a paper venue: live trading was requested, but a custom endpoint is never live (missing: ALPACA_BASE_URL unset or https://api.alpaca.markets)',
        missing: ['ALPACA_BASE_URL unset or https://api.alpaca.markets'],
      });
    });

    it('takes market data from Alpaca when the trading host is one of Alpaca’s, else from the endpoint', () => {
      expect(
        gate({ ...PAPER_KEY, ALPACA_BASE_URL: 'https://paper-api.sandbox.alpaca.markets' }),
      ).toMatchObject({
        venue: 'paper',
        customEndpoint: true,
        tradingBaseUrl: 'https://paper-api.sandbox.alpaca.markets',
        dataBaseUrl: DATA_URL,
      });
      expect(gate({ ...PAPER_KEY, ALPACA_BASE_URL: 'https://proxy.example.com/alpaca/v2/' })).toMatchObject({
        tradingBaseUrl: 'https://proxy.example.com/alpaca',
        dataBaseUrl: 'https://proxy.example.com/alpaca',
      });
      expect(gate({ ...PAPER_KEY, ALPACA_BASE_URL: SIM_URL, ALPACA_DATA_URL: DATA_URL })).toMatchObject({
        tradingBaseUrl: SIM_URL,
        dataBaseUrl: DATA_URL,
        customEndpoint: true,
      });
    });

    it('prints an endpoint without the credentials a hand-built input might carry', () => {
      const d = resolveTradingVenue({
        env: {
          ...PAPER_KEY,
          TRADING_MODE: 'paper',
          ENABLE_LIVE_TRADING: false,
          ALPACA_BASE_URL: `http://user:${SECRET}@127.0.0.1:8299/v2?token=${SECRET}`,
          ALPACA_DATA_URL: undefined,
        },
        liveFlag: false,
      });
      expect(d).toMatchObject({ tradingBaseUrl: SIM_URL, customEndpoint: true });
      expectNoSecret(d);
    });
  });
});

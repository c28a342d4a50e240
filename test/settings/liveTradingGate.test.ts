import { describe, expect, it } from 'vitest';
import { resolveTradingVenue } from '../../src/settings/liveTradingGate';
import { parseEnv } from '../../src/settings/loadSettings';

const LIVE_KEY = { ALPACA_API_KEY: 'AKLIVE123456', ALPACA_SECRET_KEY: 'secret' };
const PAPER_KEY = { ALPACA_API_KEY: 'PKPAPER12345', ALPACA_SECRET_KEY: 'secret' };

describe('resolveTradingVenue: the full truth table', () => {
  // keys × TRADING_MODE × ENABLE_LIVE_TRADING × --live = 3 × 2 × 2 × 2 = 24 rows.
  const rows: { keys: 'none' | 'paper' | 'live'; mode: 'paper' | 'live'; enable: boolean; flag: boolean }[] =
    [];
  for (const keys of ['none', 'paper', 'live'] as const)
    for (const mode of ['paper', 'live'] as const)
      for (const enable of [false, true])
        for (const flag of [false, true]) rows.push({ keys, mode, enable, flag });

  it.each(rows)(
    'keys=$keys TRADING_MODE=$mode ENABLE_LIVE_TRADING=$enable --live=$flag',
    ({ keys, mode, enable, flag }) => {
      const env = parseEnv({
        ...(keys === 'live' ? LIVE_KEY : keys === 'paper' ? PAPER_KEY : {}),
        TRADING_MODE: mode,
        ENABLE_LIVE_TRADING: String(enable),
      });
      const d = resolveTradingVenue({ env, liveFlag: flag });
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

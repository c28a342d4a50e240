/**
 * The day's P&L against the loss limit: 'warning' from warning_threshold_pct of max_loss,
 * 'limit' from max_loss itself. Expectations are exact rational comparisons in cents.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyLossLevel } from '../../src/domain/positions';
import { dollars } from './bookKit';

const RANK = { ok: 0, warning: 1, limit: 2 } as const;

/** What the level must be for a P&L and limit in cents and a threshold in hundredths of a percent. */
function expectedLevel(pnlCents: number, maxLossCents: number, pctHundredths: number): keyof typeof RANK {
  const loss = -pnlCents;
  if (loss <= 0) return 'ok';
  if (loss >= maxLossCents) return 'limit';
  // loss ≥ maxLoss × pct / 100, with pct = hundredths / 100.
  return BigInt(loss) * 10_000n >= BigInt(maxLossCents) * BigInt(pctHundredths) ? 'warning' : 'ok';
}

const pnl = fc.integer({ min: -1_000_000_00, max: 1_000_000_00 });
const maxLoss = fc.integer({ min: 100, max: 10_000_000_00 });

describe('dailyLossLevel', () => {
  it('grades a loss against whole-percent thresholds exactly, profits always ok', () => {
    fc.assert(
      fc.property(pnl, maxLoss, fc.integer({ min: 1, max: 99 }), (p, limit, pct) => {
        expect(dailyLossLevel(dollars(p), dollars(limit), pct)).toBe(expectedLevel(p, limit, pct * 100));
      }),
    );
  });

  it('is exact at the boundaries: one cent short of each threshold is the level below', () => {
    // $2,000 limit, 75 %: warning from a $1,500 loss, limit from $2,000.
    expect(dailyLossLevel('-1499.99', '2000.00', 75)).toBe('ok');
    expect(dailyLossLevel('-1500.00', '2000.00', 75)).toBe('warning');
    expect(dailyLossLevel('-1999.99', '2000.00', 75)).toBe('warning');
    expect(dailyLossLevel('-2000.00', '2000.00', 75)).toBe('limit');
    expect(dailyLossLevel('-2500.00', '2000.00', 75)).toBe('limit');
    expect(dailyLossLevel('0', '2000.00', 75)).toBe('ok');
    expect(dailyLossLevel('900.00', '2000.00', 75)).toBe('ok');
  });

  it('never falls as the loss grows', () => {
    fc.assert(
      fc.property(
        pnl,
        fc.integer({ min: 0, max: 1_000_00 }),
        maxLoss,
        fc.integer({ min: 1, max: 99 }),
        (p, more, limit, pct) => {
          const before = dailyLossLevel(dollars(p), dollars(limit), pct);
          const after = dailyLossLevel(dollars(p - more), dollars(limit), pct);
          expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
        },
      ),
    );
  });

  // risk_parameters.yaml accepts any number in 1..99 for warning_threshold_pct (numberRange, not
  // an integer), so 75.5 is a valid setting: a $755 loss against $1,000 is then at the threshold.
  it('honours a fractional warning threshold (warning_threshold_pct: 75.5 is valid config)', () => {
    expect(dailyLossLevel('-755.00', '1000.00', 75.5)).toBe('warning');
    expect(dailyLossLevel('-754.99', '1000.00', 75.5)).toBe('ok');
    expect(dailyLossLevel('-754.00', '1000.00', 75.4)).toBe('warning');
    fc.assert(
      fc.property(pnl, maxLoss, fc.integer({ min: 100, max: 9_900 }), (p, limit, hundredths) => {
        expect(dailyLossLevel(dollars(p), dollars(limit), hundredths / 100)).toBe(
          expectedLevel(p, limit, hundredths),
        );
      }),
    );
  });
});

/**
 * Schema of config/risk_parameters.yaml (the guide's §5.3): daily loss limit, position limits,
 * sector and correlation limits, and what an emergency stop does. Dollar amounts are exposed as
 * decimal strings.
 */
import { z } from 'zod';
import { toMicros } from '../domain/money';
import { CROSS_FIELD, bool, intRange, money, numberRange, oneOf } from './fields';

export const RISK_PARAMETERS_FILE = 'risk_parameters.yaml';

const dailyLimits = z
  .object({
    max_loss: money('1', '10000000').default('2000.00'),
    warning_threshold_pct: numberRange(1, 99).default(75),
    emergency_stop_at_100: bool().default(true),
  })
  .strict();

const positionLimits = z
  .object({
    max_positions: intRange(1, 50).default(5),
    max_position_size: money('1', '10000000').default('5000.00'),
    min_position_size: money('0', '10000000').default('100.00'),
    risk_per_trade_pct: numberRange(0.01, 10).default(1.0),
    /**
     * 0: positions are paid from cash (less the account's open buy orders), never margin.
     * N: up to N % of the broker's buying power, which includes margin.
     */
    margin_buying_power_pct: numberRange(0, 100).default(0),
  })
  .strict();

const sectorLimits = z
  .object({
    max_exposure_pct: numberRange(1, 100).default(40),
    /** Empty: the limit applies to every sector. */
    sectors_to_limit: z
      .array(z.string({ error: 'must be a sector name' }).min(1, { error: 'must be a sector name' }), {
        error: 'must be a list of sector names',
      })
      .default([]),
    /** Symbol → sector, over the bundled reference file (data/ is a 2023 snapshot). */
    sector_overrides: z
      .record(
        z.string().regex(/^[A-Z][A-Z0-9.-]{0,9}$/, { error: 'must be a ticker symbol in capitals' }),
        z.string({ error: 'must be a sector name' }).min(1, { error: 'must be a sector name' }),
        { error: 'must be a map of SYMBOL: Sector' },
      )
      .default({}),
  })
  .strict();

const correlation = z
  .object({
    max_correlation: numberRange(0, 1).default(0.7),
    check_enabled: bool().default(true),
    /** Daily closes used for the returns the correlation is computed on. */
    lookback_days: intRange(5, 250).default(20),
    /**
     * When a candidate's correlation with a holding cannot be computed (fewer than 3 common dated
     * returns): reject refuses the candidate, allow lets it pass with a note.
     */
    missing_data: oneOf(['reject', 'allow'] as const).default('reject'),
  })
  .strict();

const emergencyActions = z
  .object({
    close_all_positions_on_limit: bool().default(true),
    send_email_alert: bool().default(true),
    halt_new_trades: bool().default(true),
    cooldown_period_minutes: intRange(0, 1440).default(60),
  })
  .strict();

export const RiskParametersSchema = z
  .object({
    daily_limits: dailyLimits.prefault({}),
    position_limits: positionLimits.prefault({}),
    sector_limits: sectorLimits.prefault({}),
    correlation: correlation.prefault({}),
    emergency_actions: emergencyActions.prefault({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    const p = r.position_limits;
    if (toMicros(p.min_position_size) > toMicros(p.max_position_size)) {
      ctx.addIssue({
        code: 'custom',
        path: ['position_limits', 'min_position_size'],
        message: `must not exceed position_limits.max_position_size (${p.max_position_size})`,
      });
    }
  }, CROSS_FIELD);

export type RiskParameters = z.output<typeof RiskParametersSchema>;

/**
 * Schema of config/trading_config.yaml (the guide's §5.2): session mode, cycle timing, the funnel
 * sizes, score weights and position defaults. Risk limits live in risk_parameters.yaml only, so
 * there is one place to change each number.
 */
import { z } from 'zod';
import { CROSS_FIELD, bool, intRange, numberRange, OMIT_GOT, oneOf } from './fields';

export const TRADING_CONFIG_FILE = 'trading_config.yaml';

export const TRADING_MODES = ['supervised', 'autonomous'] as const;
export type TradingSessionMode = (typeof TRADING_MODES)[number];

export const ATR_TIMEFRAMES = ['1Min', '5Min', '15Min', '30Min', '1Hour'] as const;
export type AtrTimeframe = (typeof ATR_TIMEFRAMES)[number];

const WEIGHT_SUM_TOLERANCE = 1e-6;

const session = z
  .object({
    mode: oneOf(TRADING_MODES).default('autonomous'),
  })
  .strict();

const workflow = z
  .object({
    scan_frequency_minutes: intRange(1, 390).default(30),
    first_cycle_after_open_minutes: intRange(0, 390).default(5),
    execute_top_n: intRange(1, 10).default(3),
    no_new_entries_before_close_minutes: intRange(0, 390).default(60),
    flatten_before_close_minutes: intRange(1, 120).default(10),
    approval_timeout_minutes: intRange(1, 120).default(10),
  })
  .strict();

const monitor = z
  .object({
    alert_after_failed_ticks: intRange(1, 390).default(3),
    emergency_stop_after_failed_ticks: intRange(1, 390).default(10),
  })
  .strict();

const scan = z
  .object({
    universe_top_n: intRange(1, 1000).default(200),
    min_price: numberRange(0.01, 100000).default(5),
    max_price: numberRange(0.01, 100000).default(500),
    min_dollar_volume: numberRange(0, 1e12).default(5_000_000),
  })
  .strict();

const filters = z
  .object({
    news_top_n: intRange(1, 1000).default(35),
    pattern_top_n: intRange(1, 1000).default(20),
    technical_top_n: intRange(1, 100).default(10),
  })
  .strict();

const weight = () => numberRange(0, 1);
const scoring = z
  .object({
    weights: z
      .object({
        news: weight().default(0.3),
        technical: weight().default(0.3),
        momentum: weight().default(0.2),
        volume: weight().default(0.2),
      })
      .strict()
      .prefault({}),
    min_composite_score: numberRange(0, 100).default(55),
  })
  .strict();

const positions = z
  .object({
    default_stop_loss_pct: numberRange(0.1, 50).default(2.0),
    default_take_profit_pct: numberRange(0.1, 100).default(6.0),
    use_atr_stops: bool().default(false),
    atr_multiplier: numberRange(0.1, 10).default(1.5),
    /** Bars the ATR(14) of ATR stops is computed on (minute bars aggregated; intraday only: a day trade's stop). */
    atr_timeframe: oneOf(ATR_TIMEFRAMES).default('5Min'),
    entry_limit_offset_pct: numberRange(0, 5).default(0.5),
    max_hold_time_minutes: intRange(1, 390).default(180),
    // Catalyst is a day-trading system: its brackets are day orders, so a position kept overnight
    // would have no stop. The key stays (the guide has it) but only true is accepted.
    close_all_at_market_close: z
      .literal(true, {
        error:
          'must be true: Catalyst flattens its book before every close (its bracket stops are day orders and would expire overnight)',
      })
      .default(true),
  })
  .strict();

export const TradingConfigSchema = z
  .object({
    session: session.prefault({}),
    workflow: workflow.prefault({}),
    monitor: monitor.prefault({}),
    scan: scan.prefault({}),
    filters: filters.prefault({}),
    scoring: scoring.prefault({}),
    positions: positions.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const w = c.scoring.weights;
    const sum = w.news + w.technical + w.momentum + w.volume;
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      ctx.addIssue({
        code: 'custom',
        path: ['scoring', 'weights'],
        params: OMIT_GOT,
        message: `must sum to 1 (got news ${w.news} + technical ${w.technical} + momentum ${w.momentum} + volume ${w.volume} = ${Math.round(sum * 1e6) / 1e6})`,
      });
    }
    if (c.scan.min_price >= c.scan.max_price) {
      ctx.addIssue({
        code: 'custom',
        path: ['scan', 'min_price'],
        message: `must be below scan.max_price (${c.scan.max_price})`,
      });
    }
    if (c.workflow.flatten_before_close_minutes > c.workflow.no_new_entries_before_close_minutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['workflow', 'flatten_before_close_minutes'],
        message: `must not exceed workflow.no_new_entries_before_close_minutes (${c.workflow.no_new_entries_before_close_minutes}): entries must stop before the flatten`,
      });
    }
    if (c.monitor.emergency_stop_after_failed_ticks < c.monitor.alert_after_failed_ticks) {
      ctx.addIssue({
        code: 'custom',
        path: ['monitor', 'emergency_stop_after_failed_ticks'],
        message: `must be at least monitor.alert_after_failed_ticks (${c.monitor.alert_after_failed_ticks}): the alert comes first`,
      });
    }
    // Each funnel stage narrows the previous one (200 → 35 → 20 → 10 → 3).
    const funnel: [string[], number][] = [
      [['scan', 'universe_top_n'], c.scan.universe_top_n],
      [['filters', 'news_top_n'], c.filters.news_top_n],
      [['filters', 'pattern_top_n'], c.filters.pattern_top_n],
      [['filters', 'technical_top_n'], c.filters.technical_top_n],
      [['workflow', 'execute_top_n'], c.workflow.execute_top_n],
    ];
    for (let i = 1; i < funnel.length; i++) {
      const [path, n] = funnel[i]!;
      const [prevPath, prev] = funnel[i - 1]!;
      if (n > prev) {
        ctx.addIssue({ code: 'custom', path, message: `must not exceed ${prevPath.join('.')} (${prev})` });
      }
    }
  }, CROSS_FIELD);

export type TradingConfig = z.output<typeof TradingConfigSchema>;

/** Keys of the guide's §5.2 file that Catalyst moved or replaced, with where they went. */
export const TRADING_CONFIG_KEY_HINTS: Readonly<Record<string, string>> = Object.freeze({
  risk: 'risk limits live in risk_parameters.yaml (daily_limits, position_limits, sector_limits, correlation)',
  'session.timezone': 'market hours and their time zone (America/New_York) come from the broker calendar',
  'session.market_open': 'market hours come from the broker calendar (early closes included)',
  'session.market_close': 'market hours come from the broker calendar (early closes included)',
  'workflow.auto_execute': 'use session.mode: autonomous (execute without approval) or supervised',
});

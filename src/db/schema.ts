/**
 * The guide's 3NF trading schema. Money, prices and quantities are numeric(18,6) and reach
 * TypeScript as decimal strings, so no amount ever passes through a binary float. Scores are
 * numeric(9,4): they are ranked and compared, never summed into money.
 *
 * Status-like columns are text with CHECK constraints rather than pg enums: adding a value to
 * a pg enum cannot run inside the migrator's transaction, a CHECK can be replaced in one.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

const money = (name: string) => numeric(name, { precision: 18, scale: 6 });
const score = (name: string) => numeric(name, { precision: 9, scale: 4 });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const isoDate = (name: string) => date(name, { mode: 'string' });
const createdAt = () => timestamptz('created_at').notNull().defaultNow();
const updatedAt = () => timestamptz('updated_at').notNull().defaultNow();

export type Severity = 'INFO' | 'WARNING' | 'CRITICAL';
export type TradingDayStatus = 'running' | 'completed' | 'market_closed' | 'failed' | 'cancelled';
export type LegRole = 'entry' | 'take_profit' | 'stop_loss' | 'exit';
export type PositionStatus = 'open' | 'closed';
export type PositionSide = 'long' | 'short';
export type OrderSide = 'buy' | 'sell';

/** Candidates surviving each stage of one cycle, in the order the funnel narrows. */
export interface CycleFunnel {
  universe: number;
  scanned: number;
  news: number;
  patterns: number;
  technical: number;
  /** Scored at or above the configured minimum composite score. */
  scored: number;
  risk_approved: number;
  orders: number;
}

// ───────────────────────────── reference data ─────────────────────────────

export const sectors = pgTable('sectors', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
});

export const securities = pgTable(
  'securities',
  {
    id: serial('id').primaryKey(),
    symbol: text('symbol').notNull().unique(),
    name: text('name'),
    exchange: text('exchange'),
    sectorId: integer('sector_id').references(() => sectors.id),
    industry: text('industry'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Lookups upper-case their input; a lower-case row would be a second, unreachable copy.
    check('securities_symbol_upper', sql`${t.symbol} = upper(${t.symbol}) and ${t.symbol} <> ''`),
    index('securities_sector_idx').on(t.sectorId),
  ],
);

/**
 * One row per distinct instant the system has reasoned about. Calendar fields are those of
 * America/New_York, the exchange's clock, so a 20:30 ET event belongs to the ET date.
 */
export const timeDimension = pgTable(
  'time_dimension',
  {
    timeId: bigserial('time_id', { mode: 'number' }).primaryKey(),
    timestamp: timestamptz('timestamp').notNull().unique(),
    date: isoDate('date').notNull(),
    year: integer('year').notNull(),
    month: integer('month').notNull(),
    day: integer('day').notNull(),
    dayOfWeek: integer('day_of_week').notNull(),
    hour: integer('hour').notNull(),
    minute: integer('minute').notNull(),
    isMarketHours: boolean('is_market_hours').notNull(),
    isTradingDay: boolean('is_trading_day').notNull(),
  },
  (t) => [index('time_dimension_date_idx').on(t.date)],
);

// ───────────────────────────── workflow runs ─────────────────────────────

export const tradingDays = pgTable(
  'trading_days',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id').notNull(),
    tradingDate: isoDate('trading_date').notNull(),
    mode: text('mode').notNull(),
    accountId: text('account_id').notNull(),
    speed: money('speed').notNull(),
    seed: integer('seed'),
    status: text('status').$type<TradingDayStatus>().notNull().default('running'),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
    cycles: integer('cycles').notNull().default(0),
    ordersSubmitted: integer('orders_submitted').notNull().default(0),
    fills: integer('fills').notNull().default(0),
    realizedPnl: money('realized_pnl'),
    openPositionsAtClose: integer('open_positions_at_close'),
    openOrdersAtClose: integer('open_orders_at_close'),
    halted: boolean('halted').notNull().default(false),
    haltReason: text('halt_reason'),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
  },
  (t) => [
    unique('trading_days_workflow_run_uq').on(t.workflowId, t.runId),
    index('trading_days_date_idx').on(t.tradingDate),
    check(
      'trading_days_status_chk',
      sql`${t.status} in ('running', 'completed', 'market_closed', 'failed', 'cancelled')`,
    ),
  ],
);

export const tradingCycles = pgTable(
  'trading_cycles',
  {
    cycleId: text('cycle_id').primaryKey(),
    tradingDate: isoDate('trading_date').notNull(),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id').notNull(),
    cycleNumber: integer('cycle_number').notNull(),
    status: text('status').notNull().default('running'),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
    marketTime: timestamptz('market_time').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    funnel: jsonb('funnel').$type<CycleFunnel>(),
    error: text('error'),
  },
  (t) => [
    index('trading_cycles_date_idx').on(t.tradingDate),
    index('trading_cycles_workflow_idx').on(t.workflowId, t.runId),
  ],
);

// ───────────────────────────── per-cycle analysis ─────────────────────────────

export const scanResults = pgTable(
  'scan_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    cycleId: text('cycle_id')
      .notNull()
      .references(() => tradingCycles.cycleId, { onDelete: 'cascade' }),
    securityId: integer('security_id')
      .notNull()
      .references(() => securities.id),
    rank: integer('rank').notNull(),
    price: money('price').notNull(),
    volume: bigint('volume', { mode: 'number' }).notNull(),
    gapPct: money('gap_pct'),
    momentumPct: money('momentum_pct'),
    relativeVolume: money('relative_volume'),
    scanScore: score('scan_score'),
    momentumScore: score('momentum_score'),
    volumeScore: score('volume_score'),
    technicalScore: score('technical_score'),
    newsScore: score('news_score'),
    patternScore: score('pattern_score'),
    compositeScore: score('composite_score'),
    /** 1-based place by composite score among the cycle's scored candidates. */
    finalRank: integer('final_rank'),
    stageReached: text('stage_reached').notNull().default('scanned'),
    selected: boolean('selected').notNull().default(false),
    riskApproved: boolean('risk_approved'),
    riskReasons: jsonb('risk_reasons').$type<string[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('scan_results_cycle_security_uq').on(t.cycleId, t.securityId),
    index('scan_results_security_idx').on(t.securityId),
  ],
);

export const newsSentiment = pgTable(
  'news_sentiment',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    cycleId: text('cycle_id')
      .notNull()
      .references(() => tradingCycles.cycleId, { onDelete: 'cascade' }),
    securityId: integer('security_id')
      .notNull()
      .references(() => securities.id),
    headlineCount: integer('headline_count').notNull().default(0),
    sentimentScore: score('sentiment_score'),
    catalystType: text('catalyst_type'),
    catalystStrength: score('catalyst_strength'),
    latestHeadline: text('latest_headline'),
    latestPublishedAt: timestamptz('latest_published_at'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('news_sentiment_cycle_security_uq').on(t.cycleId, t.securityId),
    index('news_sentiment_security_idx').on(t.securityId),
  ],
);

export const patternAnalysis = pgTable(
  'pattern_analysis',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    cycleId: text('cycle_id')
      .notNull()
      .references(() => tradingCycles.cycleId, { onDelete: 'cascade' }),
    securityId: integer('security_id')
      .notNull()
      .references(() => securities.id),
    pattern: text('pattern').notNull(),
    timeframe: text('timeframe').notNull().default('1Min'),
    direction: text('direction'),
    confidence: score('confidence'),
    price: money('price'),
    detectedAt: timestamptz('detected_at'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('pattern_analysis_cycle_security_pattern_uq').on(t.cycleId, t.securityId, t.pattern),
    index('pattern_analysis_security_idx').on(t.securityId),
  ],
);

export const technicalIndicators = pgTable(
  'technical_indicators',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    cycleId: text('cycle_id')
      .notNull()
      .references(() => tradingCycles.cycleId, { onDelete: 'cascade' }),
    securityId: integer('security_id')
      .notNull()
      .references(() => securities.id),
    timeframe: text('timeframe').notNull().default('1Min'),
    computedAt: timestamptz('computed_at'),
    rsi: score('rsi'),
    macd: money('macd'),
    macdSignal: money('macd_signal'),
    macdHistogram: money('macd_histogram'),
    sma20: money('sma_20'),
    sma50: money('sma_50'),
    ema9: money('ema_9'),
    vwap: money('vwap'),
    atr: money('atr'),
    bollingerUpper: money('bollinger_upper'),
    bollingerLower: money('bollinger_lower'),
    volumeRatio: money('volume_ratio'),
    score: score('score'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('technical_indicators_cycle_security_uq').on(t.cycleId, t.securityId),
    index('technical_indicators_security_idx').on(t.securityId),
  ],
);

// ───────────────────────────── orders and positions ─────────────────────────────

export const orders = pgTable(
  'orders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id').notNull(),
    brokerOrderId: text('broker_order_id').notNull(),
    clientOrderId: text('client_order_id').notNull(),
    cycleId: text('cycle_id').references(() => tradingCycles.cycleId, { onDelete: 'set null' }),
    tradingDate: isoDate('trading_date').notNull(),
    securityId: integer('security_id')
      .notNull()
      .references(() => securities.id),
    side: text('side').$type<OrderSide>().notNull(),
    type: text('type').notNull(),
    orderClass: text('order_class').notNull().default('simple'),
    legRole: text('leg_role').$type<LegRole>().notNull(),
    parentBrokerOrderId: text('parent_broker_order_id'),
    qty: money('qty').notNull(),
    filledQty: money('filled_qty').notNull().default('0'),
    filledAvgPrice: money('filled_avg_price'),
    limitPrice: money('limit_price'),
    stopPrice: money('stop_price'),
    status: text('status').notNull(),
    submittedAt: timestamptz('submitted_at'),
    filledAt: timestamptz('filled_at'),
    canceledAt: timestamptz('canceled_at'),
    // The broker's own last-change time: upserts older than it are stale snapshots and ignored.
    updatedAt: updatedAt(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('orders_account_broker_order_uq').on(t.accountId, t.brokerOrderId),
    unique('orders_account_client_order_uq').on(t.accountId, t.clientOrderId),
    index('orders_account_date_idx').on(t.accountId, t.tradingDate),
    index('orders_cycle_idx').on(t.cycleId),
    check('orders_side_chk', sql`${t.side} in ('buy', 'sell')`),
    check('orders_leg_role_chk', sql`${t.legRole} in ('entry', 'take_profit', 'stop_loss', 'exit')`),
    check('orders_qty_chk', sql`${t.qty} > 0 and ${t.filledQty} >= 0`),
  ],
);

export const positions = pgTable(
  'positions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id').notNull(),
    tradingDate: isoDate('trading_date').notNull(),
    securityId: integer('security_id')
      .notNull()
      .references(() => securities.id),
    // No FK: a position adopted from the broker during reconciliation may predate any cycle row.
    cycleId: text('cycle_id'),
    entryClientOrderId: text('entry_client_order_id').notNull(),
    side: text('side').$type<PositionSide>().notNull(),
    qty: money('qty').notNull(),
    entryPrice: money('entry_price').notNull(),
    stopPrice: money('stop_price'),
    takeProfitPrice: money('take_profit_price'),
    status: text('status').$type<PositionStatus>().notNull().default('open'),
    currentPrice: money('current_price'),
    unrealizedPnl: money('unrealized_pnl'),
    exitPrice: money('exit_price'),
    realizedPnl: money('realized_pnl'),
    exitReason: text('exit_reason'),
    openedAt: timestamptz('opened_at').notNull().defaultNow(),
    closedAt: timestamptz('closed_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('positions_account_entry_uq').on(t.accountId, t.entryClientOrderId),
    index('positions_account_date_idx').on(t.accountId, t.tradingDate),
    index('positions_security_idx').on(t.securityId),
    check('positions_side_chk', sql`${t.side} in ('long', 'short')`),
    check('positions_status_chk', sql`${t.status} in ('open', 'closed')`),
    check('positions_qty_chk', sql`${t.qty} > 0`),
  ],
);

// ───────────────────────────── risk ─────────────────────────────

export const riskEvents = pgTable(
  'risk_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventKey: text('event_key').notNull().unique(),
    tradingDate: isoDate('trading_date').notNull(),
    // No FK: an emergency stop must be recorded even when its cycle row never was.
    cycleId: text('cycle_id'),
    eventType: text('event_type').notNull(),
    severity: text('severity').$type<Severity>().notNull(),
    securityId: integer('security_id').references(() => securities.id),
    message: text('message').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index('risk_events_date_idx').on(t.tradingDate),
    check('risk_events_severity_chk', sql`${t.severity} in ('INFO', 'WARNING', 'CRITICAL')`),
  ],
);

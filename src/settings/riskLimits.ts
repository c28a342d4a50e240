/**
 * Maps the two YAML files onto the risk manager's RiskLimits, the one place where snake_case
 * config keys meet the domain's names.
 */
import type { RiskLimits } from '../domain/risk/types';
import type { RiskParameters } from './riskParameters';
import type { TradingConfig } from './tradingConfig';

export function riskLimitsFromConfig(config: { trading: TradingConfig; risk: RiskParameters }): RiskLimits {
  const { trading, risk } = config;
  return {
    maxDailyLoss: risk.daily_limits.max_loss,
    maxPositions: risk.position_limits.max_positions,
    minPositionSize: risk.position_limits.min_position_size,
    maxPositionSize: risk.position_limits.max_position_size,
    riskPerTradePct: risk.position_limits.risk_per_trade_pct,
    marginBuyingPowerPct: risk.position_limits.margin_buying_power_pct,
    maxSectorExposurePct: risk.sector_limits.max_exposure_pct,
    sectorsToLimit: [...risk.sector_limits.sectors_to_limit],
    maxCorrelation: risk.correlation.max_correlation,
    correlationCheckEnabled: risk.correlation.check_enabled,
    correlationMissingData: risk.correlation.missing_data,
    executeTopN: trading.workflow.execute_top_n,
    stopLossPct: trading.positions.default_stop_loss_pct,
    takeProfitPct: trading.positions.default_take_profit_pct,
    useAtrStops: trading.positions.use_atr_stops,
    atrMultiplier: trading.positions.atr_multiplier,
    entryLimitOffsetPct: trading.positions.entry_limit_offset_pct,
  };
}

/** The config keys the risk rules read, mapped onto RiskLimits (the rest is covered in test/settings). */
import { describe, expect, it } from 'vitest';
import { RiskParametersSchema } from '../../src/settings/riskParameters';
import { riskLimitsFromConfig } from '../../src/settings/riskLimits';
import { TradingConfigSchema } from '../../src/settings/tradingConfig';

describe('riskLimitsFromConfig', () => {
  const trading = TradingConfigSchema.parse({});
  it('defaults: cash only, unknown correlations refused', () => {
    const l = riskLimitsFromConfig({ trading, risk: RiskParametersSchema.parse({}) });
    expect(l).toMatchObject({ marginBuyingPowerPct: 0, correlationMissingData: 'reject' });
  });
  it('maps position_limits.margin_buying_power_pct and correlation.missing_data', () => {
    const risk = RiskParametersSchema.parse({
      position_limits: { margin_buying_power_pct: 50 },
      correlation: { missing_data: 'allow' },
    });
    expect(riskLimitsFromConfig({ trading, risk })).toMatchObject({
      marginBuyingPowerPct: 50,
      correlationMissingData: 'allow',
    });
  });
});

/** The chaos run's worker configuration (see writeChaosConfig). */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { loadRiskParameters, loadTradingConfig } from '../../src/settings/loadSettings';
import { RISK_PARAMETERS_FILE } from '../../src/settings/riskParameters';
import { TRADING_CONFIG_FILE } from '../../src/settings/tradingConfig';

const PROJECT_CONFIG = resolve(import.meta.dirname, '../../config');

/**
 * The chaos run's configuration: the project's, but for a wider bracket (stop 6 % below the
 * entry, target 18 % above, the same 3:1). With the 2 % stop, a position on the simulator's
 * volatile names often lives 5–25 market minutes, while a halt takes 3–4 s of wall time to arrive
 * (the CLI starts, and a day whose last task went to a killed worker waits 10 s for its sticky
 * queue): at ×150 that is 10–35 market minutes, and the emergency stop would find nothing to
 * cancel or sell. Sizes stay as they were (max_position_size caps them), and 5 positions × 6 %
 * of $5,000 stay inside max_loss. Everything else is the project's own.
 */
export function writeChaosConfig(dir: string, source: string = PROJECT_CONFIG): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(source, RISK_PARAMETERS_FILE), join(dir, RISK_PARAMETERS_FILE));
  const doc = parseDocument(readFileSync(join(source, TRADING_CONFIG_FILE), 'utf8'));
  const widen = (key: string, value: number | boolean): void => {
    const was = doc.getIn(['positions', key]);
    doc.setIn(['positions', key], doc.createNode(value));
    (doc.getIn(['positions', key], true) as { comment?: string }).comment =
      ` chaos run (test/chaos/chaosConfig.ts): ${String(was)} in config/trading_config.yaml`;
  };
  widen('default_stop_loss_pct', 6);
  widen('default_take_profit_pct', 18);
  widen('use_atr_stops', false);
  writeFileSync(join(dir, TRADING_CONFIG_FILE), String(doc));
  // Both files must pass the schemas the worker will apply.
  loadTradingConfig(dir);
  loadRiskParameters(dir);
  return dir;
}

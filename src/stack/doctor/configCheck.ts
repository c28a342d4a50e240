/**
 * The YAML configuration `catalyst up` would start with: each file read and validated with the
 * schemas and messages of start-up, hot reload and `catalyst config validate`, one line a file.
 */
import { join } from 'node:path';
import { loadRiskParameters, loadTradingConfig, SettingsError } from '../../settings/loadSettings';
import { RISK_PARAMETERS_FILE } from '../../settings/riskParameters';
import { TRADING_CONFIG_FILE } from '../../settings/tradingConfig';
import { fail, ok, type CheckResult } from './checkResult';

export function checkConfigFiles(configDir: string): CheckResult[] {
  return [
    checkFile(configDir, TRADING_CONFIG_FILE, () => {
      const c = loadTradingConfig(configDir);
      return `session mode ${c.session.mode}, a cycle every ${c.workflow.scan_frequency_minutes} market minutes, top ${c.workflow.execute_top_n} executed`;
    }),
    checkFile(configDir, RISK_PARAMETERS_FILE, () => {
      const r = loadRiskParameters(configDir);
      return `daily loss limit $${r.daily_limits.max_loss}, at most ${r.position_limits.max_positions} positions`;
    }),
  ];
}

function checkFile(configDir: string, file: string, load: () => string): CheckResult {
  const path = join(configDir, file);
  const name = `config ${file}`;
  try {
    return ok(name, `${path}: valid (${load()})`);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    // Each issue already names the file, the key, the allowed values and the value found.
    return fail(
      name,
      err.issues.join('; '),
      `edit ${path} (the key and allowed values are named above), then \`catalyst config validate\``,
    );
  }
}

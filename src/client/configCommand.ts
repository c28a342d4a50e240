/**
 * `catalyst config validate`: checks configuration files without starting anything, with the same
 * schemas and messages as start-up and hot reload — one line per problem naming the file, the key,
 * the allowed values and the value found. Exit 0 when every file is good, 1 otherwise.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseYamlConfig, SettingsError } from '../settings/loadSettings';
import { RISK_PARAMETERS_FILE, RiskParametersSchema } from '../settings/riskParameters';
import {
  TRADING_CONFIG_FILE,
  TRADING_CONFIG_KEY_HINTS,
  TradingConfigSchema,
} from '../settings/tradingConfig';
import { UsageError } from './cliErrors';
import { colour, createOutput } from './output';
import { projectDir } from './projectDir';

export interface FileReport {
  file: string;
  ok: boolean;
  problems: string[];
}

/** Which schema a file is checked against: by its name, as the config directory names them. */
/** One file against the schema its name selects: one line per problem, naming the key. */
export function validateFile(file: string): FileReport {
  const name = basename(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      file,
      ok: false,
      problems: [
        `${name}: cannot read ${file} (${code === 'ENOENT' ? 'file not found' : (err as Error).message})`,
      ],
    };
  }
  try {
    if (name.endsWith(TRADING_CONFIG_FILE))
      parseYamlConfig(text, name, TradingConfigSchema, { keyHints: TRADING_CONFIG_KEY_HINTS });
    else parseYamlConfig(text, name, RiskParametersSchema);
    return { file, ok: true, problems: [] };
  } catch (err) {
    if (err instanceof SettingsError) return { file, ok: false, problems: err.issues };
    throw err;
  }
}

export function configValidateCommand(opts: { files: string[]; configDir?: string; json: boolean }): void {
  const out = createOutput(opts.json);
  const dir = resolve(opts.configDir ?? join(projectDir(), 'config'));
  const files = opts.files.length
    ? opts.files.map((f) => resolve(f))
    : [join(dir, TRADING_CONFIG_FILE), join(dir, RISK_PARAMETERS_FILE)];
  for (const f of files) {
    const name = basename(f);
    if (!name.endsWith(TRADING_CONFIG_FILE) && !name.endsWith(RISK_PARAMETERS_FILE))
      throw new UsageError(
        `--file ${f}: the name must end in ${TRADING_CONFIG_FILE} or ${RISK_PARAMETERS_FILE} (it says which schema applies)`,
      );
  }
  const reports = files.map(validateFile);
  const ok = reports.every((r) => r.ok);
  out.result({ ok, files: reports }, () => {
    for (const r of reports) {
      if (r.ok) out.info(`${colour.green('ok')}  ${r.file}`);
      else for (const p of r.problems) out.info(`${colour.red('bad')} ${p}`);
    }
  });
  if (!ok) process.exitCode = 1;
}

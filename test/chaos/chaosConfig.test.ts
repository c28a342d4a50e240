import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRiskParameters, loadTradingConfig } from '../../src/settings/loadSettings';
import { writeChaosConfig } from './chaosConfig';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("the chaos run's configuration", () => {
  it("is the project's, with the bracket widened to a 6 % stop and an 18 % target", () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaos-config-'));
    dirs.push(dir);
    writeChaosConfig(dir);
    const project = loadTradingConfig(join(import.meta.dirname, '../../config'));
    const chaos = loadTradingConfig(dir);
    expect(chaos.positions).toEqual({
      ...project.positions,
      default_stop_loss_pct: 6,
      default_take_profit_pct: 18,
      use_atr_stops: false,
    });
    expect({ ...chaos, positions: null }).toEqual({ ...project, positions: null });
    expect(loadRiskParameters(dir)).toEqual(loadRiskParameters(join(import.meta.dirname, '../../config')));
    // The file keeps its comments: it is the project's file with two values changed.
    expect(readFileSync(join(dir, 'trading_config.yaml'), 'utf8')).toMatch(/# Stop 2 % below the entry/);
  });
});

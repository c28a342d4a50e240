/**
 * Replays histories recorded from real runs (test/histories, recorded by
 * `CATALYST_RECORD_HISTORY=1 npx vitest run test/e2e/tradingDay.test.ts`) against the current
 * workflow code: a non-deterministic change fails here instead of in production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_DIR } from '../support/catalystHarness';

// test/histories holds the current recording; subfolders keep older ones, so code that can no
// longer replay a history recorded before a change fails here too. File name = workflow id.
const dir = join(PROJECT_DIR, 'test/histories');
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));

describe('workflow replay', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    expect(history.events?.length).toBeGreaterThan(10);
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      history,
      basename(file, '.json'),
    );
  });
});

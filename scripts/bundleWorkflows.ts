/**
 * Builds the workflow bundle once, ahead of time: the Docker image runs this at build time, so a
 * `catalyst worker --workflow-bundle <file>` starts in seconds instead of bundling src/workflows
 * (webpack) at every start. The bundle is the workflow code of this checkout: rebuild it with the
 * code (an image build does).
 *
 *   node --import tsx scripts/bundleWorkflows.ts [file]    (default .catalyst/workflow-bundle.js)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../src/worker';

const out = resolve(process.argv[2] ?? '.catalyst/workflow-bundle.js');
const quiet = (): void => {};
const { code } = await bundleWorkflowCode({
  workflowsPath: workflowsPath(),
  logger: {
    log: quiet,
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: (m: string) => process.stderr.write(`${m}\n`),
    error: (m: string) => process.stderr.write(`${m}\n`),
  },
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
process.stdout.write(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)\n`);

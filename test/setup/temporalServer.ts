/**
 * One real Temporal dev server for the whole `temporal` test project (the CLI binary provisioned
 * exactly as `npm start` does), plus one workflow bundle shared by every test worker.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { SearchAttr } from '../../src/shared';
import { DEV_SERVER_LATENCY_ARGS } from '../../src/stack/devServer';
import { provisionTemporalCli } from '../../src/stack/temporalCli';
import { workflowsPath } from '../../src/worker';
import { freePort } from '../support/freePort';
import { quietLogger } from '../support/quietLogger';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The dev server's Web UI (test/e2e/webUi.test.ts opens it in Chromium). */
    temporalUiUrl: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const projectDir = resolve(import.meta.dirname, '../..');
  const cli = await provisionTemporalCli({ projectDir });
  const uiPort = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path' as const, path: cli.path } } : {}),
      ip: '127.0.0.1',
      ui: true,
      uiPort,
      searchAttributes: Object.values(SearchAttr),
      // Quiet: `catalyst up` processes in the tests re-register the search attributes (a warning each).
      extraArgs: [...DEV_SERVER_LATENCY_ARGS, '--log-level', 'error'],
    },
  });
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  const dir = join(projectDir, '.catalyst', 'test');
  mkdirSync(dir, { recursive: true });
  const bundlePath = join(dir, `workflow-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, code);
  project.provide('temporalAddress', env.address);
  project.provide('temporalUiUrl', `http://127.0.0.1:${uiPort}`);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await env.teardown();
  };
}

/**
 * Resources: each config file (config/*.yaml, read when asked, so an edit shows at once) and the
 * latest recorded day's report as JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { loadReport } from '../client/reportCommand';
import type { McpContext } from './mcpContext';

export const LATEST_REPORT_URI = 'catalyst://report/latest';
export const configUri = (file: string): string => `catalyst://config/${file}`;

export function registerResources(server: McpServer, ctx: McpContext): void {
  let files: string[] = [];
  try {
    files = readdirSync(ctx.configDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch (err) {
    ctx.log(`no config resources: cannot read ${ctx.configDir} (${(err as Error).message})`);
  }
  for (const file of files) {
    const path = join(ctx.configDir, file);
    server.registerResource(
      `config/${file}`,
      configUri(file),
      {
        title: file,
        description: `Catalyst's ${file} (${path}), as the running worker reads it (hot-reloaded every 5 s)`,
        mimeType: 'application/yaml',
      },
      (uri) => ({
        contents: [{ uri: uri.href, mimeType: 'application/yaml', text: readFileSync(path, 'utf8') }],
      }),
    );
  }

  server.registerResource(
    'report/latest',
    LATEST_REPORT_URI,
    {
      title: 'Latest trading-day report',
      description:
        "The latest recorded trading day's report as JSON (what `catalyst report --json` prints): figures, trades with exit reasons and scores, funnel per cycle, risk decisions and events",
      mimeType: 'application/json',
    },
    async (uri) => {
      const report = await ctx.withDatabase((database, where) =>
        loadReport(database, where, null, undefined),
      );
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(report) }] };
    },
  );
}

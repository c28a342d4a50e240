/**
 * What needs no running day: the report of a recorded day (as `catalyst report --json`, from the
 * database alone) and the config check (as `catalyst config validate`, with the start-up schemas
 * and messages).
 */
import { basename, join, resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { validateFile as checkConfigFile } from '../client/configCommand';
import { loadReport, reportRange } from '../client/reportCommand';
import { RISK_PARAMETERS_FILE } from '../settings/riskParameters';
import { TRADING_CONFIG_FILE } from '../settings/tradingConfig';
import { dateArg, jsonResult, venueArg, type McpContext } from './mcpContext';

export function registerRecordTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_report',
    {
      title: "A trading day's report",
      description:
        "What Catalyst did on a trading day and why, from the database (as `catalyst report --json`): figures (P&L, trades, win rate, drawdown, exits), each trade with entry, exit, P&L, exit reason and the scores that chose it, each cycle's funnel, the risk decisions and risk events. Default: the latest recorded day. Give date, or from and to for a range.",
      inputSchema: z.strictObject({
        date: dateArg.optional().describe('the trading day (YYYY-MM-DD; default: the latest one recorded)'),
        from: dateArg.optional().describe('first day of a range (with to)'),
        to: dateArg.optional().describe('last day of a range, inclusive (with from)'),
        venue: venueArg.optional().describe('only days of this venue (default: every venue)'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      let range: { from: string; to: string } | null;
      try {
        range = reportRange(args);
      } catch (err) {
        // The CLI's words, with the tool's argument names: "--from and --to go together" → "from and to …".
        throw new Error((err as Error).message.replace(/--(date|from|to)\b/g, '$1'));
      }
      const report = await ctx.withDatabase((database, where) =>
        loadReport(database, where, range, args.venue),
      );
      const f = report.figures;
      return jsonResult(
        report as unknown as Record<string, unknown>,
        `report ${report.from}${report.to === report.from ? '' : ` to ${report.to}`}: ${f.trades} trade(s), realized P&L ${f.totalPnl}`,
      );
    },
  );

  server.registerTool(
    'validate_config',
    {
      title: 'Validate the configuration',
      description: `Checks ${TRADING_CONFIG_FILE} and ${RISK_PARAMETERS_FILE} (those of the config directory, or the named files) with the schemas start-up and hot reload use, without starting anything: ok, and per file one line per problem naming the file, the key, the allowed values and the value found.`,
      inputSchema: z.strictObject({
        files: z
          .array(z.string().min(1))
          .max(20)
          .optional()
          .describe(
            `files to check; each name must end in ${TRADING_CONFIG_FILE} or ${RISK_PARAMETERS_FILE} (it selects the schema)`,
          ),
        configDir: z
          .string()
          .min(1)
          .optional()
          .describe(`a directory holding both files (default: the server's config directory)`),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      if (args.files?.length && args.configDir) throw new Error('give files or configDir, not both');
      const dir = resolve(args.configDir ?? ctx.configDir);
      const files = args.files?.length
        ? args.files.map((f) => resolve(f))
        : [join(dir, TRADING_CONFIG_FILE), join(dir, RISK_PARAMETERS_FILE)];
      for (const f of files) {
        const name = basename(f);
        if (!name.endsWith(TRADING_CONFIG_FILE) && !name.endsWith(RISK_PARAMETERS_FILE))
          throw new Error(
            `${f}: the name must end in ${TRADING_CONFIG_FILE} or ${RISK_PARAMETERS_FILE} (it says which schema applies)`,
          );
      }
      const checks = files.map(checkConfigFile);
      const ok = checks.every((c) => c.ok);
      return jsonResult(
        { ok, files: checks },
        ok
          ? `ok: ${files.join(', ')}`
          : `INVALID:\n${checks.flatMap((c) => c.problems.map((p) => `  ${p}`)).join('\n')}`,
      );
    },
  );
}

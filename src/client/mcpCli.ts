/**
 * The arguments of `catalyst mcp`: defined here, with the server's module imported only when it
 * runs (it loads the MCP SDK, the Temporal client and the database drivers).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { projectDir } from './projectDir';

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(
      'the MCP server on stdio for AI assistants: the running day\'s status, candidates with scores and positions, the report, config validation, approve/reject (supervised), and the emergency stop (only with confirm: "EMERGENCY STOP"); resources: the config files and the latest report',
    )
    .option(
      '--config-dir <dir>',
      'directory whose *.yaml files are served and validated (default: the project config/)',
    )
    // A bad argument is one line (the CLI's contract); --help has the rest.
    .showHelpAfterError(false)
    .addHelpText(
      'after',
      `
Reads the same environment as the other commands: TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE (default the
embedded dev server on 127.0.0.1:7233) and DATABASE_URL (default the PGlite of \`catalyst up\`).
stdout carries only MCP messages; logs go to stderr.

Example (an MCP client's server entry, e.g. in Claude Desktop's claude_desktop_config.json):
  {"mcpServers": {"catalyst": {"command": "node",
    "args": ["/path/to/catalyst/bin/catalyst.mjs", "mcp"], "env": {"TEMPORAL_ADDRESS": "127.0.0.1:7233"}}}}`,
    )
    .action(async (o: { configDir?: string }) =>
      (await import('../mcp/mcpCommand')).mcpCommand({
        configDir: o.configDir ?? join(projectDir(), 'config'),
      }),
    );
}

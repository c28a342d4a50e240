/**
 * Catalyst as an MCP server: the guide's "Orchestration (MCP)" service for AI assistants. Tools read
 * and steer the running trading day through Temporal (the same query, update and signal the CLI
 * uses) and read the records from the database; resources serve the config files and the latest
 * report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { projectDir } from '../client/projectDir';
import { registerDayTools } from './dayTools';
import { EMERGENCY_STOP_CONFIRMATION, registerEmergencyStopTool } from './emergencyStopTool';
import type { McpContext } from './mcpContext';
import { registerRecordTools } from './recordTools';
import { registerResources } from './resources';

const INSTRUCTIONS = `Catalyst is an autonomous US-equities day-trading system; each trading day is one Temporal workflow.
Read the running day with get_status, list_candidates and list_positions; a recorded day with get_report.
In supervised mode, answer a waiting cycle's offer with approve_candidates or reject_candidates.
emergency_stop does nothing without confirm: "${EMERGENCY_STOP_CONFIRMATION}": call it first without, show the user what it would do, and confirm only on the user's explicit request.
Catalyst only ever acts on its own orders and positions: the rest of the account is never touched.`;

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(projectDir(), 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

export function createCatalystMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer({ name: 'catalyst', version: version() }, { instructions: INSTRUCTIONS });
  registerDayTools(server, ctx);
  registerRecordTools(server, ctx);
  registerEmergencyStopTool(server, ctx);
  registerResources(server, ctx);
  return server;
}

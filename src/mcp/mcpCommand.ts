/**
 * `catalyst mcp`: the MCP server on stdio. stdout carries protocol messages and nothing else:
 * every log line (ours, and any library's console output) goes to stderr. It ends when the client
 * closes stdin, or on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { format } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpContext } from './mcpContext';
import { createCatalystMcpServer } from './mcpServer';
import { temporalTargetFromEnv } from '../stack/temporalConnection';

/** console.log/info/debug would write to stdout, in the middle of the protocol: send them to stderr. */
function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]): void => void process.stderr.write(`${format(...args)}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

export async function mcpCommand(opts: { configDir: string }): Promise<void> {
  keepStdoutForProtocol();
  const ctx = createMcpContext({ configDir: resolve(opts.configDir) });
  const server = createCatalystMcpServer(ctx);
  const transport = new StdioServerTransport();

  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  transport.onclose = () => finish();
  process.stdin.once('end', () => finish());
  process.stdin.once('close', () => finish());
  const onSignal = (): void => finish();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  await server.connect(transport);
  ctx.log(
    `serving on stdio (Temporal ${temporalTargetFromEnv().address}, database ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'PGlite of catalyst up'}, config ${ctx.configDir})`,
  );
  await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await server.close().catch(() => undefined);
  await ctx.close();
  // Nothing should keep the process, but a library's stray handle must not leave it running.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
}

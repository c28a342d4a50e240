/**
 * The running day, read and steered: its status (the workflow's status query, as `catalyst status`
 * shows it), its candidates with their scores and risk decisions, Catalyst's positions, and the
 * supervised-mode answer to a cycle's offer (the `decideCandidates` update, as `catalyst approve`
 * and `catalyst reject` send it).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { decisionText } from '../client/statusCommand';
import { positionsForDay, type PositionRecord } from '../db/repositories/positions';
import { tradingDaysOn } from '../db/repositories/tradingDays';
import { decideCandidatesUpdate, statusQuery, type TradingDayStatus } from '../workflows/messages';
import { dayArgs, dayError, jsonResult, resolveDay, type DayArgs, type McpContext } from './mcpContext';

/** The day's id and its status query's answer. */
export async function dayStatus(
  client: Client,
  args: DayArgs,
): Promise<{ workflowId: string; status: TradingDayStatus }> {
  const workflowId = await resolveDay(client, args);
  try {
    return { workflowId, status: await client.workflow.getHandle(workflowId).query(statusQuery) };
  } catch (err) {
    throw dayError(workflowId, err);
  }
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function registerDayTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_status',
    {
      title: "The trading day's status",
      description:
        "The running trading day as `catalyst status` shows it: phase, cycle, last funnel, candidates with each risk decision, Catalyst's open positions and orders, what in the account is not Catalyst's (left alone), realized and unrealized P&L, halted, entries paused, and the cycle waiting for approval (supervised mode).",
      inputSchema: z.strictObject(dayArgs),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const { workflowId, status } = await dayStatus(await ctx.temporal(), args);
      return jsonResult(
        { workflowId, ...status },
        `${workflowId}: ${status.halted ? `HALTED (${status.haltReason})` : status.phase}, cycle ${status.cycle}, ${status.openPositions} position(s), realized P&L ${status.realizedPnl}`,
      );
    },
  );

  server.registerTool(
    'list_candidates',
    {
      title: "The day's candidates with their scores",
      description:
        "The candidates of the running day's cycles: symbol, composite score (0-100), the cycle that decided it, the risk manager's decision (approved with its size, or rejected with every reason) and quantity; and the candidates offered for approval now (supervised mode), if any.",
      inputSchema: z.strictObject(dayArgs),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const { workflowId, status } = await dayStatus(await ctx.temporal(), args);
      const candidates = status.candidates.map((c) => ({
        symbol: c.symbol,
        compositeScore: c.compositeScore,
        cycle: c.cycle ?? null,
        approved: c.approved ?? false,
        qty: c.qty ?? 0,
        decision: decisionText(c),
        reasons: c.reasons ?? [],
      }));
      return jsonResult(
        {
          workflowId,
          phase: status.phase,
          mode: status.mode,
          cycle: status.cycle,
          lastFunnel: status.lastFunnel,
          candidates,
          pendingApproval: status.pendingApproval,
        },
        `${candidates.length} candidate(s) in ${workflowId}${status.pendingApproval ? `; cycle ${status.pendingApproval.cycle} waits for approval` : ''}`,
      );
    },
  );

  server.registerTool(
    'list_positions',
    {
      title: "Catalyst's positions",
      description:
        "Catalyst's positions of the running day: the counts and P&L the day's monitor reports (as `catalyst status`), and each position Catalyst recorded (symbol, side, quantity, entry, stop, target, last price, unrealized P&L), from the database (DATABASE_URL; when it cannot be read — e.g. the embedded PGlite a running `catalyst up` holds — positions is null and positionsUnavailable says why). Holdings of the account that are not Catalyst's are only counted: Catalyst never touches them.",
      inputSchema: z.strictObject({
        ...dayArgs,
        includeClosed: z
          .boolean()
          .optional()
          .describe("also list the day's closed positions, with exit price, reason and realized P&L"),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) => {
      const { workflowId, status } = await dayStatus(await ctx.temporal(), args);
      let rows: PositionRecord[] | null = null;
      let unavailable: string | null = null;
      try {
        rows = await ctx.withDatabase(async ({ db }) => {
          const day = (await tradingDaysOn(db, status.tradingDate))
            .filter((d) => d.workflowId === workflowId)
            .pop();
          return day ? positionsForDay(db, day.accountId, status.tradingDate) : [];
        });
      } catch (err) {
        // The day's own counts still answer; each position's detail needs the database (shared:
        // the embedded PGlite of a running `catalyst up` is refused, see DatabaseInUse).
        unavailable = (err as Error).message;
      }
      const positions = (rows ?? [])
        .filter((p) => args.includeClosed || p.status === 'open')
        .map((p) => ({
          symbol: p.symbol,
          side: p.side,
          status: p.status,
          qty: p.qty,
          entryPrice: p.entryPrice,
          stopPrice: p.stopPrice,
          takeProfitPrice: p.takeProfitPrice,
          currentPrice: p.currentPrice,
          unrealizedPnl: p.unrealizedPnl,
          openedAt: iso(p.openedAt),
          ...(p.status === 'closed'
            ? {
                exitPrice: p.exitPrice,
                exitReason: p.exitReason,
                realizedPnl: p.realizedPnl,
                closedAt: iso(p.closedAt),
              }
            : {}),
        }));
      return jsonResult(
        {
          workflowId,
          tradingDate: status.tradingDate,
          openPositions: status.openPositions,
          openOrders: status.openOrders,
          realizedPnl: status.realizedPnl,
          unrealizedPnl: status.unrealizedPnl,
          notCatalysts: { holdings: status.foreignPositions, orders: status.foreignOrders },
          notFlat: status.notFlat,
          positions: rows ? positions : null,
          ...(unavailable ? { positionsUnavailable: unavailable } : {}),
        },
        `${status.openPositions} open position(s) of Catalyst's in ${workflowId}; ${status.foreignPositions} holding(s) not Catalyst's (left alone)`,
      );
    },
  );

  for (const verdict of ['approve', 'reject'] as const) registerDecisionTool(server, ctx, verdict);
}

function registerDecisionTool(server: McpServer, ctx: McpContext, verdict: 'approve' | 'reject'): void {
  server.registerTool(
    `${verdict}_candidates`,
    {
      title: verdict === 'approve' ? 'Approve candidates (supervised)' : 'Reject candidates (supervised)',
      description:
        verdict === 'approve'
          ? "Supervised mode: trade these of the waiting cycle's offered candidates; the others offered are rejected (as `catalyst approve`). Name symbols or pass all: true. Refused when nothing waits for approval, a symbol was not offered, or the approval window closed: never traded late."
          : "Supervised mode: do not trade these of the waiting cycle's offered candidates; the others offered are approved (as `catalyst reject`). Name symbols or pass all: true. Refused when nothing waits for approval or a symbol was not offered.",
      inputSchema: z.strictObject({
        ...dayArgs,
        symbols: z
          .array(z.string().trim().min(1).max(12))
          .max(100)
          .optional()
          .describe(`the symbols to ${verdict}, e.g. ["AAPL", "MSFT"]`),
        all: z.boolean().optional().describe(`${verdict} every offered candidate`),
      }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    async (args) => {
      const symbols = args.symbols ?? [];
      if (Boolean(args.all) === symbols.length > 0)
        throw new Error(`${verdict}_candidates: name the symbols or pass all: true (not both)`);
      const client = await ctx.temporal();
      const { workflowId, status } = await dayStatus(client, args);
      const pending = status.pendingApproval;
      if (!pending)
        throw new Error(`no candidates are waiting for approval in ${workflowId} (phase ${status.phase})`);
      const offered = pending.candidates.map((c) => c.symbol);
      const named = [...new Set(symbols.map((s) => s.toUpperCase()))];
      const notOffered = named.filter((s) => !offered.includes(s));
      if (notOffered.length)
        throw new Error(
          `not offered in cycle ${pending.cycle}: ${notOffered.join(', ')} (offered: ${offered.join(', ')})`,
        );
      const chosen = args.all ? offered : named;
      const approve = verdict === 'approve' ? chosen : offered.filter((s) => !chosen.includes(s));
      let result;
      try {
        result = await client.workflow
          .getHandle(workflowId)
          .executeUpdate(decideCandidatesUpdate, { args: [{ cycle: pending.cycle, approve }] });
      } catch (err) {
        // The validator's words (the cycle moved on, the window closed) are the whole story.
        if (err instanceof WorkflowUpdateFailedError) throw new Error(err.cause?.message ?? err.message);
        throw dayError(workflowId, err);
      }
      ctx.log(
        `${verdict} in cycle ${pending.cycle} of ${workflowId}: approved ${result.approved.join(' ') || '(none)'}`,
      );
      return jsonResult(
        { workflowId, cycle: pending.cycle, ...result },
        `cycle ${pending.cycle} of ${workflowId}: approved ${result.approved.join(' ') || '(none)'}; rejected ${result.rejected.join(' ') || '(none)'}`,
      );
    },
  );
}

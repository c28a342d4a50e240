/**
 * The emergency stop for an AI assistant. Without `confirm: "EMERGENCY STOP"` it only says what
 * it would do, with the day's own figures, and does nothing. With it, it sends the running day the
 * signal `catalyst halt` sends: the day cancels its cycle, cancels Catalyst's open orders, closes
 * Catalyst's positions until its book is flat, and halts new entries for the rest of the day.
 * Nothing of the account that is not Catalyst's is touched.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  emergencyStopOutcomeQuery,
  emergencyStopSignal,
  statusQuery,
  type EmergencyStopOutcome,
  type TradingDayStatus,
} from '../workflows/messages';
import { dayStatus } from './dayTools';
import { dayArgs, dayError, errorResult, jsonResult, type McpContext } from './mcpContext';

export const EMERGENCY_STOP_CONFIRMATION = 'EMERGENCY STOP';

/** What the stop would do to this day, in words and as data. */
export function describeEmergencyStop(
  workflowId: string,
  s: TradingDayStatus,
): { text: string; plan: Record<string, unknown> } {
  const actions = [
    `cancel the running cycle and Catalyst's ${s.openOrders} open order(s) (entries and bracket legs)`,
    `close Catalyst's ${s.openPositions} open position(s) with exit orders, again until its book is flat`,
    'halt new entries for the rest of the trading day (the day keeps watching until the close)',
    'record a CRITICAL emergency_stop risk event and send a CRITICAL alert',
  ];
  const untouched = `${s.foreignPositions} holding(s) and ${s.foreignOrders} order(s) in the account that are not Catalyst's`;
  const text = [
    `EMERGENCY STOP of ${workflowId} (${s.venue}, ${s.tradingDate}): NOT SENT — nothing was done.`,
    `To send it, call emergency_stop again with confirm: "${EMERGENCY_STOP_CONFIRMATION}" and a reason. It would:`,
    ...actions.map((a, i) => `  ${i + 1}. ${a}`),
    `It would not touch: ${untouched}, nor anything else of the account.`,
    ...(s.halted ? [`The day is already halted (${s.haltReason}); a repeated stop flattens again.`] : []),
  ].join('\n');
  return {
    text,
    plan: {
      sent: false,
      workflowId,
      tradingDate: s.tradingDate,
      venue: s.venue,
      phase: s.phase,
      alreadyHalted: s.halted,
      wouldDo: actions,
      wouldNotTouch: { holdings: s.foreignPositions, orders: s.foreignOrders },
      catalystOpenOrders: s.openOrders,
      catalystOpenPositions: s.openPositions,
      confirmWith: EMERGENCY_STOP_CONFIRMATION,
    },
  };
}

export function registerEmergencyStopTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'emergency_stop',
    {
      title: 'Emergency stop (needs confirmation)',
      description: `Emergency stop of the running trading day. Without confirm it does NOTHING and returns exactly what it would do. With confirm: "${EMERGENCY_STOP_CONFIRMATION}" and a reason it sends the day the signal \`catalyst halt\` sends: cancel Catalyst's open orders, close Catalyst's positions until its book is flat, halt new entries for the rest of the day, record a CRITICAL risk event and alert. Holdings and orders of the account that are not Catalyst's are never touched. Waits up to waitSeconds for the book to be confirmed flat. With no day running, use \`catalyst halt --reason …\`, which flattens Catalyst's book through the broker.`,
      inputSchema: z.strictObject({
        ...dayArgs,
        reason: z
          .string()
          .trim()
          .min(1, { error: 'must say why trading is halted' })
          .max(500)
          .optional()
          .describe('why (recorded in risk_events and the alert); required with confirm'),
        confirm: z
          .string()
          .optional()
          .describe(
            `exactly "${EMERGENCY_STOP_CONFIRMATION}" to send the stop; omit it to see what it would do`,
          ),
        waitSeconds: z
          .number()
          .min(0)
          .max(300)
          .optional()
          .describe("how long to wait for Catalyst's book to be confirmed flat (default 30)"),
      }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async (args) => {
      const client = await ctx.temporal();
      const { workflowId, status } = await dayStatus(client, args);
      const { text, plan } = describeEmergencyStop(workflowId, status);
      if (args.confirm === undefined) return jsonResult(plan, text);
      if (args.confirm !== EMERGENCY_STOP_CONFIRMATION)
        return errorResult(
          `confirm must be exactly "${EMERGENCY_STOP_CONFIRMATION}" (got ${JSON.stringify(args.confirm)}): nothing was done.\n${text}`,
          plan,
        );
      if (!args.reason)
        return errorResult(
          'reason is required with confirm: say why trading is halted (e.g. "news shock"): nothing was done.',
          plan,
        );

      const handle = client.workflow.getHandle(workflowId);
      const requestId = `mcp-${randomUUID()}`;
      try {
        await handle.signal(emergencyStopSignal, { reason: args.reason, source: 'mcp', requestId });
      } catch (err) {
        throw dayError(workflowId, err);
      }
      ctx.log(`EMERGENCY STOP sent to ${workflowId} (${requestId}): ${args.reason}`);
      let outcome: EmergencyStopOutcome | null = null;
      const deadline = Date.now() + (args.waitSeconds ?? 30) * 1000;
      for (;;) {
        outcome = await handle.query(emergencyStopOutcomeQuery, requestId).catch(() => null);
        if (outcome?.done || Date.now() >= deadline) break;
        await sleep(250);
      }
      const after = await handle.query(statusQuery).catch(() => null);
      const confirmedFlat = outcome?.done === true && outcome.flat;
      return jsonResult(
        {
          sent: true,
          workflowId,
          requestId,
          halted: after?.halted ?? true,
          confirmedFlat,
          outcome,
        },
        [
          `EMERGENCY STOP sent to ${workflowId}: ${args.reason}`,
          outcome
            ? `cancelled ${outcome.cancelledOrders} of Catalyst's order(s); sent exits for ${outcome.closedPositions.length} position(s)${outcome.closedPositions.length ? ` (${outcome.closedPositions.join(', ')})` : ''}; ${outcome.foreignPositions} holding(s) not Catalyst's left untouched`
            : 'the day has not reported the stop yet: check get_status',
          ...(outcome?.failures ?? []).map((f) => `could not close ${f.symbol} yet: ${f.message}`),
          confirmedFlat
            ? "Catalyst's book is flat; no new entries for the rest of the day"
            : "Catalyst's book is not confirmed flat yet: the day keeps flattening; no new entries for the rest of the day",
        ].join('\n'),
      );
    },
  );
}

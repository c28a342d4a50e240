/**
 * ScanWorkflow: `catalyst scan` — one cycle's funnel at the venue's current market minute, on the
 * running stack's workers, recorded like a cycle (number 0) and never followed by risk or orders.
 */
import { workflowInfo } from '@temporalio/workflow';
import { dayActivities } from './dayActivities';
import { emptyFunnel, runFunnel } from './funnel';
import type { ScanInput, ScanResult } from './messages';

const MINUTE_MS = 60_000;

export async function ScanWorkflow(input: ScanInput): Promise<ScanResult> {
  const acts = dayActivities(input.speed);
  const clock = await acts.clock.readMarketClock();
  // The minute that has just begun: every stage reads what was known when it started.
  const asOfMs = Math.floor(clock.nowMs / MINUTE_MS) * MINUTE_MS;
  const ref = {
    cycleId: `${input.tradingDate}-scan-${workflowInfo().runId.slice(0, 8)}`,
    tradingDate: input.tradingDate,
    cycleNumber: 0,
  };
  const funnel = emptyFunnel();
  await acts.records.beginCycle({ ...ref, marketTimeMs: asOfMs });
  try {
    const scored = await runFunnel(acts, input.speed, { ...ref, asOfMs }, funnel);
    await acts.records.finishCycle({ cycleId: ref.cycleId, status: 'completed', funnel });
    return { cycleId: ref.cycleId, asOfMs, funnel, ...scored };
  } catch (err) {
    await acts.records.finishCycle({ cycleId: ref.cycleId, status: 'failed', funnel, error: String(err) });
    throw err;
  }
}

/**
 * The one way workflow code waits for a market time: a timer of the market duration at the
 * venue's speed, ended early when `wake` turns true. Every wait of the day goes through here.
 */
import { condition } from '@temporalio/workflow';
import { marketToTimerMs } from './marketTime';

export async function sleepUntilMarket(
  targetMs: number,
  nowMs: number,
  speed: number,
  summary: string,
  wake: () => boolean = () => false,
): Promise<void> {
  if (targetMs <= nowMs) return;
  await condition(wake, marketToTimerMs(targetMs - nowMs, speed), { summary });
}

/** Workflow inputs, checked before anything runs: one clear failure naming every problem. */
import { ApplicationFailure } from '@temporalio/workflow';
import { isIsoDate } from '../domain/calendar';
import { ErrorType } from '../shared';
import type { TradingDayInput } from './messages';

const got = (v: unknown): string => `(got ${JSON.stringify(v)})`;

/** The checks a trading day and a backtest share; each returns its problem, or null. */
export const dateProblem = (name: string, v: unknown): string | null =>
  isIsoDate(v) ? null : `${name} must be YYYY-MM-DD ${got(v)}`;
export const speedProblem = (v: unknown): string | null =>
  typeof v === 'number' && v > 0 && v <= 100_000 ? null : `speed must be a number in (0, 100000] ${got(v)}`;
export const runProblem = (v: unknown): string | null =>
  typeof v === 'string' && /^[A-Za-z0-9-]{1,40}$/.test(v)
    ? null
    : `run must be 1-40 letters, digits or dashes ${got(v)}`;

/** Throws the one non-retryable failure for an input that is not an object or has problems. */
export function rejectInput(input: unknown, problems: (string | null)[], what: string): void {
  if (!input || typeof input !== 'object')
    throw ApplicationFailure.nonRetryable('workflow input must be an object', ErrorType.InvalidInput);
  const found = problems.filter((p): p is string => p !== null);
  if (found.length)
    throw ApplicationFailure.nonRetryable(`invalid ${what}: ${found.join('; ')}`, ErrorType.InvalidInput);
}

export function validateDayInput(input: TradingDayInput): void {
  if (!input || typeof input !== 'object') return rejectInput(input, [], 'TradingDayWorkflow input');
  const problems: (string | null)[] = [
    dateProblem('tradingDate', input.tradingDate),
    speedProblem(input.speed),
  ];
  if (input.mode !== 'supervised' && input.mode !== 'autonomous')
    problems.push(`mode must be supervised or autonomous ${got(input.mode)}`);
  if (!['simulator', 'paper', 'live'].includes(input.venue))
    problems.push(`venue must be simulator, paper or live ${got(input.venue)}`);
  else if (
    input.venue !== 'simulator' &&
    (typeof input.account !== 'string' || !/[A-Za-z0-9]/.test(input.account))
  )
    problems.push(`a ${input.venue} day needs the broker account number in account ${got(input.account)}`);
  if (input.marketClock !== undefined && input.marketClock !== 'wall' && input.marketClock !== 'driven')
    problems.push(`marketClock must be wall or driven ${got(input.marketClock)}`);
  else if (input.marketClock === 'driven' && input.venue !== 'simulator')
    problems.push(
      `the driven market clock exists only on the simulator (got venue ${JSON.stringify(input.venue)})`,
    );
  if (input.run !== undefined) problems.push(runProblem(input.run));
  rejectInput(input, problems, 'TradingDayWorkflow input');
}

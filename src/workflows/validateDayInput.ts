/** A trading day's input, checked before anything runs: one clear failure naming every problem. */
import { ApplicationFailure } from '@temporalio/workflow';
import { ErrorType } from '../shared';
import type { TradingDayInput } from './messages';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validateDayInput(input: TradingDayInput): void {
  if (!input || typeof input !== 'object')
    throw ApplicationFailure.nonRetryable('workflow input must be an object', ErrorType.InvalidInput);
  const problems: string[] = [];
  if (typeof input.tradingDate !== 'string' || !DATE.test(input.tradingDate))
    problems.push(`tradingDate must be YYYY-MM-DD (got ${JSON.stringify(input.tradingDate)})`);
  if (typeof input.speed !== 'number' || !(input.speed > 0) || input.speed > 100_000)
    problems.push(`speed must be a number in (0, 100000] (got ${JSON.stringify(input.speed)})`);
  if (input.mode !== 'supervised' && input.mode !== 'autonomous')
    problems.push(`mode must be supervised or autonomous (got ${JSON.stringify(input.mode)})`);
  if (!['simulator', 'paper', 'live'].includes(input.venue))
    problems.push(`venue must be simulator, paper or live (got ${JSON.stringify(input.venue)})`);
  else if (
    input.venue !== 'simulator' &&
    (typeof input.account !== 'string' || !/[A-Za-z0-9]/.test(input.account))
  )
    problems.push(
      `a ${input.venue} day needs the broker account number in account (got ${JSON.stringify(input.account)})`,
    );
  if (input.marketClock !== undefined && input.marketClock !== 'wall' && input.marketClock !== 'driven')
    problems.push(`marketClock must be wall or driven (got ${JSON.stringify(input.marketClock)})`);
  else if (input.marketClock === 'driven' && input.venue !== 'simulator')
    problems.push(
      `the driven market clock exists only on the simulator (got venue ${JSON.stringify(input.venue)})`,
    );
  if (input.run !== undefined && (typeof input.run !== 'string' || !/^[A-Za-z0-9-]{1,40}$/.test(input.run)))
    problems.push(`run must be 1-40 letters, digits or dashes (got ${JSON.stringify(input.run)})`);
  if (problems.length)
    throw ApplicationFailure.nonRetryable(
      `invalid TradingDayWorkflow input: ${problems.join('; ')}`,
      ErrorType.InvalidInput,
    );
}

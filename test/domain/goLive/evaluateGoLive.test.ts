/** The whole checklist: ok only when no line fails; skips and warnings do not block. */
import { describe, expect, it } from 'vitest';
import { evaluateGoLive, RECORD_CHECKS, type GoLiveInput } from '../../../src/domain/goLive';
import { day, trade, tradingDate } from './kit';

function passingInput(): GoLiveInput {
  const days = Array.from({ length: 10 }, (_, i) => day(tradingDate(i)));
  return {
    record: {
      days,
      // 20 wins of 30, $170 a day over 3 trades: an average of $56.67.
      trades: days.flatMap((d) => [
        trade('150', d.tradingDate, 1),
        trade('60', d.tradingDate, 2),
        trade('-40', d.tradingDate, 3),
      ]),
      emergencyStops: [
        {
          eventKey: `${days[3]!.workflowId}/r/emergency-stop/1`,
          tradingDate: days[3]!.tradingDate,
          venue: null,
        },
      ],
    },
    todayNy: '2026-12-07',
    schema: { journal: [{ tag: '0000_init', when: 1 }], appliedMillis: [1] },
    broker: { kind: 'skipped', reason: 'no paper keys' },
    alerts: { outboxDir: '/tmp/outbox', entries: null },
  };
}

describe('evaluateGoLive', () => {
  it('is ok for a passing record, with the broker skipped and alerts warned', () => {
    const verdict = evaluateGoLive(passingInput());
    expect(verdict.checks.map((c) => [c.name, c.status])).toEqual([
      ['paper_days', 'pass'],
      ['win_rate', 'pass'],
      ['average_trade', 'pass'],
      ['max_daily_drawdown', 'pass'],
      ['emergency_stop', 'pass'],
      ['no_failed_days', 'pass'],
      ['schema_current', 'pass'],
      ['broker_reachable', 'skip'],
      ['alerts_delivered', 'warn'],
    ]);
    expect(verdict.ok).toBe(true);
  });

  it('is not ok when one line fails', () => {
    const input = passingInput();
    input.schema.appliedMillis = null;
    expect(evaluateGoLive(input).ok).toBe(false);
  });

  it('fails every record line when the record cannot be read', () => {
    const verdict = evaluateGoLive({
      ...passingInput(),
      record: { error: 'relation "trading_days" does not exist' },
    });
    expect(verdict.ok).toBe(false);
    const failed = verdict.checks.filter((c) => c.status === 'fail').map((c) => c.name);
    expect(failed).toEqual([...RECORD_CHECKS]);
  });

  it('ignores simulator trades and stops entirely', () => {
    const input = passingInput();
    if ('error' in input.record) throw new Error('unreachable');
    input.record.days.push(day('2026-11-02', 'sim'));
    input.record.trades.push(trade('-5000', '2026-11-02', 3, 'acct-sim'));
    input.record.emergencyStops = [
      { eventKey: 'trading-day-2026-11-02-sim/r/emergency-stop/1', tradingDate: '2026-11-02', venue: null },
    ];
    const verdict = evaluateGoLive(input);
    expect(verdict.checks.find((c) => c.name === 'max_daily_drawdown')!.status).toBe('pass');
    expect(verdict.checks.find((c) => c.name === 'emergency_stop')!.status).toBe('fail');
  });
});

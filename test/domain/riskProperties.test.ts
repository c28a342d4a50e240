/**
 * Property battery of the risk manager over whole simulated days (see riskBookModel.ts): batches of
 * candidates, fills and partial fills, price moves, stop fills with slippage, config changes, halts,
 * the cut-off, cooldowns. Each property is checked at every batch against the model's own account
 * of the book, and counts how often its limit actually bound, so a property that never meets its
 * limit fails instead of passing vacuously.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOf, toMicros, type Micros } from '../../src/domain/money';
import { datedCorrelation, sectorLimited } from '../../src/domain/risk';
import {
  CLOSES,
  dailyPnl,
  dayArb,
  equity,
  inCooldown,
  openStopRisk,
  ourSymbols,
  runDay,
  sectorExposure,
  spendable,
  type Observation,
} from './riskBookModel';

const RUNS = 10_000;

/** Runs RUNS simulated days, checking `check` at every batch. */
function battery(check: (o: Observation) => void): void {
  fc.assert(
    fc.property(dayArb, ([book, events]) => runDay(book, events, check)),
    { numRuns: RUNS },
  );
}

function assert(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

const sum = (xs: readonly Micros[]): Micros => xs.reduce((s, x) => s + x, 0n);
const riskOf = (d: { qty: number; limitPrice: string | null; stopPrice: string | null }): Micros =>
  BigInt(d.qty) * (toMicros(d.limitPrice!) - toMicros(d.stopPrice!));

describe('risk properties over simulated days', () => {
  it('never more than max_positions of Catalyst’s open and pending', () => {
    let atTheLimit = 0;
    battery((o) => {
      if (o.approved.length === 0) return;
      const count = ourSymbols(o.book).size + o.approved.length;
      assert(
        count <= o.book.limits.maxPositions,
        () => `${count} open, pending and approved > max_positions ${o.book.limits.maxPositions}`,
      );
      if (
        count === o.book.limits.maxPositions &&
        o.decisions.some((d) => /max concurrent/.test(d.reasons[0]!))
      )
        atTheLimit++;
    });
    expect(atTheLimit).toBeGreaterThan(200);
  });

  it('no approval’s notional above max_position_size or below min_position_size', () => {
    let cappedBySize = 0;
    let nearTheMin = 0;
    battery((o) => {
      const { minPositionSize, maxPositionSize } = o.book.limits;
      for (const d of o.approved) {
        const notional = toMicros(d.notional);
        assert(
          notional === BigInt(d.qty) * toMicros(d.limitPrice!),
          () => `${d.symbol}: notional ≠ qty × limit`,
        );
        assert(
          notional <= toMicros(maxPositionSize) && notional >= toMicros(minPositionSize),
          () => `${d.symbol}: notional ${d.notional} outside [${minPositionSize}, ${maxPositionSize}]`,
        );
        if (d.reasons[1]!.endsWith('max position size')) cappedBySize++;
        if (notional < 2n * toMicros(minPositionSize)) nearTheMin++;
      }
    });
    expect(cappedBySize).toBeGreaterThan(200);
    expect(nearTheMin).toBeGreaterThan(50);
  });

  it('no limited sector above its cap, counting holdings, pending entries and the batch', () => {
    let onTopOfExposure = 0;
    let capBound = 0;
    battery((o) => {
      if (o.approved.length === 0) return;
      const limits = o.book.limits;
      const cap = percentOf(equity(o.book), limits.maxSectorExposurePct);
      for (const sector of new Set(o.approved.map((d) => d.sector))) {
        if (!sectorLimited(sector, limits)) continue;
        const existing = sectorExposure(o.book, sector);
        const total =
          existing + sum(o.approved.filter((d) => d.sector === sector).map((d) => toMicros(d.notional)));
        assert(
          total <= cap,
          () => `sector ${sector}: ${total} > cap ${cap} (${limits.maxSectorExposurePct}%)`,
        );
        if (existing > 0n) onTopOfExposure++;
      }
      if (o.decisions.some((d) => d.reasons.some((r) => r.endsWith('% limit')))) capBound++;
    });
    expect(onTopOfExposure).toBeGreaterThan(200);
    expect(capBound).toBeGreaterThan(100);
  });

  it('P&L − open stop risk − approved risk never below −max_daily_loss', () => {
    let budgetBinds = 0;
    battery((o) => {
      if (o.approved.length === 0) return;
      for (const d of o.approved) {
        assert(toMicros(d.riskAmount) === riskOf(d), () => `${d.symbol}: riskAmount ≠ qty × (limit − stop)`);
      }
      const committed = dailyPnl(o.book) - openStopRisk(o.book) - sum(o.approved.map(riskOf));
      const floor = -toMicros(o.book.limits.maxDailyLoss);
      assert(
        committed >= floor,
        () =>
          `P&L ${dailyPnl(o.book)} − open stop risk ${openStopRisk(o.book)} − approved ${sum(o.approved.map(riskOf))} = ${committed} < ${floor}`,
      );
      if (o.approved.some((d) => d.reasons[1]!.endsWith('loss budget'))) budgetBinds++;
    });
    expect(budgetBinds).toBeGreaterThan(200);
  });

  it('no approval when halted, past the cut-off, in cooldown, at the daily loss limit or blocked', () => {
    const closedBy = { halted: 0, cutoff: 0, cooldown: 0, lossLimit: 0, blocked: 0 };
    battery((o) => {
      const b = o.book;
      const gates = {
        halted: b.halted,
        cutoff: b.cutoffPassed,
        cooldown: inCooldown(b),
        lossLimit: dailyPnl(b) <= -toMicros(b.limits.maxDailyLoss),
        blocked: b.tradingBlocked,
      };
      const closed = Object.entries(gates).filter(([, on]) => on);
      if (closed.length === 0) return;
      assert(
        o.approved.length === 0,
        () => `approved ${o.approved.map((d) => d.symbol)} while ${closed.map(([g]) => g)}`,
      );
      if (closed.length === 1) closedBy[closed[0]![0] as keyof typeof closedBy]++;
    });
    // Each gate alone closed the day often enough for its removal to be noticed.
    for (const [gate, n] of Object.entries(closedBy)) expect(n, gate).toBeGreaterThan(100);
  });

  it('approvals never spend more than the cash less open buy orders, or the buying power share', () => {
    let moneyBinds = 0;
    battery((o) => {
      if (o.approved.length === 0) return;
      const spent = sum(o.approved.map((d) => toMicros(d.notional)));
      const money = spendable(o.book);
      assert(spent <= money, () => `approved ${spent} > spendable ${money}`);
      if (o.approved.some((d) => / limited by (cash|buying power)/.test(d.reasons[1]!))) moneyBinds++;
    });
    expect(moneyBinds).toBeGreaterThan(200);
  });

  it('with the check on, no approval correlates above the limit with anything held, nor passes an unknown one silently', () => {
    let checkedAgainstPendingOrBatch = 0;
    let allowedUnknown = 0;
    battery((o) => {
      const limits = o.book.limits;
      if (!limits.correlationCheckEnabled || o.approved.length === 0) return;
      const held = new Set([
        ...o.book.positions.map((p) => p.symbol),
        ...o.book.foreign.map((f) => f.symbol),
        ...o.book.pending.map((e) => e.symbol),
      ]);
      let earlier = 0;
      for (const d of o.decisions) {
        if (!d.approved) continue;
        for (const h of held) {
          const mine = CLOSES[d.symbol];
          const theirs = CLOSES[h];
          const r = mine && theirs ? datedCorrelation(mine, theirs).r : null;
          if (r !== null) {
            assert(
              r <= limits.maxCorrelation,
              () => `${d.symbol} approved at r ${r} with ${h} > ${limits.maxCorrelation}`,
            );
          } else {
            assert(
              limits.correlationMissingData === 'allow' &&
                d.reasons.some(
                  (x) => x.startsWith(`correlation with ${h} unknown`) && x.endsWith('missing_data: allow'),
                ),
              () =>
                `${d.symbol} approved with an unknown correlation with ${h} (${limits.correlationMissingData})`,
            );
            allowedUnknown++;
          }
        }
        if (o.book.pending.length > 0 || earlier > 0) checkedAgainstPendingOrBatch++;
        held.add(d.symbol);
        earlier++;
      }
    });
    expect(checkedAgainstPendingOrBatch).toBeGreaterThan(200);
    expect(allowedUnknown).toBeGreaterThan(200);
  });
});

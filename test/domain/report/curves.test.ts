/**
 * The fill timeline, the realized equity curve with its intraday drawdown, and the exposure curve:
 * each point from the fills, ending where the trades' total does.
 */
import { describe, expect, it } from 'vitest';
import { equityCurve } from '../../../src/domain/report/equityCurve';
import { exposureCurve } from '../../../src/domain/report/exposureCurve';
import { fillTimeline } from '../../../src/domain/report/fillTimeline';
import { bracket, exitOrder, fillLeg, ny } from './reportKit';

describe('equity and exposure curves', () => {
  it('no fills: no points, no drawdown, no exposure', () => {
    const timeline = fillTimeline([]);
    expect(equityCurve(timeline)).toEqual({ points: [], maxIntradayDrawdown: '0.00' });
    expect(exposureCurve(timeline)).toEqual({ points: [], peakExposure: '0.00' });
  });

  it('peak to trough of the realized curve, and exposure at each fill', () => {
    const a = bracket({
      symbol: 'AAA',
      cycle: 1,
      qty: 10,
      entryPrice: '10',
      at: '09:36',
      stop: '9',
      target: '13',
    });
    const b = bracket({
      symbol: 'BBB',
      cycle: 1,
      qty: 5,
      entryPrice: '20',
      at: '09:37',
      stop: '18',
      target: '25',
    });
    const c = bracket({
      symbol: 'CCC',
      cycle: 2,
      qty: 4,
      entryPrice: '50',
      at: '10:05',
      stop: '45',
      target: '60',
    });
    const orders = [
      a.entry,
      fillLeg(a.target, 10, '13', '10:00'), // +30
      b.entry,
      fillLeg(b.stop, 5, '17.5', '10:30'), // −12.50 → 17.50
      c.entry,
      exitOrder({ symbol: 'CCC', cycle: 2, qty: 4, price: '40', at: '15:50' }), // −40 → −22.50
    ];
    const timeline = fillTimeline(orders);
    const curve = equityCurve(timeline);
    expect(curve.points.map((p) => [p.symbol, p.pnl, p.equity, p.drawdown])).toEqual([
      ['AAA', '30.00', '30.00', '0.00'],
      ['BBB', '-12.50', '17.50', '12.50'],
      ['CCC', '-40.00', '-22.50', '52.50'],
    ]);
    expect(curve.maxIntradayDrawdown).toBe('52.50');

    const exposure = exposureCurve(timeline);
    expect(exposure.points.map((p) => [p.at, p.openNotional, p.openPositions])).toEqual([
      [ny('09:36'), '100.00', 1],
      [ny('09:37'), '200.00', 2],
      [ny('10:00'), '100.00', 1],
      [ny('10:05'), '300.00', 2],
      [ny('10:30'), '200.00', 1],
      [ny('15:50'), '0.00', 0],
    ]);
    expect(exposure.peakExposure).toBe('300.00');
  });

  it("each day's drawdown is measured from that day's own peak", () => {
    const mon = '2026-11-23';
    const tue = '2026-11-24';
    const a = bracket({
      symbol: 'AAA',
      cycle: 1,
      qty: 1,
      entryPrice: '10',
      at: '09:36',
      stop: '9',
      target: '110',
      date: mon,
    });
    const b = bracket({
      symbol: 'BBB',
      cycle: 1,
      qty: 1,
      entryPrice: '10',
      at: '09:36',
      stop: '5',
      target: '20',
      date: tue,
    });
    const b2 = bracket({
      symbol: 'CCC',
      cycle: 2,
      qty: 1,
      entryPrice: '10',
      at: '10:05',
      stop: '5',
      target: '20',
      date: tue,
    });
    const curve = equityCurve(
      fillTimeline([
        a.entry,
        fillLeg(a.target, 1, '110', '10:00', mon), // Monday +100
        b.entry,
        fillLeg(b.stop, 1, '5', '10:00', tue), // Tuesday −5 from Monday's close of 100
        b2.entry,
        fillLeg(b2.target, 1, '20', '11:00', tue), // +10
      ]),
    );
    expect(curve.points.map((p) => [p.tradingDate, p.equity, p.drawdown])).toEqual([
      [mon, '100.00', '0.00'],
      [tue, '95.00', '5.00'],
      [tue, '105.00', '0.00'],
    ]);
    expect(curve.maxIntradayDrawdown).toBe('5.00');
  });

  it('a partly filled entry counts the shares it bought', () => {
    const a = bracket({
      symbol: 'AAA',
      cycle: 1,
      qty: 10,
      filled: 4,
      entryPrice: '10',
      at: '09:36',
      stop: '9',
      target: '11',
    });
    const timeline = fillTimeline([a.entry]);
    expect(exposureCurve(timeline).points.map((p) => p.openNotional)).toEqual(['40.00']);
  });
});

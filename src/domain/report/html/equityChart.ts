/**
 * The realized equity curve as a step line over the session (it moves only when a sell fills),
 * with the fall below each day's running peak shaded, and the open exposure beneath it on the
 * same time axis: what was at risk while the curve moved.
 */
import { microsToNumber, toMicros } from '../../money';
import type { DailyReport, EquityPoint } from '../reportTypes';
import { linearScale, sessionAxis, type SessionAxis } from './chartScale';
import { COLOURS, axisUsd, esc, nyTime, px, usd } from './html';

const WIDTH = 960;
const LEFT = 78;
const RIGHT = 16;
const EQUITY_HEIGHT = 280;
const EXPOSURE_HEIGHT = 120;

const amount = (decimal: string): number => microsToNumber(toMicros(decimal));

function hourTicks(axis: SessionAxis, top: number, bottom: number): string {
  const marks: string[] = [];
  const oneDay = axis.dates.length === 1;
  for (const date of axis.dates) {
    marks.push(
      `<line class="grid" x1="${px(axis.openOf(date))}" x2="${px(axis.openOf(date))}" y1="${top}" y2="${bottom}"/>`,
    );
    if (oneDay) {
      for (const hhmm of ['10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']) {
        const x = axis.at(date, hhmm);
        if (x > axis.closeOf(date) + 0.5 || x <= axis.openOf(date)) continue;
        marks.push(
          `<line class="grid" x1="${px(x)}" x2="${px(x)}" y1="${top}" y2="${bottom}"/>`,
          `<text class="tick" x="${px(x)}" y="${bottom + 16}" text-anchor="middle">${hhmm}</text>`,
        );
      }
    } else {
      const mid = (axis.openOf(date) + axis.closeOf(date)) / 2;
      marks.push(
        `<text class="tick" x="${px(mid)}" y="${bottom + 16}" text-anchor="middle">${esc(date.slice(5))}</text>`,
      );
    }
  }
  return marks.join('');
}

function valueTicks(ticks: number[], y: (v: number) => number, format: (v: number) => string): string {
  return ticks
    .map(
      (t) =>
        `<line class="${t === 0 ? 'zero' : 'grid'}" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(t))}" y2="${px(y(t))}"/>` +
        `<text class="tick" x="${LEFT - 8}" y="${px(y(t) + 4)}" text-anchor="end">${esc(format(t))}</text>`,
    )
    .join('');
}

/** Points by trading date, in order. */
function byDay(points: readonly EquityPoint[]): Map<string, EquityPoint[]> {
  const days = new Map<string, EquityPoint[]>();
  for (const p of points) days.set(p.tradingDate, [...(days.get(p.tradingDate) ?? []), p]);
  return days;
}

export function renderEquityChart(report: DailyReport): string {
  const dates = [...report.days.map((d) => d.tradingDate), ...report.equityCurve.map((p) => p.tradingDate)];
  if (dates.length === 0) dates.push(report.from);
  const axis = sessionAxis(dates, LEFT, WIDTH - RIGHT);
  const top = 14;
  const bottom = EQUITY_HEIGHT - 28;
  const values = report.equityCurve.flatMap((p) => [amount(p.equity), amount(p.equity) + amount(p.drawdown)]);
  const y = linearScale(values, bottom, top);

  // The step line: flat until a sell fills, then a jump; it starts at zero on the first open.
  let start = 0;
  const line: string[] = [];
  const areas: string[] = [];
  for (const [date, points] of byDay(report.equityCurve)) {
    let x = axis.openOf(date);
    let equity = start;
    line.push(`M${px(x)},${px(y(equity))}`);
    const area: string[] = [];
    points.forEach((p, i) => {
      const px1 = axis.x(p.at, date);
      line.push(`H${px(px1)}`, `V${px(y(amount(p.equity)))}`);
      x = px1;
      equity = amount(p.equity);
      const drawdown = amount(p.drawdown);
      const next = points[i + 1];
      const until = next ? axis.x(next.at, date) : axis.closeOf(date);
      if (drawdown > 0 && until > x)
        area.push(`M${px(x)},${px(y(equity + drawdown))}H${px(until)}V${px(y(equity))}H${px(x)}Z`);
    });
    line.push(`H${px(axis.closeOf(date))}`);
    start = equity;
    if (area.length > 0)
      areas.push(`<path class="drawdown-area" fill="${COLOURS.drawdown}" d="${area.join('')}"/>`);
  }
  const marks = report.equityCurve
    .map(
      (p) =>
        `<circle class="equity-point ${amount(p.pnl) >= 0 ? 'win' : 'loss'}" cx="${px(axis.x(p.at, p.tradingDate))}" cy="${px(y(amount(p.equity)))}" r="3.5">` +
        `<title>${esc(`${nyTime(p.at)} ${p.symbol}: ${usd(p.pnl, { signed: true })} → ${usd(p.equity, { signed: true })}`)}</title></circle>`,
    )
    .join('');
  const equitySvg =
    `<svg class="chart equity-chart" viewBox="0 0 ${WIDTH} ${EQUITY_HEIGHT}" role="img" aria-label="Realized equity curve">` +
    valueTicks(y.ticks, y, axisUsd) +
    hourTicks(axis, top, bottom) +
    areas.join('') +
    (report.equityCurve.length > 0
      ? `<path class="equity-line" fill="none" stroke="${COLOURS.accent}" stroke-width="2.5" stroke-linejoin="round" d="${line.join('')}"/>`
      : `<text class="empty-note" x="${WIDTH / 2}" y="${top + 36}" text-anchor="middle">no trades closed: the curve stays at zero</text>`) +
    marks +
    `</svg>`;

  const exposureValues = report.exposure.map((p) => amount(p.openNotional));
  const eTop = 10;
  const eBottom = EXPOSURE_HEIGHT - 26;
  const ey = linearScale(exposureValues, eBottom, eTop);
  const exposurePaths: string[] = [];
  const exposureByDay = new Map<string, typeof report.exposure>();
  for (const p of report.exposure)
    exposureByDay.set(p.tradingDate, [...(exposureByDay.get(p.tradingDate) ?? []), p]);
  for (const [date, points] of exposureByDay) {
    const d = [`M${px(axis.openOf(date))},${px(ey(0))}`];
    for (const p of points) d.push(`H${px(axis.x(p.at, date))}`, `V${px(ey(amount(p.openNotional)))}`);
    d.push(`H${px(axis.closeOf(date))}`, `V${px(ey(0))}Z`);
    exposurePaths.push(
      `<path class="exposure-area" fill="${COLOURS.exposure}" fill-opacity="0.35" stroke="${COLOURS.exposure}" d="${d.join('')}"/>`,
    );
  }
  const exposureSvg =
    `<svg class="chart exposure-chart" viewBox="0 0 ${WIDTH} ${EXPOSURE_HEIGHT}" role="img" aria-label="Open exposure">` +
    valueTicks([ey.ticks[0]!, ey.ticks.at(-1)!], ey, axisUsd) +
    hourTicks(axis, eTop, eBottom) +
    exposurePaths.join('') +
    `</svg>`;
  return (
    equitySvg +
    `<h3>Open exposure (cost of the shares held)</h3>` +
    (report.exposure.length > 0 ? exposureSvg : `<p class="empty">Nothing was held.</p>`)
  );
}

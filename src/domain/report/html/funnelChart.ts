/**
 * The funnel: the range's totals per stage, then every cycle as a column of centred bars narrowing
 * from the universe to the orders. Counts span three orders of magnitude (4,000 → 3), so widths
 * are logarithmic and the count is written on each bar.
 */
import { FUNNEL_STAGES } from '../funnelStats';
import type { CycleReport, FunnelStage, FunnelStageTotal } from '../reportTypes';
import { duration, esc, nyTime, px } from './html';

const WIDTH = 960;
const STAGE_LABEL = 120;
const ROW = 22;
const CYCLES_PER_BLOCK = 12;
/** A block of few cycles still gets columns no wider than this many would. */
const MIN_COLUMNS = 8;

export const STAGE_NAMES: Readonly<Record<FunnelStage, string>> = {
  universe: 'universe',
  scanned: 'scanned',
  news: 'news',
  patterns: 'patterns',
  technical: 'technical',
  scored: 'scored',
  risk_approved: 'risk approved',
  orders: 'orders',
};

const STAGE_COLOURS = [
  '#c5cdf6',
  '#aab6f2',
  '#8f9fee',
  '#7488ea',
  '#5a71e5',
  '#4a5fd0',
  '#2f9e6e',
  '#1f7f55',
];

/** A count's share of the widest bar on a log scale; a zero keeps a sliver so every stage has its mark. */
function logWidth(count: number, max: number, full: number): number {
  if (count <= 0) return 2;
  return Math.max(4, (Math.log10(count + 1) / Math.log10(Math.max(max, 1) + 1)) * full);
}

const stageColour = (i: number): string => STAGE_COLOURS[i] ?? STAGE_COLOURS.at(-1)!;

function renderTotals(totals: readonly FunnelStageTotal[], cycles: number): string {
  const max = Math.max(1, ...totals.map((t) => t.total));
  const barArea = WIDTH - STAGE_LABEL - 200;
  const height = totals.length * ROW + 12;
  const rows = totals
    .map((t, i) => {
      const y = 6 + i * ROW;
      const w = logWidth(t.total, max, barArea);
      return (
        `<text class="stage-label" x="${STAGE_LABEL - 10}" y="${y + 15}" text-anchor="end">${esc(STAGE_NAMES[t.stage])}</text>` +
        `<rect class="funnel-total-bar" x="${STAGE_LABEL}" y="${y + 2}" width="${px(w)}" height="${ROW - 6}" rx="3" fill="${stageColour(i)}"/>` +
        `<text class="funnel-count" x="${px(STAGE_LABEL + w + 8)}" y="${y + 15}">${esc(t.total.toLocaleString('en-US'))}` +
        `<tspan class="muted"> · ${esc(t.perCycle.toLocaleString('en-US'))} per cycle</tspan></text>`
      );
    })
    .join('');
  return (
    `<svg class="chart funnel-totals" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Funnel totals over ${cycles} cycles">` +
    rows +
    `</svg>`
  );
}

function renderCycleBlock(cycles: readonly CycleReport[], showDate: boolean): string {
  const column = (WIDTH - STAGE_LABEL) / Math.max(MIN_COLUMNS, cycles.length);
  const header = 44;
  const height = header + FUNNEL_STAGES.length * ROW + 8;
  const labels = FUNNEL_STAGES.map(
    (stage, i) =>
      `<text class="stage-label" x="${STAGE_LABEL - 10}" y="${header + i * ROW + 15}" text-anchor="end">${esc(STAGE_NAMES[stage])}</text>`,
  ).join('');
  const columns = cycles
    .map((c, ci) => {
      const cx = STAGE_LABEL + ci * column + column / 2;
      const funnel = c.funnel;
      const max = funnel ? Math.max(1, ...FUNNEL_STAGES.map((s) => funnel[s] ?? 0)) : 1;
      const title =
        `<text class="cycle-label" x="${px(cx)}" y="14" text-anchor="middle">${esc(`c${String(c.cycleNumber).padStart(2, '0')}`)}</text>` +
        `<text class="cycle-time" x="${px(cx)}" y="28" text-anchor="middle">${esc(showDate ? `${c.tradingDate.slice(5)} ${nyTime(c.marketTime)}` : nyTime(c.marketTime))}</text>` +
        `<text class="cycle-duration" x="${px(cx)}" y="40" text-anchor="middle">${esc(duration(c.durationSeconds))}</text>`;
      if (!funnel)
        return (
          title +
          `<text class="cycle-failed" x="${px(cx)}" y="${header + 40}" text-anchor="middle">${esc(c.status)}</text>`
        );
      const bars = FUNNEL_STAGES.map((stage, i) => {
        const count = funnel[stage] ?? 0;
        const w = logWidth(count, max, column - 8);
        const y = header + i * ROW;
        return (
          `<rect class="funnel-bar stage-${stage}${count === 0 ? ' zero' : ''}" x="${px(cx - w / 2)}" y="${y + 2}" width="${px(w)}" height="${ROW - 6}" rx="2" fill="${count === 0 ? '#e4e7ee' : stageColour(i)}">` +
          `<title>${esc(`cycle ${c.cycleNumber}, ${STAGE_NAMES[stage]}: ${count}`)}</title></rect>` +
          `<text class="funnel-count" x="${px(cx)}" y="${y + 14}" text-anchor="middle">${esc(count.toLocaleString('en-US'))}</text>`
        );
      }).join('');
      return title + bars;
    })
    .join('');
  return (
    `<svg class="chart funnel-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Funnel per cycle">` +
    labels +
    columns +
    `</svg>`
  );
}

export function renderFunnelChart(
  totals: readonly FunnelStageTotal[],
  cycles: readonly CycleReport[],
): string {
  if (cycles.length === 0) return `<p class="empty">No cycles recorded.</p>`;
  const counted = cycles.filter((c) => c.funnel !== null).length;
  const showDate = new Set(cycles.map((c) => c.tradingDate)).size > 1;
  const blocks: string[] = [];
  for (let i = 0; i < cycles.length; i += CYCLES_PER_BLOCK)
    blocks.push(renderCycleBlock(cycles.slice(i, i + CYCLES_PER_BLOCK), showDate));
  return renderTotals(totals, counted) + `<h3>Per cycle</h3>` + blocks.join('');
}

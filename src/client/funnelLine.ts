import type { CycleFunnel } from '../workflows/messages';

/** "4125 symbols → 200 scanned → 35 news → 20 patterns → 10 technical → 4 scored → 3 approved → 3 orders" */
export function funnelLine(f: CycleFunnel): string {
  return [
    `${f.universe} symbols`,
    `${f.scanned} scanned`,
    `${f.news} news`,
    `${f.patterns} patterns`,
    `${f.technical} technical`,
    `${f.scored} scored`,
    `${f.riskApproved} approved`,
    `${f.ordersPlaced} orders`,
  ].join(' → ');
}

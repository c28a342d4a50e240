/**
 * Which fills come up short, and by how much: about `rate` of an order's first fills, drawn
 * from the seeded RNG keyed by the order's draw key and the fill's market instant, so the
 * outcome never depends on when (in wall-clock time) anybody asked. An order falls short at
 * most once; its remainder fills whole at a later minute (or is cancelled, for ioc).
 *
 * Partial quantities come in lots of qty / gcd(qty, micro-units per tick). Every fill's
 * notional is then a multiple of qty micro-dollars, so filled_avg_price × filled_qty equals
 * the cash that moved exactly, in micro-units, however the fills were priced. The price of
 * that exactness: quantities with no factor in common with 10,000 (e.g. 7, 13, 37) never
 * fill partially.
 */
import { createRng } from '../market/rng';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The smallest quantity a partial fill of an order for `qty` may be counted in. */
export function partialLot(qty: number, microsPerUnit: bigint): number {
  return qty / gcd(qty, Number(microsPerUnit));
}

export class PartialFills {
  constructor(
    private readonly seed: number,
    private readonly rate: number,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new Error(`partialFillRate must be within [0, 1], got ${rate}`);
  }

  /**
   * The quantity a first fill of `remaining` shares (order size `qty`) gets at instant `t`:
   * `remaining` itself, or fewer when this fill comes up short.
   */
  fillQty(drawKey: string, t: number, qty: number, remaining: number, microsPerUnit: bigint): number {
    if (remaining !== qty || this.rate === 0) return remaining;
    const lot = partialLot(qty, microsPerUnit);
    const lots = qty / lot;
    if (lots < 2) return remaining;
    const rng = createRng(this.seed, 'partial-fill', drawKey, t);
    if (rng.next() >= this.rate) return remaining;
    return lot * (1 + rng.int(lots - 1));
  }
}

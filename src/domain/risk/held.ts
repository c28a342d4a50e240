/**
 * What the account already holds or is about to: its positions (Catalyst's and others'), Catalyst's
 * pending entries and this batch's approvals. Concentration limits (sector, correlation) are judged
 * against all of it, since each will be exposure once the orders fill.
 */
import type { Micros } from '../money';

export interface Held {
  symbol: string;
  sector: string;
  /** Absolute market value, or the unfilled notional of an entry. */
  exposure: Micros;
  /** Dated returns for the correlation check; null when no closes are known. */
  returns: ReadonlyMap<string, number> | null;
}

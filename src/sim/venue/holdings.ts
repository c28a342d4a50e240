/**
 * Shares the account holds before the first simulated session (`SimulatorOptions.holdings`), so
 * tests can start from an account that is not flat: what a restart after an overnight hold meets.
 *
 * Spec: SYMBOL:QTY[,SYMBOL:QTY…], whole positive quantities of known tradable symbols, each
 * symbol once, e.g. "AAPL:100,MSFT:25". They were bought at the close before session 0, so they
 * are not day trades when sold, and the day's P&L starts from that close.
 */
import type { Universe } from '../market/universe';

export interface Holding {
  symbol: string;
  qty: number;
}

export const HOLDINGS_SYNTAX = 'SYMBOL:QTY[,SYMBOL:QTY…], e.g. AAPL:100,MSFT:25';

export class HoldingsError extends Error {
  constructor(spec: string, problem: string) {
    super(`invalid holdings ${JSON.stringify(spec)}: ${problem} (syntax: ${HOLDINGS_SYNTAX})`);
    this.name = 'HoldingsError';
  }
}

/** Parses and checks a holdings spec; '' or undefined = none. Throws HoldingsError. */
export function parseHoldings(spec: string | undefined, universe: Universe): Holding[] {
  const text = (spec ?? '').trim();
  if (text === '') return [];
  const out: Holding[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const fail = (problem: string): never => {
      throw new HoldingsError(text, `part ${JSON.stringify(part)}: ${problem}`);
    };
    if (part === '') fail('empty part');
    const m = /^([A-Za-z][A-Za-z0-9.]*):(\S+)$/.exec(part);
    if (!m) return fail('expected SYMBOL:QTY');
    const symbol = m[1]!.toUpperCase();
    if (!/^\d+$/.test(m[2]!)) fail(`quantity ${JSON.stringify(m[2])} is not a whole number`);
    const qty = Number(m[2]);
    if (!Number.isSafeInteger(qty) || qty < 1) fail(`quantity ${m[2]} must be a whole number of at least 1`);
    const asset = universe.bySymbol.get(symbol);
    if (!asset) fail(`unknown symbol ${symbol}`);
    if (!asset!.tradable) fail(`${symbol} is not tradable`);
    if (out.some((h) => h.symbol === symbol)) fail(`${symbol} is listed twice`);
    out.push({ symbol, qty });
  }
  return out;
}

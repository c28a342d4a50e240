/**
 * Deterministic broker `client_order_id`s. The id is derived only from what the workflow already
 * knows (date, cycle, symbol, leg, attempt), so an activity retry produces the same id and the
 * broker's uniqueness check (HTTP 422) turns a duplicate submission into a lookup of the first order.
 *
 * Format: `cat-YYYYMMDD-cNN-SYMBOL-leg[-aN]`, e.g. `cat-20261124-c03-AAPL-entry`, `cat-20261124-c03-BRK.B-exit-a2`.
 * '-' separates fields, so any character outside [A-Za-z0-9.] inside the symbol or leg (including '-'
 * and '_') is escaped as `_XX` (hex of each UTF-8 byte). The encoding is therefore injective, and
 * `parseClientOrderId` inverts it exactly.
 */
export type OrderLeg = 'entry' | 'exit' | 'flatten' | (string & {});

export interface ClientOrderIdParts {
  tradingDate: string; // YYYY-MM-DD
  cycle: number;
  symbol: string;
  leg: OrderLeg;
  attempt?: number;
}

export const CLIENT_ORDER_ID_PREFIX = 'cat';
/** Alpaca's limit on client_order_id length. */
export const CLIENT_ORDER_ID_MAX_LENGTH = 48;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ID = /^cat-(\d{8})-c(\d{2,})-([A-Za-z0-9._]+)-([A-Za-z0-9._]+)(?:-a(\d+))?$/;

export function clientOrderId(parts: ClientOrderIdParts): string {
  const { tradingDate, cycle, symbol, leg, attempt } = parts;
  const date = DATE.exec(tradingDate);
  if (!date || !isCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
    throw new RangeError(
      `clientOrderId: tradingDate must be a YYYY-MM-DD date (got ${JSON.stringify(tradingDate)})`,
    );
  }
  if (!Number.isSafeInteger(cycle) || cycle < 0) {
    throw new RangeError(`clientOrderId: cycle must be a non-negative integer (got ${cycle})`);
  }
  if (attempt !== undefined && (!Number.isSafeInteger(attempt) || attempt < 0)) {
    throw new RangeError(`clientOrderId: attempt must be a non-negative integer (got ${attempt})`);
  }
  if (symbol.length === 0) throw new RangeError('clientOrderId: symbol must not be empty');
  if (leg.length === 0) throw new RangeError('clientOrderId: leg must not be empty');

  const id = [
    CLIENT_ORDER_ID_PREFIX,
    `${date[1]}${date[2]}${date[3]}`,
    `c${String(cycle).padStart(2, '0')}`,
    escapeField(symbol),
    escapeField(leg),
    ...(attempt === undefined ? [] : [`a${attempt}`]),
  ].join('-');
  // Truncating or hashing would make two orders share an id (or lose the inverse); refuse instead.
  if (id.length > CLIENT_ORDER_ID_MAX_LENGTH) {
    throw new RangeError(
      `clientOrderId: ${JSON.stringify(id)} is ${id.length} characters, over the broker's limit of ${CLIENT_ORDER_ID_MAX_LENGTH}`,
    );
  }
  return id;
}

/** The parts of an id made by `clientOrderId`, or null for any other id (manual orders, other systems). */
export function parseClientOrderId(id: string): ClientOrderIdParts | null {
  const m = ID.exec(id);
  if (!m) return null;
  const [, ymd, cycleText, symbolText, legText, attemptText] = m;
  const symbol = unescapeField(symbolText!);
  const leg = unescapeField(legText!);
  if (symbol === null || leg === null) return null;
  const parts: ClientOrderIdParts = {
    tradingDate: `${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6, 8)}`,
    cycle: Number(cycleText),
    symbol,
    leg,
    ...(attemptText === undefined ? {} : { attempt: Number(attemptText) }),
  };
  // Only canonical spellings are ours (e.g. not `c003` or `a01`): re-encoding must give the same id.
  try {
    return clientOrderId(parts) === id ? parts : null;
  } catch {
    return null;
  }
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

const PLAIN = /[A-Za-z0-9.]/;

function escapeField(text: string): string {
  let out = '';
  for (const ch of text) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of utf8Bytes(ch)) out += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function unescapeField(text: string): string | null {
  if (/_(?![0-9A-F]{2})/.test(text)) return null;
  try {
    return decodeURIComponent(text.replace(/_/g, '%'));
  } catch {
    return null;
  }
}

// encodeURIComponent is the UTF-8 encoder available in every runtime, including the workflow sandbox.
function utf8Bytes(ch: string): number[] {
  const encoded = encodeURIComponent(ch);
  if (!encoded.includes('%')) return [ch.charCodeAt(0)];
  return encoded
    .split('%')
    .slice(1)
    .map((hex) => parseInt(hex, 16));
}

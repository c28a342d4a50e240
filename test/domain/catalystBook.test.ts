/**
 * Catalyst's book inside a shared account. The property tests build whole accounts — shares held
 * before the day, Catalyst's brackets in every state (unfilled, partly filled, filled, closed by a
 * leg or by an exit), orders placed by hand, Catalyst's orders of another day, shares sold by hand —
 * and check the book against figures computed here from the same facts, by simpler means (a FIFO
 * queue of shares, plain sums), never by calling the code under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalystBook, isFlat, type BookOrder, type BookPosition } from '../../src/domain/positions';
import { bracket, catId, DATE, dollars, filled, order, OTHER_DATE, position, T, withLeg } from './bookKit';

type ExitKind = 'none' | 'take_profit' | 'stop_loss' | 'exit' | 'exit_working';

interface LotSpec {
  qty: number;
  /** Shares the entry filled, 0..qty. */
  filled: number;
  /** For an entry not completely filled: still working, or cancelled. */
  stillOpen: boolean;
  entryCents: number;
  exit: ExitKind;
  /** Share of the filled shares the exit sold, in percent. */
  exitPct: number;
  exitCents: number;
}

interface ManualSpec {
  side: 'buy' | 'sell';
  qty: number;
  state: 'filled' | 'open' | 'canceled';
  cents: number;
}

interface SymbolSpec {
  /** Shares held before the day (not Catalyst's); halfShare adds 0.5 (fractional shares bought by hand). */
  preHeld: number;
  halfShare: boolean;
  lots: LotSpec[];
  manual: ManualSpec[];
  /** A Catalyst bracket of another day, still open. */
  otherDay: boolean;
  /** Shares a person sold by hand at the end (capped at what the account holds). */
  soldByHand: number;
  priceCents: number;
}

const cents = fc.integer({ min: 100, max: 50_000 });
const lotArb: fc.Arbitrary<LotSpec> = fc
  .record({
    qty: fc.integer({ min: 1, max: 60 }),
    filledPct: fc.constantFrom(0, 30, 50, 100, 100, 100),
    stillOpen: fc.boolean(),
    entryCents: cents,
    exit: fc.constantFrom<ExitKind>('none', 'take_profit', 'stop_loss', 'exit', 'exit_working'),
    exitPct: fc.constantFrom(0, 40, 100, 100),
    exitCents: cents,
  })
  .map(({ filledPct, ...l }) => ({ ...l, filled: Math.floor((l.qty * filledPct) / 100) }));
const manualArb: fc.Arbitrary<ManualSpec> = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  qty: fc.integer({ min: 1, max: 40 }),
  state: fc.constantFrom<ManualSpec['state']>('filled', 'open', 'canceled'),
  cents,
});
const symbolArb: fc.Arbitrary<SymbolSpec> = fc.record({
  preHeld: fc.constantFrom(0, 0, 7, 100),
  halfShare: fc.boolean(),
  lots: fc.array(lotArb, { maxLength: 4 }),
  manual: fc.array(manualArb, { maxLength: 3 }),
  otherDay: fc.boolean(),
  soldByHand: fc.constantFrom(0, 0, 3, 1000),
  priceCents: cents,
});
const SYMBOLS = ['AAA', 'BRK.B', 'CCC'];
const accountArb = fc.tuple(...SYMBOLS.map(() => symbolArb));

interface Expected {
  openQty: number;
  accountMicros: bigint;
  ourOpenOrders: number;
  foreignOpenOrders: number;
  realizedCents: bigint;
  unrealizedCents: bigint;
  /** The account holds fewer shares than Catalyst's own fills left it (some were sold by hand). */
  handSold: boolean;
}

const SHARE = 1_000_000n;
const isOpen = (s: string) => ['new', 'held', 'partially_filled'].includes(s);

/** Orders and positions for one symbol, and what the book must say about it. */
function buildSymbol(
  sym: string,
  s: SymbolSpec,
): { orders: BookOrder[]; pos: BookPosition | null; exp: Expected } {
  const orders: BookOrder[] = [];
  const queue: { qty: number; cents: number }[] = [];
  let realized = 0n;
  let catalystNet = 0;
  s.lots.forEach((l, i) => {
    const cycle = i + 1;
    const at = 20 * i + 1;
    const price = dollars(l.entryCents);
    const stop = dollars(Math.max(1, l.entryCents - 50));
    const target = dollars(l.entryCents + 50);
    const complete = l.filled === l.qty;
    const entryStatus = complete
      ? 'filled'
      : l.stillOpen
        ? l.filled > 0
          ? 'partially_filled'
          : 'new'
        : 'canceled';
    let entry = bracket({
      symbol: sym,
      cycle,
      qty: l.qty,
      filledQty: l.filled,
      price,
      status: entryStatus,
      stop,
      target,
      at,
      legStatus: complete ? 'new' : l.stillOpen ? 'held' : 'canceled',
    });
    if (l.filled > 0) queue.push({ qty: l.filled, cents: l.entryCents });
    catalystNet += l.filled;

    const exitQty = Math.floor((l.filled * l.exitPct) / 100);
    const byLeg = (l.exit === 'take_profit' || l.exit === 'stop_loss') && complete && exitQty > 0;
    const sold = byLeg || (l.exit === 'exit' && exitQty > 0) ? exitQty : 0;
    if (byLeg) {
      const type = l.exit === 'take_profit' ? 'limit' : 'stop';
      const other = type === 'limit' ? 'stop' : 'limit';
      const all = exitQty === l.qty;
      entry = withLeg(entry, type, {
        status: all ? 'filled' : 'partially_filled',
        filledQty: String(exitQty),
        filledAvgPrice: dollars(l.exitCents),
        filledAt: T(at + 5),
      });
      entry = withLeg(entry, other, { status: all ? 'canceled' : 'new' });
      orders.push(entry);
    } else if ((l.exit === 'exit' || l.exit === 'exit_working') && l.filled > 0) {
      // Catalyst's flatten: its entry and legs cancelled, then one market sell.
      entry = {
        ...entry,
        status: complete ? 'filled' : 'canceled',
        legs: entry.legs.map((g) => ({ ...g, status: 'canceled' })),
      };
      orders.push(entry);
      const exit = {
        symbol: sym,
        side: 'sell' as const,
        clientOrderId: catId(sym, cycle, 'exit', 1),
        qty: String(l.filled),
      };
      if (l.exit === 'exit' && exitQty > 0) orders.push(filled(exit, exitQty, dollars(l.exitCents), at + 5));
      else orders.push(order({ ...exit, createdAt: T(at + 5) }));
    } else orders.push(entry);

    if (sold > 0) {
      catalystNet -= sold;
      let left = sold;
      realized += BigInt(sold * l.exitCents);
      while (left > 0) {
        const head = queue[0]!;
        const q = Math.min(left, head.qty);
        realized -= BigInt(q * head.cents);
        head.qty -= q;
        left -= q;
        if (head.qty === 0) queue.shift();
      }
    }
  });

  // Orders by hand: their fills move the account, never Catalyst's book.
  let manualNet = 0;
  s.manual.forEach((m, i) => {
    const base = { symbol: sym, side: m.side, qty: String(m.qty), clientOrderId: `manual-${sym}-${i}` };
    if (m.state === 'filled') {
      const available = s.preHeld + catalystNet + manualNet;
      if (m.side === 'sell' && m.qty > available) return; // no shorting
      manualNet += m.side === 'buy' ? m.qty : -m.qty;
      orders.push(filled(base, m.qty, dollars(m.cents), 3 + i));
    } else {
      orders.push(
        order({
          ...base,
          type: 'limit',
          limitPrice: dollars(m.cents),
          status: m.state === 'open' ? 'new' : 'canceled',
        }),
      );
    }
  });
  if (s.otherDay)
    orders.push(
      bracket({
        symbol: sym,
        cycle: 1,
        tradingDate: OTHER_DATE,
        qty: 5,
        filledQty: 0,
        stop: '1.00',
        target: '2.00',
        price: '1.50',
      }),
    );

  const beforeHand = s.preHeld + catalystNet + manualNet;
  const handSold = Math.min(s.soldByHand, beforeHand);
  const accountMicros = BigInt(beforeHand - handSold) * SHARE + (s.halfShare ? SHARE / 2n : 0n);
  const pos =
    accountMicros === 0n ? null : position(sym, accountQtyText(accountMicros), dollars(s.priceCents));
  const openQty = queue.reduce((n, q) => n + q.qty, 0);
  const ours = orders.filter((o) => o.clientOrderId.startsWith('cat-20261124-'));
  const theirs = orders.filter((o) => !ours.includes(o));
  const openCount = (list: BookOrder[]) =>
    list.flatMap((o) => [o, ...o.legs]).filter((o) => isOpen(o.status)).length;
  const unrealized = pos
    ? queue.reduce((sum, q) => sum + BigInt(q.qty) * BigInt(s.priceCents - q.cents), 0n)
    : 0n;
  return {
    orders,
    pos,
    exp: {
      openQty,
      accountMicros,
      ourOpenOrders: openCount(ours),
      foreignOpenOrders: openCount(theirs),
      realizedCents: realized,
      unrealizedCents: unrealized,
      handSold: accountMicros < BigInt(openQty) * SHARE,
    },
  };
}

const accountQtyText = (micros: bigint): string =>
  micros % SHARE === 0n ? String(micros / SHARE) : `${micros / SHARE}.5`;

function buildAccount(specs: SymbolSpec[]) {
  const built = SYMBOLS.map((sym, i) => ({ sym, ...buildSymbol(sym, specs[i]!) }));
  // The broker lists orders oldest first across symbols; the book must not care about the order.
  const orders = built.flatMap((b) => b.orders).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  const positions = built.flatMap((b) => (b.pos ? [b.pos] : []));
  return { built, orders, positions };
}

describe('catalystBook: what is Catalyst’s in a shared account', () => {
  it('holds exactly the shares its own fills leave, closes no more than the account holds, and reports the rest as foreign', () => {
    fc.assert(
      fc.property(accountArb, (specs) => {
        const { built, orders, positions } = buildAccount(specs);
        const book = catalystBook({ orders, positions, tradingDate: DATE });
        for (const { sym, exp } of built) {
          const h = book.holdings.find((x) => x.symbol === sym);
          const whole = Number(exp.accountMicros / SHARE);
          if (exp.openQty > 0 || exp.ourOpenOrders > 0) {
            expect(h, sym).toBeDefined();
            expect(h!.openQty, sym).toBe(exp.openQty);
            expect(h!.closableQty, sym).toBe(Math.max(0, Math.min(exp.openQty, whole)));
            expect(h!.accountQty, sym).toBe(
              exp.accountMicros === 0n ? '0' : accountQtyText(exp.accountMicros),
            );
          } else expect(h, sym).toBeUndefined();

          const foreign = book.foreignPositions.find((p) => p.symbol === sym);
          const rest = exp.accountMicros - BigInt(exp.openQty) * SHARE;
          if (rest > 0n) expect(foreign, sym).toEqual({ symbol: sym, qty: accountQtyText(rest) });
          else expect(foreign, sym).toBeUndefined();

          // Shares sold outside Catalyst are worth a look, never an exception.
          expect(
            book.anomalies.some((a) => a.includes(` ${sym} `)),
            sym,
          ).toBe(exp.handSold);
          expect(
            book.foreignOrders.filter((o) => o.symbol === sym),
            sym,
          ).toHaveLength(exp.foreignOpenOrders);
        }
        expect(book.foreignOrders.every((o) => !o.clientOrderId.startsWith('cat-20261124-'))).toBe(true);
        expect(book.openOrders).toBe(built.reduce((n, b) => n + b.exp.ourOpenOrders, 0));
        expect(book.openPositions).toBe(book.holdings.filter((h) => h.closableQty > 0).length);
        expect(isFlat(book)).toBe(book.openPositions === 0 && book.openOrders === 0);
        // Every Catalyst order of the day is in the book, nobody else's.
        expect(new Set(book.orders.map((o) => o.id))).toEqual(
          new Set(orders.filter((o) => o.clientOrderId.startsWith('cat-20261124-')).map((o) => o.id)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('realized P&L is FIFO over its own fills only, to the cent; unrealized marks its open lots', () => {
    fc.assert(
      fc.property(accountArb, (specs) => {
        const { built, orders, positions } = buildAccount(specs);
        // Unrealized P&L on shares sold by hand is a separate question (see below).
        fc.pre(built.every((b) => !b.exp.handSold));
        const book = catalystBook({ orders, positions, tradingDate: DATE });
        const realized = built.reduce((n, b) => n + b.exp.realizedCents, 0n);
        const unrealized = built.reduce((n, b) => n + b.exp.unrealizedCents, 0n);
        expect(book.realizedPnl).toBe(dollars(realized));
        expect(book.unrealizedPnl).toBe(dollars(unrealized));
        expect(book.dailyPnl).toBe(dollars(realized + unrealized));
        expect(book.anomalies).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('the account’s order and Catalyst’s order listing are irrelevant: shuffled input, same book', () => {
    fc.assert(
      fc.property(accountArb, fc.infiniteStream(fc.nat()), (specs, rand) => {
        const { orders, positions } = buildAccount(specs);
        const shuffled = [...orders];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rand.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = catalystBook({ orders, positions, tradingDate: DATE });
        const b = catalystBook({ orders: shuffled, positions: [...positions].reverse(), tradingDate: DATE });
        const key = (book: typeof a) => ({
          holdings: book.holdings.map((h) => ({ ...h, orders: h.orders.map((o) => o.id).sort() })),
          realized: book.realizedPnl,
          unrealized: book.unrealizedPnl,
          foreign: [...book.foreignPositions].sort((x, y) => (x.symbol < y.symbol ? -1 : 1)),
          foreignOrders: book.foreignOrders.map((o) => o.id).sort(),
          counts: [book.openPositions, book.openOrders],
        });
        expect(key(b)).toEqual(key(a));
      }),
      { numRuns: 100 },
    );
  });
});

describe('catalystBook: one symbol held by Catalyst and by a person', () => {
  const entry = bracket({
    symbol: 'AAPL',
    cycle: 2,
    qty: 10,
    price: '150.00',
    stop: '147.00',
    target: '159.00',
    at: 5,
  });
  const manualBuy = filled(
    { symbol: 'AAPL', side: 'buy', qty: '7', clientOrderId: 'by-hand-1' },
    7,
    '151.00',
    8,
  );

  it('Catalyst holds and may close only its own 10; the other 107 are foreign', () => {
    const book = catalystBook({
      orders: [entry, manualBuy],
      positions: [position('AAPL', 117, '152.00')],
      tradingDate: DATE,
    });
    expect(book.holdings).toHaveLength(1);
    expect(book.holdings[0]).toMatchObject({
      symbol: 'AAPL',
      openQty: 10,
      closableQty: 10,
      accountQty: '117',
      avgEntryPrice: '150.000000',
      currentPrice: '152.00',
      openedAt: T(5), // when the entry was sent: the max-hold clock starts there
      entryClientOrderId: catId('AAPL', 2),
      entryTradingDate: DATE,
      entryCycle: 2,
      stopPrice: '147.00',
    });
    expect(book.foreignPositions).toEqual([{ symbol: 'AAPL', qty: '107' }]);
    // Only Catalyst's 10 shares are marked: 10 × (152 − 150).
    expect(book.unrealizedPnl).toBe('20.00');
    expect(book.openOrders).toBe(2); // its two legs
  });

  it('a pending entry in a symbol a person holds gives Catalyst nothing to sell', () => {
    const pending = bracket({ symbol: 'AAPL', qty: 10, filledQty: 0, stop: '147.00', target: '159.00' });
    const book = catalystBook({ orders: [pending], positions: [position('AAPL', 100)], tradingDate: DATE });
    expect(book.holdings[0]).toMatchObject({
      openQty: 0,
      closableQty: 0,
      accountQty: '100',
      avgEntryPrice: null,
    });
    expect(book.foreignPositions).toEqual([{ symbol: 'AAPL', qty: '100' }]);
    expect(book.openPositions).toBe(0);
    expect(book.openOrders).toBe(3);
    expect(isFlat(book)).toBe(false);
  });
});

describe('catalystBook: shares sold outside Catalyst', () => {
  const entry = bracket({
    symbol: 'XOM',
    qty: 10,
    price: '100.00',
    stop: '98.00',
    target: '106.00',
    legStatus: 'canceled',
  });

  it('shrinks what Catalyst may close, reports the anomaly, and still lets the book go flat', () => {
    const book = catalystBook({
      orders: [entry],
      positions: [position('XOM', 6, '101.00')],
      tradingDate: DATE,
    });
    expect(book.holdings[0]).toMatchObject({ openQty: 10, closableQty: 6 });
    expect(book.anomalies).toEqual([expect.stringContaining('XOM')]);
    expect(book.foreignPositions).toEqual([]);

    // Catalyst sold what was left: the account is empty, 4 shares are gone by hand.
    const exit = filled(
      { symbol: 'XOM', side: 'sell', qty: '6', clientOrderId: catId('XOM', 1, 'exit', 1) },
      6,
      '101.00',
      30,
    );
    const after = catalystBook({ orders: [entry, exit], positions: [], tradingDate: DATE });
    expect(after.holdings[0]).toMatchObject({ openQty: 4, closableQty: 0 });
    expect(after.openPositions).toBe(0);
    expect(isFlat(after)).toBe(true);
    expect(after.realizedPnl).toBe('6.00');
  });

  it('a fractional or short account position never makes a share closable', () => {
    for (const [qty, closable] of [
      ['5.75', 5],
      ['0.5', 0],
      ['-3', 0],
    ] as const) {
      const book = catalystBook({ orders: [entry], positions: [position('XOM', qty)], tradingDate: DATE });
      expect(book.holdings[0]!.closableQty, qty).toBe(closable);
    }
  });

  // Which P&L is Catalyst's once a person has sold 4 of its 10 shares? Its realized P&L never
  // sees that sale (it was not Catalyst's trade), so the 4 shares it no longer holds must not be
  // marked to market either: today they add 4 × (price − entry) of "unrealized" P&L on shares
  // that do not exist, which the daily loss limit then grades. (With the whole position sold by
  // hand the account lists no price and the same shares count 0: the two cases disagree.)
  it('marks to market only the shares the account still holds for Catalyst', () => {
    const book = catalystBook({
      orders: [entry],
      positions: [position('XOM', 6, '90.00')],
      tradingDate: DATE,
    });
    // 6 shares held × (90 − 100).
    expect(book.unrealizedPnl).toBe('-60.00');
    expect(book.dailyPnl).toBe('-60.00');
  });
});

describe('catalystBook: damaged or unusual records never throw', () => {
  it('a sell of more than Catalyst bought is an anomaly, not an exception', () => {
    const entry = filled(
      { symbol: 'AAPL', side: 'buy', qty: '5', clientOrderId: catId('AAPL') },
      5,
      '10.00',
      1,
    );
    const exit = filled(
      { symbol: 'AAPL', side: 'sell', qty: '8', clientOrderId: catId('AAPL', 1, 'exit', 1) },
      8,
      '11.00',
      2,
    );
    const book = catalystBook({ orders: [entry, exit], positions: [], tradingDate: DATE });
    expect(book.anomalies).toEqual([expect.stringMatching(/closes 3 more shares than Catalyst bought/)]);
    expect(book.realizedPnl).toBe('5.00');
    expect(book.holdings).toEqual([]);
  });

  it('a fractional fill of Catalyst’s is reported and left out of its shares', () => {
    const entry = filled(
      { symbol: 'AAPL', side: 'buy', qty: '5', clientOrderId: catId('AAPL') },
      5,
      '10.00',
      1,
    );
    const odd = { ...entry, id: 'frac', clientOrderId: catId('AAPL', 2), filledQty: '2.5' };
    const book = catalystBook({
      orders: [entry, odd],
      positions: [position('AAPL', '7.5')],
      tradingDate: DATE,
    });
    expect(book.holdings[0]).toMatchObject({ openQty: 5, closableQty: 5 });
    expect(book.anomalies).toEqual([expect.stringContaining('fractional 2.5 AAPL')]);
    expect(book.foreignPositions).toEqual([{ symbol: 'AAPL', qty: '2.5' }]);
  });
});

describe('catalystBook: which day', () => {
  const today = bracket({ symbol: 'AAPL', qty: 3, stop: '90.00', target: '110.00' });
  const yesterday = bracket({
    symbol: 'MSFT',
    qty: 4,
    tradingDate: OTHER_DATE,
    stop: '90.00',
    target: '110.00',
  });
  const positions = [position('AAPL', 3), position('MSFT', 4)];

  it('a day’s book treats Catalyst’s orders of other days as someone else’s', () => {
    const book = catalystBook({ orders: [today, yesterday], positions, tradingDate: DATE });
    expect(book.holdings.map((h) => h.symbol)).toEqual(['AAPL']);
    expect(book.foreignPositions).toEqual([{ symbol: 'MSFT', qty: '4' }]);
    expect(book.foreignOrders.map((o) => o.id).sort()).toEqual(yesterday.legs.map((l) => l.id).sort());
  });

  it('with no date (the halt with no day running), every order Catalyst made is its own', () => {
    const book = catalystBook({ orders: [today, yesterday], positions, tradingDate: null });
    expect(book.holdings.map((h) => [h.symbol, h.openQty, h.entryTradingDate])).toEqual([
      ['AAPL', 3, DATE],
      ['MSFT', 4, OTHER_DATE],
    ]);
    expect(book.foreignPositions).toEqual([]);
    expect(book.foreignOrders).toEqual([]);
  });
});

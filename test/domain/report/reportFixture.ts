/**
 * A recorded day with something of everything: a target, a stop, a max-hold exit, a partly filled
 * entry flattened at the close, a trade still open, cycles with their funnels (one failed), risk
 * decisions and events — and symbols and reasons that need escaping in HTML.
 */
import type { ReportData } from '../../../src/domain/report/reportRows';
import {
  ACCOUNT,
  DATE,
  bracket,
  candidate,
  cycle,
  data,
  day,
  exitOrder,
  fillLeg,
  ny,
  riskEvent,
} from './reportKit';

export function fixtureData(): ReportData {
  const aapl = bracket({
    symbol: 'AAPL',
    cycle: 1,
    qty: 10,
    entryPrice: '100.25',
    at: '09:36',
    stop: '98.25',
    target: '106.27',
  });
  const msft = bracket({
    symbol: 'MSFT',
    cycle: 1,
    qty: 7,
    entryPrice: '50.10',
    at: '09:37',
    stop: '49.10',
    target: '53.11',
  });
  const brk = bracket({
    symbol: 'BRK.B',
    cycle: 2,
    qty: 4,
    entryPrice: '410.00',
    at: '10:06',
    stop: '401.80',
    target: '434.60',
  });
  const nvda = bracket({
    symbol: 'NVDA',
    cycle: 3,
    qty: 20,
    filled: 13,
    entryPrice: '12.3456',
    at: '10:36',
    stop: '12.10',
    target: '13.09',
  });
  const tsla = bracket({
    symbol: 'TSLA',
    cycle: 4,
    qty: 5,
    entryPrice: '200.00',
    at: '11:05',
    stop: '196.00',
    target: '212.00',
  });
  const brkExit = exitOrder({ symbol: 'BRK.B', cycle: 2, qty: 4, price: '412.40', at: '12:06' });
  const nvdaExit = exitOrder({ symbol: 'NVDA', cycle: 3, qty: 13, price: '12.5001', at: '15:50' });
  const cycles = [
    cycle({ cycleNumber: 1 }),
    cycle({
      cycleNumber: 2,
      marketTime: ny('10:05'),
      startedAt: '2026-12-07T10:01:00.000Z',
      finishedAt: '2026-12-07T10:01:06.000Z',
      funnel: {
        universe: 4125,
        scanned: 200,
        news: 35,
        patterns: 20,
        technical: 10,
        scored: 4,
        risk_approved: 1,
        orders: 1,
      },
    }),
    cycle({
      cycleNumber: 3,
      marketTime: ny('10:35'),
      funnel: {
        universe: 4125,
        scanned: 200,
        news: 35,
        patterns: 20,
        technical: 10,
        scored: 3,
        risk_approved: 1,
        orders: 1,
      },
    }),
    cycle({
      cycleNumber: 4,
      marketTime: ny('11:05'),
      funnel: {
        universe: 4125,
        scanned: 200,
        news: 35,
        patterns: 20,
        technical: 10,
        scored: 1,
        risk_approved: 1,
        orders: 1,
      },
    }),
    cycle({
      cycleNumber: 5,
      marketTime: ny('11:35'),
      status: 'failed',
      finishedAt: null,
      funnel: null,
      error: 'broker <unavailable>',
    }),
  ];
  const [c1, c2, c3, c4] = cycles.map((c) => c.cycleId) as [string, string, string, string];
  return data({
    days: [day({ status: 'running' })],
    orders: [
      aapl.entry,
      aapl.stop,
      fillLeg(aapl.target, 10, '106.27', '10:41'),
      msft.entry,
      fillLeg(msft.stop, 7, '49.03', '10:20'),
      msft.target,
      brk.entry,
      brk.stop,
      brk.target,
      brkExit,
      nvda.entry,
      nvda.stop,
      nvda.target,
      nvdaExit,
      tsla.entry,
      tsla.stop,
      tsla.target,
    ],
    cycles,
    candidates: [
      candidate({ cycleId: c1, symbol: 'AAPL', compositeScore: '78.4000', finalRank: 1 }),
      candidate({ cycleId: c1, symbol: 'MSFT', compositeScore: '71.2000', finalRank: 2 }),
      candidate({
        cycleId: c1,
        symbol: 'AMD',
        compositeScore: '64.0000',
        finalRank: 3,
        riskApproved: false,
        riskReasons: [
          'sector exposure: Technology would be 31 % > 30 %',
          'correlation <0.8> with "AAPL" & MSFT',
        ],
      }),
      candidate({ cycleId: c2, symbol: 'BRK.B', compositeScore: '66.1000', newsScore: null }),
      candidate({ cycleId: c3, symbol: 'NVDA', compositeScore: '59.9000' }),
      candidate({ cycleId: c4, symbol: 'TSLA', compositeScore: '61.5000' }),
    ],
    riskEvents: [
      riskEvent({
        eventKey: `${ACCOUNT}/${brkExit.clientOrderId}`,
        eventType: 'max_hold_exit',
        symbol: 'BRK.B',
        message: `BRK.B held past the max hold time: sold 4 (${brkExit.clientOrderId})`,
      }),
      riskEvent({
        eventKey: `${ACCOUNT}/${DATE}/daily-loss-warning`,
        eventType: 'daily_loss_warning',
        message: "Catalyst's daily P&L -750.00 passed the <loss> warning threshold & more",
        createdAt: '2026-12-07T10:04:00.000Z',
      }),
    ],
  });
}

/** A day that ran and traded nothing. */
export function emptyData(): ReportData {
  return data({
    cycles: [
      cycle({
        cycleNumber: 1,
        funnel: {
          universe: 4125,
          scanned: 200,
          news: 35,
          patterns: 20,
          technical: 10,
          scored: 0,
          risk_approved: 0,
          orders: 0,
        },
      }),
    ],
  });
}

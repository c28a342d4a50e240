import type { GoLiveCheck } from './check';

/** What one GET /v2/account with the paper keys found. */
export type BrokerProbe =
  | { kind: 'skipped'; reason: string }
  | { kind: 'reached'; endpoint: string; accountNumber: string; status: string; tradingBlocked: boolean }
  | { kind: 'unreachable'; endpoint: string; message: string };

/** The guide's "Alpaca API connected (paper trading mode)": the account answers and may trade. */
export function checkBrokerReachable(probe: BrokerProbe): GoLiveCheck {
  const base = { name: 'broker_reachable', value: null, threshold: null };
  switch (probe.kind) {
    case 'skipped':
      return { ...base, status: 'skip', detail: `broker not checked: ${probe.reason}` };
    case 'unreachable':
      return { ...base, status: 'fail', detail: `broker unreachable at ${probe.endpoint}: ${probe.message}` };
    case 'reached':
      return probe.tradingBlocked
        ? {
            ...base,
            status: 'fail',
            detail: `broker reached at ${probe.endpoint}, but account ${probe.accountNumber} (${probe.status}) is blocked from trading`,
          }
        : {
            ...base,
            status: 'pass',
            detail: `broker reachable at ${probe.endpoint}: account ${probe.accountNumber} ${probe.status}`,
          };
  }
}

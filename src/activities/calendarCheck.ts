/**
 * The run-time check of the broker's calendar against our NYSE calendar. The broker wins: the
 * check only logs and raises one WARNING per date (outbox key `calendar-disagreement-<date>`),
 * and nothing it does can fail or delay the activity that reads the session. The alert takes
 * the path every alert takes (createAlertSender: outbox first, routing, storm limit, SMTP), but
 * it is not awaited: the email's own timeouts (up to ~40 s) would otherwise hold the day's start
 * and could outlast the activity's timeout, whose retries would then wait on the mail server again.
 */
import type { BrokerCalendarDay } from '../broker/port';
import { calendarDisagreement } from '../domain/calendarDisagreement';
import { createAlertSender, smtpFromEnv, type AlertOutcome } from './alerts';
import type { ActivityDeps } from './deps';
import type { AlertInput } from './types';

/** Compares the broker's answer for a date (null: no session) with ours; never throws. */
export type CalendarCheck = (tradingDate: string, brokerDay: BrokerCalendarDay | null) => void;

export interface CalendarCheckDeps {
  log: (line: string) => void;
  deliver: (alert: AlertInput) => Promise<Pick<AlertOutcome, 'email' | 'error'>>;
}

export const calendarDisagreementKey = (tradingDate: string): string =>
  `calendar-disagreement-${tradingDate}`;

export function createCalendarCheck(deps: CalendarCheckDeps): CalendarCheck {
  // The outbox dedupes across processes and activity retries. These two sets keep this process
  // from re-sending what it already raised, and two concurrent reads of one date from both
  // finding no outbox entry yet and both emailing. A failed delivery is tried again on the next read.
  const raised = new Set<string>();
  const inFlight = new Set<string>();
  return (tradingDate, brokerDay) => {
    let found;
    try {
      found = calendarDisagreement(
        tradingDate,
        brokerDay && { open: brokerDay.open, close: brokerDay.close },
      );
    } catch (err) {
      deps.log(`could not compare the broker calendar for ${tradingDate}: ${(err as Error).message}`);
      return;
    }
    const key = calendarDisagreementKey(tradingDate);
    if (!found || raised.has(key) || inFlight.has(key)) return;
    inFlight.add(key);
    deps.log(`WARNING calendar disagreement ${found.summary}; trading on the broker's answer`);
    const alert: AlertInput = {
      severity: 'WARNING',
      subject: `NYSE calendar disagrees with the broker on ${tradingDate}`,
      body: [
        found.summary + '.',
        "Catalyst trades on the broker's answer. Check the exchange's announcements: if the broker",
        'is right, add the date to the NYSE calendar (src/domain/calendar.ts); if not, tell the broker.',
      ].join('\n'),
      dedupeKey: key,
    };
    void deps
      .deliver(alert)
      .then(
        (outcome) => {
          if (outcome.email === 'failed')
            deps.log(`calendar alert email failed: ${outcome.error ?? 'unknown'}`);
          else raised.add(key);
        },
        (err: unknown) => deps.log(`could not raise the calendar alert: ${(err as Error).message}`),
      )
      .finally(() => inFlight.delete(key));
  };
}

/**
 * The check on the alert path every alert takes, configured from the activity dependencies.
 * `sender`: the worker's shared alert sender when there is one (one storm rule, one summary timer).
 */
export function calendarCheckFor(
  deps: Pick<ActivityDeps, 'outboxDir' | 'log' | 'settings'>,
  sender: Pick<ReturnType<typeof createAlertSender>, 'deliver'> = createAlertSender({
    outboxDir: deps.outboxDir,
    smtp: () => smtpFromEnv(deps.settings.current().env),
    log: deps.log,
  }),
): CalendarCheck {
  return createCalendarCheck({ log: deps.log, deliver: (alert) => sender.deliver(alert) });
}

/**
 * Turns Alpaca client errors into Temporal failures whose `type` retry policies can name:
 * broker rejections are non-retryable (a retry must never place a second order), while
 * throttling, 5xx and network trouble are retryable, waiting out X-Ratelimit-Reset when given.
 */
import { ApiError, FetchError } from '@alpacahq/alpaca-trade-api';
import { ApplicationFailure } from '@temporalio/common';
import { ErrorType } from '../shared';

export const ALPACA_CODE = {
  InsufficientBuyingPower: 40310000,
  DayTradingProtection: 40310100,
  InvalidRequest: 40010001,
} as const;

const UNKNOWN_SYMBOL =
  /asset\b.*\bnot found|could not find asset|unknown symbol|invalid symbol|asset not found/i;
const CLIENT_ORDER_ID_TAKEN = /client_order_id must be unique/i;

export interface BrokerErrorDetails {
  operation: string;
  status: number | null;
  code: number | string | null;
  requestId: string | null;
}

/** True when Alpaca refused an order because its client_order_id was already used. */
export function isDuplicateClientOrderId(err: unknown): boolean {
  return err instanceof ApiError && err.status === 422 && CLIENT_ORDER_ID_TAKEN.test(err.message);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** Alpaca's answer to cancelling an order that is already done (filled, canceled, expired). */
export function isNotCancelable(err: unknown): boolean {
  return err instanceof ApiError && err.status === 422;
}

/** Longest broker message quoted in a failure: an error body can be a whole page. */
const MAX_BROKER_MESSAGE = 300;
const HTML = /^\s*<(!doctype|html|head|body|\?xml)|<\/(html|body|head|title|h1)>/i;

/**
 * The broker's message as a failure quotes it. A proxy's or load balancer's HTML error page (a 502
 * or 503 in front of Alpaca) is named by its title, not pasted whole; any other text is capped.
 */
export function brokerMessageText(message: string): string {
  const text = message.trim();
  if (HTML.test(text)) {
    const title =
      (/<title[^>]*>([^<]*)</i.exec(text) ?? /<h1[^>]*>([^<]*)</i.exec(text))?.[1]?.trim() ||
      text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return `an HTML page instead of JSON${title ? ` ("${title.slice(0, 80)}")` : ''}`;
  }
  return text.length > MAX_BROKER_MESSAGE
    ? `${text.slice(0, MAX_BROKER_MESSAGE)}... (${text.length} characters)`
    : text;
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

function failure(
  type: ErrorType,
  message: string,
  nonRetryable: boolean,
  details: BrokerErrorDetails,
  nextRetryDelayMs?: number,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable,
    details: [details],
    ...(nextRetryDelayMs !== undefined && nextRetryDelayMs > 0
      ? { nextRetryDelay: Math.ceil(nextRetryDelayMs) }
      : {}),
  });
}

/**
 * Maps an error thrown by the Alpaca client during `operation`. Errors that are not the
 * client's (bugs in our own code) pass through unchanged.
 */
export function toBrokerFailure(err: unknown, operation: string, secrets: readonly string[] = []): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ApiError) {
    const status = err.status;
    const code = err.code ?? null;
    const brokerMessage = brokerMessageText(redact(err.message || 'no message', secrets));
    const details: BrokerErrorDetails = { operation, status, code, requestId: err.requestId ?? null };
    const what = `Alpaca ${operation} failed: HTTP ${status}${code !== null ? ` (code ${code})` : ''}: ${brokerMessage}`;
    const numericCode = typeof code === 'string' ? Number(code) : code;

    if (status === 403 && numericCode === ALPACA_CODE.InsufficientBuyingPower) {
      return failure(ErrorType.InsufficientBuyingPower, what, true, details);
    }
    if (status === 403 && numericCode === ALPACA_CODE.DayTradingProtection) {
      return failure(ErrorType.DayTradingProtection, what, true, details);
    }
    if ((status === 422 || status === 404 || status === 400) && UNKNOWN_SYMBOL.test(brokerMessage)) {
      return failure(ErrorType.UnknownSymbol, what, true, details);
    }
    if (status === 422) return failure(ErrorType.InvalidOrder, what, true, details);
    if (status === 401) {
      return failure(
        ErrorType.BrokerRejected,
        `Alpaca ${operation} failed: HTTP 401: the API key id/secret were not accepted (check ALPACA_API_KEY/SECRET and paper vs live)`,
        true,
        details,
      );
    }
    if (status === 429 || status >= 500 || status === 408) {
      // X-Ratelimit-Reset says when the request budget refills: it times a 429's retry, not a 500's.
      const hinted = status === 429 || err.response?.headers?.get('Retry-After') != null;
      return failure(
        ErrorType.BrokerUnavailable,
        what,
        false,
        details,
        hinted ? err.retryAfterMs : undefined,
      );
    }
    return failure(ErrorType.BrokerRejected, what, true, details);
  }
  if (err instanceof FetchError || networkTrouble(err) !== null) {
    const trouble = networkTrouble(err) ?? { timedOut: false, detail: 'no detail' };
    return failure(
      ErrorType.BrokerUnavailable,
      redact(
        `Alpaca ${operation} failed: ${trouble.timedOut ? 'request timed out' : 'network error'}: ${trouble.detail}`,
        secrets,
      ),
      false,
      { operation, status: null, code: null, requestId: null },
    );
  }
  return err;
}

/**
 * True when the broker may have acted on a request whose answer never arrived (timeouts, resets,
 * 5xx): a placement must then be looked up by its client_order_id, not assumed absent.
 */
export function mayHaveBeenProcessed(err: unknown): boolean {
  if (err instanceof ApiError) return err.status >= 500 || err.status === 408;
  return err instanceof FetchError || networkTrouble(err) !== null;
}

const NETWORK_CODES =
  /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EAI_AGAIN|ENOTFOUND|UND_ERR_\w+)$/;

/**
 * What went wrong on the wire, from the error's cause chain (fetch wraps the socket error in
 * "fetch failed"; a body cut off mid-stream surfaces as "terminated" outside the client's FetchError).
 */
function networkTrouble(err: unknown): { timedOut: boolean; detail: string } | null {
  const details: string[] = [];
  let timedOut = false;
  let network = err instanceof FetchError;
  let e: unknown = err instanceof FetchError ? err.cause : err;
  for (let depth = 0; depth < 6 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (e.name === 'TimeoutError' || /timed out|timeout/i.test(e.message)) timedOut = true;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') network = true;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) network = true;
    details.push(typeof code === 'string' ? `${e.message} (${code})` : e.message);
    e = e.cause;
  }
  if (!network) return null;
  const detail = details.filter((d) => d && d !== 'fetch failed').pop() ?? details[0] ?? 'no detail';
  return { timedOut: timedOut || /timeout/i.test(detail), detail };
}

/** Alpaca-shaped HTTP errors: a status plus a body {code, message, …extra}. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SimHttpError';
  }

  body(): Record<string, unknown> {
    return { ...this.extra, code: this.code, message: this.message };
  }
}

export const ErrorCode = {
  InvalidRequest: 40010001,
  Unauthorized: 40110000,
  Forbidden: 40310000,
  DayTradingProtection: 40310100,
  NotFound: 40410000,
  MethodNotAllowed: 40510000,
  Unprocessable: 42210000,
  RateLimited: 42910000,
  Internal: 50010000,
  ServiceUnavailable: 50300000,
} as const;

export const invalid = (message: string, extra?: Record<string, unknown>): SimHttpError =>
  new SimHttpError(422, ErrorCode.InvalidRequest, message, extra);

export const badRequest = (message: string): SimHttpError =>
  new SimHttpError(400, ErrorCode.InvalidRequest, message);

export const notFound = (message: string): SimHttpError => new SimHttpError(404, ErrorCode.NotFound, message);

export const forbidden = (message: string, extra?: Record<string, unknown>): SimHttpError =>
  new SimHttpError(403, ErrorCode.Forbidden, message, extra);

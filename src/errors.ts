/**
 * Errors the service means to show a client. Thrown anywhere, rendered once by
 * the error handler as `{success: false, error: {code, message}}`.
 *
 * @example throw new AppError('invalid_cursor', 400, 'cursor does not match this query')
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string) {
    super(code, 400, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'instructor credentials required: Authorization: Bearer <token>') {
    super('unauthorized', 401, message, { 'www-authenticate': 'Bearer realm="session-log"' });
  }
}

/** The database is down, slow or the ingest queue is full: the client should retry later. */
export class ServiceUnavailableError extends AppError {
  constructor(message: string, retryAfterSeconds = 1) {
    super('unavailable', 503, message, { 'retry-after': String(retryAfterSeconds) });
  }
}

/** Over a rate limit: the client should retry after `retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', 429, message, { 'retry-after': String(retryAfterSeconds) });
  }
}

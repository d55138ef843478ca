/**
 * The CLI's exit statuses: a stable contract for scripts (documented in the README).
 *
 * @example if (response.status === 404) throw new CliError('no such student', ExitCode.notFound);
 */
export const ExitCode = {
  ok: 0,
  /** The command failed: an error answer of the service, a cut download, a file not written. */
  failed: 1,
  /** Bad usage: an unknown option, a bad value, a request the service refused as invalid (400). */
  usage: 2,
  /** What was asked for does not exist (404): an unknown student or session. */
  notFound: 3,
  /** No token, or a wrong one (401, 403). */
  unauthorized: 4,
  /** The service (or its database) cannot be reached or is busy (connection refused, 503, 409): retry later. */
  unavailable: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI reports as one line on stderr and an exit status, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** The HTTP status the service answered, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What an HTTP error status means for a script. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCode.unauthorized;
  if (status === 404) return ExitCode.notFound;
  // 409: the work asked for is already under way elsewhere (a retention run on another instance).
  if (status === 409 || status === 429 || status === 502 || status === 503 || status === 504) return ExitCode.unavailable;
  if (status >= 400 && status < 500) return ExitCode.usage;
  return ExitCode.failed;
}

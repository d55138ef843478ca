import type { Connection } from './connection.js';
import { CliError, ExitCode, exitCodeForStatus } from './exit-codes.js';

export interface RequestOptions {
  query?: URLSearchParams;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The service's HTTP API, with its errors turned into CliErrors that read as one line
 * (`401 unauthorized: instructor credentials required`) and carry the right exit code.
 * The token goes in the Authorization header only, never in a URL or a message.
 *
 * @example
 * const client = apiClient({ baseUrl: 'http://127.0.0.1:3000', token });
 * const page = await client.json<EventPage>('GET', '/api/session-log', { query });
 */
export interface ApiClient {
  /** A request that must succeed; its answer parsed as JSON. */
  json<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** A request that must succeed; its answer unread, for streams and downloads. */
  open(method: string, path: string, options?: RequestOptions): Promise<Response>;
}

export function apiClient(connection: Connection): ApiClient {
  const open = async (method: string, path: string, options: RequestOptions = {}): Promise<Response> => {
    const query = options.query?.toString() ?? '';
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (connection.token !== undefined) headers.authorization = `Bearer ${connection.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${connection.baseUrl}${path}${query === '' ? '' : `?${query}`}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // A redirect to another host would carry the token there: say where it points instead.
      redirect: 'manual',
    }).catch((error: unknown) => {
      throw unreachable(connection.baseUrl, error);
    });
    if (response.ok) return response;
    throw await answeredError(response, connection);
  };
  return {
    open,
    async json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
      const response = await open(method, path, options);
      const text = await response.text().catch((error: unknown) => {
        throw unreachable(connection.baseUrl, error);
      });
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new CliError(`${method} ${path}: the service answered something that is not JSON (is ${connection.baseUrl} session-log?)`, ExitCode.failed);
      }
    },
  };
}

/** A failed request as the one line that says what could not be reached. */
function unreachable(baseUrl: string, error: unknown): Error {
  if (error instanceof CliError || (error instanceof Error && error.name === 'AbortError')) return error;
  return new CliError(`cannot reach the service at ${baseUrl}: ${networkProblem(error)}`, ExitCode.unavailable);
}

const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is it running? set --url or SESSION_LOG_URL)',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
};

/** Why a connection failed, in words. Node's fetch hides it in `cause` (an AggregateError when every address refused). */
export function networkProblem(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as (Error & { code?: string; errors?: Array<{ code?: string }> }) | undefined) : undefined;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (code !== undefined) return NETWORK_PROBLEMS[code] ?? code;
  if (cause !== undefined) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

async function answeredError(response: Response, connection: Connection): Promise<CliError> {
  const status = response.status;
  const exitCode = exitCodeForStatus(status);
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location') ?? 'elsewhere';
    return new CliError(`${status}: the service redirects to ${location}; use that address as --url`, ExitCode.failed, status);
  }
  const text = await response.text().catch(() => '');
  const envelope = parseErrorEnvelope(text);
  const what = envelope === null ? `${status} ${response.statusText}`.trim() : `${status} ${envelope.code}: ${envelope.message}`;
  const hint = status === 401 && connection.token === undefined ? ' (no token given: set SESSION_LOG_TOKEN, --token-file or --token)' : '';
  const retry = response.headers.get('retry-after');
  const later = exitCode === ExitCode.unavailable && retry !== null ? ` (retry in ${retry} s)` : '';
  return new CliError(`${what}${hint}${later}`, exitCode, status);
}

/** The API's `{success: false, error: {code, message}}`, or null for anything else (a proxy's page). */
function parseErrorEnvelope(text: string): { code: string; message: string } | null {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code === 'string' && typeof error.message === 'string') return { code: error.code, message: error.message };
  } catch {
    // Not JSON: described by its status alone.
  }
  return null;
}

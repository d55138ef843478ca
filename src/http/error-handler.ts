import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { ERROR_HINT } from '../schemas/text.js';
import { StoreUnavailableError } from '../storage/types.js';

interface ErrorReply {
  status: number;
  code: string;
  message: string;
  headers: Readonly<Record<string, string>>;
}

/** Fastify's own client errors, by code, as the codes and statuses this API documents. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json' },
};

/** The one place where errors become HTTP responses: `{success: false, error: {code, message}}`. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const response = toErrorReply(error);
    if (response.status >= 500) {
      const level = response.status === 503 ? 'warn' : 'error';
      request.log[level]({ err: error, reqId: request.id }, 'request failed');
    }
    // The id a user can quote, and an operator find in the logs (the proxy's own, behind one).
    return reply
      .code(response.status)
      .headers(response.headers)
      .header('x-request-id', request.id)
      .send({ success: false, error: { code: response.code, message: response.message } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      success: false,
      error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` },
    }),
  );
}

/** Node's parser errors for a request it could not read, as this API's statuses and codes. */
const UNREADABLE: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'the request took too long to arrive' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', message: 'the request headers are too large' },
};

/**
 * A request too malformed to reach a route (a bad Content-Length, a raw byte in the URL)
 * gets the API's error shape too. Fastify's clientErrorHandler option.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, message } = UNREADABLE[error.code ?? ''] ?? { status: 400, code: 'bad_request', message: 'malformed HTTP request' };
  const body = JSON.stringify({ success: false, error: { code, message } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

function toErrorReply(error: FastifyError): ErrorReply {
  if (error instanceof AppError) return { ...error, status: error.statusCode, message: error.message };
  if (error instanceof StoreUnavailableError) {
    return { status: 503, code: 'unavailable', message: 'database unavailable; retry shortly', headers: { 'retry-after': '1' } };
  }
  if (error.validation !== undefined) {
    const tooLarge = error.validation.some((v) => (v.params as { tooLarge?: boolean }).tooLarge === true);
    const message = validationMessage(error.validation, error.validationContext ?? 'request');
    return tooLarge ? { status: 413, code: 'payload_too_large', message, headers: {} } : { status: 400, code: 'invalid_request', message, headers: {} };
  }
  const known = FASTIFY_ERRORS[error.code];
  if (known !== undefined) return { ...known, message: error.message, headers: {} };
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, code: error instanceof SyntaxError ? 'invalid_json' : 'bad_request', message: error.message, headers: {} };
  }
  return { status: 500, code: 'internal_error', message: 'internal server error', headers: {} };
}

/** The first schema violation, named by where it is: "body/eventType must be string". */
export function validationMessage(violations: readonly Violation[], context: string): string {
  const first = firstViolation(violations);
  if (first === undefined) return `${context} is invalid`;
  const where = `${context}${first.instancePath}`;
  // A hint explains a value's form (its length, its characters); a value of the wrong type is just that.
  const explained = first.keyword === 'type' ? undefined : (first as { parentSchema?: { [ERROR_HINT]?: string } }).parentSchema?.[ERROR_HINT];
  if (explained !== undefined) return `${where} ${explained}`;
  const extra = first.params as { additionalProperty?: string };
  const detail = extra.additionalProperty === undefined ? '' : `: ${extra.additionalProperty}`;
  return `${where} ${first.message ?? 'is invalid'}${detail}`;
}

export type Violation = NonNullable<FastifyError['validation']>[number];

/**
 * A value of one of a union's kinds (a text, or a list of them) fails the other kinds on
 * its type: what to name is its failure within the kind it is.
 */
function firstViolation(violations: readonly Violation[]): Violation | undefined {
  const unions = new Set(violations.filter((v) => v.keyword === 'anyOf').map((v) => v.instancePath));
  const wrongKind = (v: Violation) => v.keyword === 'anyOf' || (v.keyword === 'type' && unions.has(v.instancePath));
  return violations.find((v) => !wrongKind(v)) ?? violations[0];
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { BadRequestError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's length in characters, as read (0 without one): what the ingest queue bounds. */
    bodyLength: number;
  }
}

/**
 * Request bodies as JSON, with prototype poisoning refused, and a message that says what
 * is wrong (Fastify's own parser answers every case "Body is not valid JSON").
 */
function parseJsonBody(request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void {
  request.bodyLength = body.length;
  if (body.length === 0) return done(new BadRequestError('invalid_json', 'the body is empty: send a JSON object'));
  try {
    done(null, secureJson.parse(body, { protoAction: 'error', constructorAction: 'error' }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    done(
      new BadRequestError(
        'invalid_json',
        /forbidden prototype|forbidden constructor/.test(message)
          ? 'the body has a "__proto__" key, or "constructor" holding "prototype": refused (prototype poisoning)'
          : `the body is not valid JSON: ${message}`,
      ),
    );
  }
}

/** JSON bodies for the whole app (application/json), parsed by parseJsonBody. */
export function registerJsonBodies(app: FastifyInstance): void {
  app.decorateRequest('bodyLength', 0);
  acceptJson(app, 'application/json');
}

/** Parses `contentType` bodies as JSON too (in the plugin that calls it). */
export function acceptJson(app: FastifyInstance, contentType: string): void {
  app.removeContentTypeParser(contentType);
  app.addContentTypeParser(contentType, { parseAs: 'string' }, parseJsonBody);
}

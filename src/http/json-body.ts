import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { BadRequestError } from '../errors.js';

/**
 * Request bodies as JSON, with prototype poisoning refused, and a message that says what
 * is wrong (Fastify's own parser answers every case "Body is not valid JSON").
 */
export function parseJsonBody(_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(new BadRequestError('invalid_json', 'the body is empty: send a JSON object'));
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

/** Parses `contentType` bodies with parseJsonBody instead of Fastify's parser. */
export function acceptJson(app: FastifyInstance, contentType: string): void {
  app.removeContentTypeParser(contentType);
  app.addContentTypeParser(contentType, { parseAs: 'string' }, parseJsonBody);
}

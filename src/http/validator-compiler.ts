import { Ajv, type AnySchema, type SchemaValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { JSON_LIMITS_KEYWORD } from '../schemas/event-input.js';
import { findJsonProblem, type JsonLimits } from '../schemas/json-guard.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object's default.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Bodies are validated without coercion (`eventType: 5` is a 400, not a stored "5");
 * query strings, which are text by nature, are coerced to the declared types.
 */
export function validatorCompiler(): FastifySchemaCompiler<AnySchema> {
  const strict = createAjv(false);
  const coercing = createAjv(true);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema);
  };
}

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ verbose: true, coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  addFormats(ajv, ['email', 'uuid', 'date-time']);
  ajv.addKeyword({ keyword: JSON_LIMITS_KEYWORD, errors: true, validate: jsonLimitsValidator() });
  return ajv;
}

function jsonLimitsValidator() {
  const validate: SchemaValidateFunction = (limits: JsonLimits, data: unknown) => {
    const problem = findJsonProblem(data, limits);
    validate.errors =
      problem === null
        ? []
        : [{ keyword: JSON_LIMITS_KEYWORD, message: problem.message, params: { tooLarge: problem.tooLarge } }];
    return problem === null;
  };
  return validate;
}

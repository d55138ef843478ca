import { Type, type Static } from 'typebox';
import { ERROR_HINT, EventType, PlainText, SessionToken, StudentEmail } from './text.js';

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

/**
 * `data.<key>[.<key>…]`: a filter on a field of event_data. Keys start with a letter or
 * `_`: an all-digit key would be an array index on PostgreSQL and an object key on SQLite.
 */
const fieldKey = (prefix: string) => `^${prefix}\\.[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$`;
export const DATA_FILTER_KEY = fieldKey('data');
/** `run.<key>…`: the same, on any event of the session (the export's workshop run). */
export const RUN_FILTER_KEY = fieldKey('run');

const JSON_NUMBER = '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?';
const FilterValue = Type.Intersect(
  [
    PlainText(0, 500, ''),
    Type.String({
      // [\s\S], not `.`: a value may hold U+2028 or U+2029, which `.` does not match.
      // A value that begins like an operator (a word and a colon) must be one: `foo:400` is
      // a mistyped operator, not text. Text that begins so is written eq:foo:400 or "foo:400".
      pattern: `^((gt|gte|lt|lte):${JSON_NUMBER}|(eq|ne):[\\s\\S]*|(?![A-Za-z]+:)[\\s\\S]*)$`,
      [ERROR_HINT]:
        'must be [op:]value with op one of eq, ne, gt, gte, lt, lte (gt, gte, lt and lte take a number); ' +
        'to match text that begins with a word and a colon, write eq:<text> or put it in double quotes',
    }),
  ],
  {
    description:
      '`[op:]value`, op one of eq (default), ne, gt, gte, lt, lte (these four take a number). ' +
      'The value is typed as JSON: 400 is a number, true/false/null are themselves, "400" in quotes is a string, anything else is a string. ' +
      'A value that begins with a word and a colon is read as an operator: match such text with eq: (eq:https://example.com) or in quotes ("foo:400").',
    examples: ['gte:400', 'openai_validation_failed'],
  },
);

/** What selects events, in the query API and the live stream alike (with `data.*`, below). */
const FILTERS = {
  sessionToken: Type.Optional(SessionToken),
  studentEmail: Type.Optional(StudentEmail),
  eventType: Type.Optional(EventType),
};

const Cursor = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'nextCursor of the previous page.',
  [ERROR_HINT]: 'is not a cursor this service returned',
});

const Conditions = Type.Union([FilterValue, Type.Array(FilterValue, { minItems: 1, maxItems: 4, [ERROR_HINT]: 'takes at most 4 conditions' })]);

/** A query's options: no other key, and `data.<field>` conditions (shared by every route that selects events). */
export const QUERY_OPTIONS = {
  additionalProperties: false,
  maxProperties: 32,
  patternProperties: { [DATA_FILTER_KEY]: Conditions },
} as const;

/** QUERY_OPTIONS, and `run.<field>` conditions: events of the sessions that logged a matching event. */
export const RUN_QUERY_OPTIONS = { ...QUERY_OPTIONS, patternProperties: { ...QUERY_OPTIONS.patternProperties, [RUN_FILTER_KEY]: Conditions } } as const;

export const EventQueryString = Type.Object(
  {
    ...FILTERS,
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Max number of events.' }),
    ),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Only events created at or after this instant (ISO 8601).' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'Only events created before this instant (ISO 8601).' })),
    order: Type.Optional(
      Type.Union([Type.Literal('desc'), Type.Literal('asc')], {
        default: 'desc',
        description: 'desc: newest first; asc: oldest first (arrival order).',
      }),
    ),
    cursor: Type.Optional(Cursor),
  },
  QUERY_OPTIONS,
);
/** The typed part of the query string; `data.*` filters are read by parseDataFilters. */
export type EventQueryString = Static<typeof EventQueryString> & Record<string, unknown>;

/** The live stream's filters: those of the query API, and where to resume (an `asc` cursor). */
export const StreamQueryString = Type.Object({ ...FILTERS, cursor: Type.Optional(Cursor) }, QUERY_OPTIONS);
export type StreamQueryString = Static<typeof StreamQueryString> & Record<string, unknown>;

/** The filters alone, as a WebSocket `subscribe` message carries them. */
export const StreamFilters = Type.Object(FILTERS, QUERY_OPTIONS);
export type StreamFilters = Static<typeof StreamFilters> & Record<string, unknown>;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import { Type, type Static } from 'typebox';
import { instant, toEventFilter } from '../query/event-query.js';
import { EventQueryString, RUN_QUERY_OPTIONS } from '../schemas/event-query.js';
import { parseDataFilters } from '../query/data-filters.js';
import { ErrorResponse } from '../schemas/responses.js';
import type { EventStore } from '../storage/types.js';
import { EXPORT_FORMATS, exportStream, type ExportFormat } from './export-stream.js';

export interface ExportRouteOptions {
  store: EventStore;
  requireInstructor: onRequestAsyncHookHandler;
}

const { limit: _pageLimit, cursor: _cursor, ...FILTERS } = EventQueryString.properties;

const ExportQueryString = Type.Object(
  {
    ...FILTERS,
    format: Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('ndjson')], { description: 'csv, json (an array) or ndjson (one event per line).' }),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc', description: 'asc (default): oldest first.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'At most this many events; all by default.' })),
  },
  RUN_QUERY_OPTIONS,
);
type ExportQueryString = Static<typeof ExportQueryString> & Record<string, unknown>;

/** GET /api/session-log/export: every event of a search, streamed as a download. */
export const exportRoute: FastifyPluginAsyncTypebox<ExportRouteOptions> = async (app, { store, requireInstructor }) => {
  app.get(
    '/api/session-log/export',
    {
      onRequest: requireInstructor,
      schema: {
        summary: 'Export session logs as CSV, JSON or NDJSON',
        description:
          'Every filter of GET /api/session-log; all matching events, oldest first, streamed from a database cursor (a download ' +
          'of a million events starts at once and runs in constant memory). CSV: the event columns, one column per field of the ' +
          'spec’s event types, error_pattern (the normalised message) and the full event_data JSON; cells a spreadsheet would ' +
          'run as formulas are prefixed with a quote. A download that fails part-way is cut short (the connection closes without ' +
          'the end of the response), never presented as complete. `run.<field>=[op:]value` (as `data.<field>`) keeps the ' +
          'events of the sessions that logged a matching event between since and until: one workshop run, as the analytics select it.',
        tags: ['events'],
        security: [{ instructorToken: [] }],
        querystring: ExportQueryString,
        produces: ['text/csv', 'application/json', 'application/x-ndjson'],
        response: { 200: Type.Unknown({ description: 'The file, in the format asked for.' }), 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const query = request.query as ExportQueryString;
      const format: ExportFormat = query.format;
      const events = store.streamEvents({
        ...toEventFilter(query),
        since: instant('since', query.since),
        until: instant('until', query.until),
        order: query.order ?? 'asc',
        limit: query.limit,
        runFilters: parseDataFilters(query, 'run.'),
      });
      const { contentType, extension } = EXPORT_FORMATS[format];
      return reply
        .type(contentType)
        .header('content-disposition', `attachment; filename="session-log-${stamp(new Date())}.${extension}"`)
        .send(exportStream(format, events));
    },
  );
};

/** 20261203-141500: sortable, and safe in a file name. */
const stamp = (time: Date) => time.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

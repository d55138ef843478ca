import { Type, type Static } from 'typebox';
import { StreamFilters } from '../schemas/event-query.js';

/**
 * What a WebSocket client sends: `subscribe` (the query API's filters as in a query string,
 * and an optional `asc` cursor to resume after; a new subscribe replaces the current one)
 * or `unsubscribe`.
 */
export const ClientMessage = Type.Union([
  Type.Object(
    {
      type: Type.Literal('subscribe'),
      filters: Type.Optional(StreamFilters),
      cursor: Type.Optional(Type.String({ maxLength: 64 })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('unsubscribe') }, { additionalProperties: false }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

import { Option, type Command } from 'commander';
import type { Static } from 'typebox';
import type { EventsResponse } from '../../schemas/responses.js';
import { connectionOf } from '../connection.js';
import { addDataFilterOption, addEventFilterOptions, addWindowOptions, filterParams, positiveInteger, type FilterOptions } from '../filter-options.js';
import { apiClient } from '../http-client.js';
import { eventFormat, eventPrinter } from '../output/event-output.js';

interface QueryOptions extends FilterOptions {
  limit?: number;
  all?: boolean;
  order: 'asc' | 'desc';
  json?: boolean;
  ndjson?: boolean;
}

type EventPage = Static<typeof EventsResponse>;

/** The API's largest page. */
const PAGE_SIZE = 1000;
const DEFAULT_LIMIT = 100;

/** `query`: GET /api/session-log, page after page. */
export function registerQuery(program: Command): void {
  const command = program.command('query').description('Search the events (newest first): a table on a terminal, NDJSON when piped.');
  addEventFilterOptions(command);
  addWindowOptions(command);
  addDataFilterOption(command)
    .addOption(new Option('--limit <n>', `at most n events (default ${DEFAULT_LIMIT})`).argParser(positiveInteger(10_000_000)))
    .addOption(new Option('--all', 'every matching event, following the cursors').conflicts('limit'))
    .addOption(new Option('--order <order>', 'desc: newest first; asc: oldest first').choices(['desc', 'asc']).default('desc'))
    .addOption(new Option('--json', 'a JSON array'))
    .addOption(new Option('--ndjson', 'one JSON event a line (the default when piped)').conflicts('json'))
    .addHelpText('after', '\nExample:\n  session-log query --type api_call --data status=gte:400 --since 2h')
    .action(async (options: QueryOptions, self: Command) => {
      const client = apiClient(connectionOf(self));
      const printer = eventPrinter(eventFormat(options));
      const query = filterParams(options);
      query.set('order', options.order);
      let remaining = options.all === true ? Infinity : (options.limit ?? DEFAULT_LIMIT);
      while (remaining > 0) {
        query.set('limit', String(Math.min(remaining, PAGE_SIZE)));
        const page = await client.json<EventPage>('GET', '/api/session-log', { query });
        await printer.write(page.events);
        remaining -= page.events.length;
        if (!page.hasMore || page.nextCursor === null) break;
        query.set('cursor', page.nextCursor);
      }
      await printer.end();
    });
}

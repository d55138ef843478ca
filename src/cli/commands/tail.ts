import { Option, type Command } from 'commander';
import { connectionOf } from '../connection.js';
import { addDataFilterOption, addEventFilterOptions, filterParams, type FilterOptions } from '../filter-options.js';
import { apiClient } from '../http-client.js';
import { followStream, type FollowHandlers } from '../live/follow-stream.js';
import { pollEvents } from '../live/poll-events.js';
import { eventFormat, eventPrinter } from '../output/event-output.js';

interface TailOptions extends FilterOptions {
  ndjson?: boolean;
}

/** `tail`: new events as they are logged, until Ctrl-C. */
export function registerTail(program: Command): void {
  const command = program
    .command('tail')
    .description('Follow new events as they are logged (the live stream; reconnects by itself): a table on a terminal, NDJSON when piped.');
  addEventFilterOptions(command);
  addDataFilterOption(command)
    .addOption(new Option('--ndjson', 'one JSON event a line (the default when piped)'))
    .addHelpText('after', '\nExample:\n  session-log tail --type error --data statusCode=gte:500')
    .action(async (options: TailOptions, self: Command) => {
      const connection = connectionOf(self);
      const client = apiClient(connection);
      const printer = eventPrinter(eventFormat(options));
      const filters = filterParams(options);
      const say = (text: string) => process.stderr.write(`session-log: ${text}\n`);
      const handlers: FollowHandlers = {
        event: (event) => printer.write([event]),
        following: () => process.stderr.isTTY && say(`following new events at ${connection.baseUrl} (Ctrl-C to stop)`),
        notice: say,
      };
      if ((await followStream(client, filters, handlers)) === 'no-stream') {
        if (process.stderr.isTTY) say('this service has no live stream: polling every second');
        await pollEvents(client, filters, handlers);
      }
    });
}

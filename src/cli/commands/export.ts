import path from 'node:path';
import { Option, type Command } from 'commander';
import { connectionOf } from '../connection.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { addDataFilterOption, addEventFilterOptions, addWindowOptions, filterParams, parseDataCondition, positiveInteger, type FilterOptions } from '../filter-options.js';
import { apiClient, networkProblem } from '../http-client.js';
import { writeOut } from '../output/stdout.js';
import { downloadProgress } from '../progress.js';
import { saveDownload } from '../save-download.js';

const FORMATS = ['csv', 'json', 'ndjson'] as const;
type Format = (typeof FORMATS)[number];

interface ExportOptions extends FilterOptions {
  run?: FilterOptions['data'];
  format?: Format;
  output?: string;
  order?: 'asc' | 'desc';
  limit?: number;
}

const NEWLINE = 0x0a;

/** `export`: GET /api/session-log/export, to a file or stdout. */
export function registerExport(program: Command): void {
  const command = program.command('export').description('Download the events (oldest first) as CSV, JSON or NDJSON, to a file or stdout.');
  addEventFilterOptions(command);
  addWindowOptions(command);
  addDataFilterOption(command)
    .addOption(
      new Option('--run <condition>', 'one workshop run: every event of the students who logged an event matching field=[op:]value in the window (repeatable)').argParser(
        parseDataCondition,
      ),
    )
    .addOption(new Option('--format <format>', "default: the output file's extension, else csv").choices(FORMATS))
    .option('-o, --output <file>', 'write to this file (written whole or not at all; readable by you only); default stdout')
    .addOption(new Option('--order <order>', 'asc (default): oldest first; desc: newest first').choices(['asc', 'desc']))
    .addOption(new Option('--limit <n>', 'at most n events (default: all)').argParser(positiveInteger(10_000_000)))
    .addHelpText('after', '\nExample:\n  session-log export --since 7d --run workshopId=spring-26 -o spring-26.csv')
    .action(async (options: ExportOptions, self: Command) => {
      const connection = connectionOf(self);
      const format = options.format ?? formatOfFile(options.output) ?? 'csv';
      const query = filterParams(options);
      query.set('format', format);
      for (const [field, condition] of options.run ?? []) query.append(`run.${field}`, condition);
      if (options.order !== undefined) query.set('order', options.order);
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      const response = await apiClient(connection).open('GET', '/api/session-log/export', { query, headers: { accept: '*/*' } });
      // On a terminal that also shows the data, a counter would garble it.
      const toFile = options.output !== undefined && options.output !== '-';
      const progress = downloadProgress('export', { events: format === 'ndjson', quiet: !toFile && process.stdout.isTTY });
      let bytes = 0;
      const received = (chunk: Uint8Array) => {
        bytes += chunk.length;
        progress.add(chunk.length, format === 'ndjson' ? count(chunk, NEWLINE) : 0);
      };
      const body = (response.body ?? new ReadableStream<Uint8Array>()) as AsyncIterable<Uint8Array>;
      try {
        if (toFile) await saveDownload(options.output ?? '', body, received);
        else {
          for await (const chunk of body) {
            received(chunk);
            await writeOut(chunk);
          }
        }
      } catch (error) {
        progress.done();
        throw cutShort(error, bytes, toFile ? `${options.output ?? ''} was not written` : 'the output is incomplete');
      }
      progress.done();
    });
}

function formatOfFile(file: string | undefined): Format | undefined {
  const extension = path.extname(file ?? '').slice(1).toLowerCase();
  return FORMATS.find((format) => format === extension);
}

/** A download that broke: the network's reason, or the file system's. */
function cutShort(error: unknown, bytes: number, consequence: string): CliError {
  // File system errors carry a code (ENOSPC, EACCES); a cut connection's is in its cause.
  if (typeof (error as NodeJS.ErrnoException).code === 'string') {
    return new CliError(`cannot write the export: ${(error as Error).message}`, ExitCode.failed);
  }
  return new CliError(`the download was cut short after ${bytes} bytes (${networkProblem(error)}): ${consequence}`, ExitCode.failed);
}

function count(chunk: Uint8Array, byte: number): number {
  let found = 0;
  for (const each of chunk) if (each === byte) found += 1;
  return found;
}

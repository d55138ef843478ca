import type { Command } from 'commander';
import { confirm, canAsk } from '../confirm.js';
import { connectionOf } from '../connection.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { apiClient } from '../http-client.js';
import { plural } from '../output/analytics-text.js';
import { writeOut } from '../output/stdout.js';
import { terminalSafe } from '../output/terminal-text.js';

interface EraseOptions {
  email?: string;
  session?: string;
  yes?: boolean;
  json?: boolean;
}

interface Erased {
  deleted: { events: number; sessions: number; students: number; stepStays: number; alerts: number };
}

/** `erase`: a student's (or one session's) data, deleted for good: the right to erasure. */
export function registerErase(program: Command): void {
  program
    .command('erase')
    .description("Delete everything known of a student (every session of theirs) or of one session, for good.")
    .option('--email <email>', 'the student to erase')
    .option('--session <token>', 'the session to erase')
    .option('-y, --yes', 'do not ask for confirmation (needed when not on a terminal)')
    .option('--json', "the service's answer, as JSON")
    .addHelpText('after', '\nExamples:\n  session-log erase --email ada@example.edu\n  session-log erase --session ws_1234567890 --yes')
    .action(async (options: EraseOptions, self: Command) => {
      const target = targetOf(options);
      if (options.yes !== true) {
        if (!canAsk()) throw new CliError('erase deletes for good: run it on a terminal to confirm, or pass --yes', ExitCode.usage);
        if (!(await confirm(`Erase everything known of ${terminalSafe(target.name)}? This cannot be undone.`))) {
          throw new CliError('not confirmed: nothing erased', ExitCode.failed);
        }
      }
      const client = apiClient(connectionOf(self));
      const erased = await client.json<Erased>('DELETE', target.path, { query: target.query });
      if (options.json === true) return writeOut(`${JSON.stringify(erased, null, 2)}\n`);
      const { events, sessions, students, stepStays, alerts } = erased.deleted;
      const counts = [plural(events, 'event'), plural(sessions, 'session'), plural(students, 'student'), plural(stepStays, 'step stay'), plural(alerts, 'alert')];
      await writeOut(`erased ${terminalSafe(target.name)}: ${counts.join(', ')}\n`);
    });
}

function targetOf({ email, session }: EraseOptions): { name: string; path: string; query?: URLSearchParams } {
  if ((email === undefined) === (session === undefined)) throw new CliError('erase takes one of --email or --session', ExitCode.usage);
  if (email !== undefined) return { name: `student ${email}`, path: '/api/students', query: new URLSearchParams({ email }) };
  // URLs resolve these as path steps, even escaped: the request would reach another route.
  if (session === '.' || session === '..') throw new CliError(`the session token "${session}" cannot be sent in DELETE /api/sessions/<token>`, ExitCode.usage);
  return { name: `session ${session ?? ''}`, path: `/api/sessions/${encodeURIComponent(session ?? '')}` };
}

/** "42 s", "7 min", "2 h 05" */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const hours = Math.floor(seconds / 3600);
  return `${hours} h ${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}`;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const minutes = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export const timeOfDay = (iso: string) => clock.format(new Date(iso));
export const fullTime = (iso: string) => dateTime.format(new Date(iso));
/** Local time to the minute ("14:05"), and the day ("Mar 2"): a time axis's tick labels. */
export const clockMinutes = (ms: number) => minutes.format(ms);
export const shortDate = (ms: number) => day.format(ms);
export const ago = (iso: string, now = Date.now()) => `${duration(Math.max(0, (now - Date.parse(iso)) / 1000))} ago`;

/** A student as a person reads it: the name, else the email, else the session's short token. */
export function studentLabel(row: { studentName: string | null; studentEmail: string | null; sessionToken: string }): string {
  return row.studentName ?? row.studentEmail ?? `anonymous · ${row.sessionToken.slice(0, 11)}…`;
}

/** What to tell the instructor of an error: its message. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

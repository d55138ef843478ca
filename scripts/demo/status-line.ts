import type { ClassStats } from './class-simulation.js';

/** "[14:02:10] 38/40 students active · 1,234 events sent · on steps 0–6: 3 9 12 8 5 2 1" (and any trouble delivering). */
export function statusLine(stats: ClassStats, now = new Date()): string {
  const time = now.toTimeString().slice(0, 8);
  const parts = [
    `${stats.studentsActive}/${stats.studentsTotal} students active`,
    `${stats.eventsSent.toLocaleString('en-US')} events sent`,
    `on steps 0–${stats.studentsByStep.length - 1}: ${stats.studentsByStep.join(' ')}`,
  ];
  if (stats.eventsPending > 0) parts.push(`${stats.eventsPending} waiting`);
  if (stats.retries > 0) parts.push(`${stats.retries} retried requests (last: ${stats.lastProblem ?? 'unknown'})`);
  if (stats.eventsRefused > 0) parts.push(`${stats.eventsRefused} refused`);
  return `[${time}] ${parts.join(' · ')}`;
}

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { clockMinutes, fullTime, shortDate } from '../format.js';
import { AffectedStudents } from './affected-students.js';
import type { Occurrences, ReportWindow, StepCount } from './analytics-api.js';
import { stepLabel } from './step-label.js';
import { TrendChart } from './trend-chart.js';

/** The headers of the columns OccurrenceRows adds after a table's own. */
export const OCCURRENCE_HEADERS = ['Count', 'Students', 'Steps', 'First seen', 'Last seen', 'Trend'];

/** Steps named in a cell: the three most affected; the rest counted. */
const STEPS_SHOWN = 3;

interface OccurrenceRowsProps {
  group: Occurrences;
  window: ReportWindow;
  /** The table's own cells for this group, first in the row (what failed). */
  children: ComponentChildren;
  /** How many cells `children` holds: the students' row spans them all. */
  leadingColumns: number;
  /** Said above the students, when the row opens (the latest raw message). */
  detail?: string | null;
}

/**
 * One group of an analytics table (an error pattern, a failed endpoint): how often, how
 * many students, on which steps, when, and its trend; opening it lists the students, each
 * a link to their timeline.
 */
export function OccurrenceRows({ group, window, children, leadingColumns, detail }: OccurrenceRowsProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr class={open ? 'open' : undefined}>
        {children}
        <td data-label="Count" class="number">
          {group.count}
        </td>
        <td data-label="Students">
          <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {group.students} {group.students === 1 ? 'student' : 'students'}
          </button>
        </td>
        <td data-label="Steps">{stepsText(group.steps)}</td>
        <td data-label="First seen">
          <Seen at={group.firstSeen} />
        </td>
        <td data-label="Last seen">
          <Seen at={group.lastSeen} />
        </td>
        <td class="trend">
          <TrendChart trend={group.trend} window={window} />
        </td>
      </tr>
      {open && (
        <tr class="affected">
          <td colSpan={leadingColumns + OCCURRENCE_HEADERS.length}>
            {detail != null && <p class="example">Latest: {detail}</p>}
            <AffectedStudents affected={group.affected} total={group.students} />
          </td>
        </tr>
      )}
    </>
  );
}

/** "Dec 3, 14:05", the full time on hover. */
function Seen({ at }: { at: string }) {
  const ms = Date.parse(at);
  return (
    <time dateTime={at} title={fullTime(at)}>
      {shortDate(ms)}, {clockMinutes(ms)}
    </time>
  );
}

/** "2 · Provision Services (5), 0 · Connect Accounts (1), +2 more" */
function stepsText(steps: StepCount[]): string {
  const named = steps.slice(0, STEPS_SHOWN).map((s) => `${stepLabel(s)} (${s.count})`);
  if (steps.length > STEPS_SHOWN) named.push(`+${steps.length - STEPS_SHOWN} more`);
  return named.length === 0 ? '—' : named.join(', ');
}

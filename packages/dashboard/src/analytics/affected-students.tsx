import { ago, studentLabel } from '../format.js';
import { Link, timelineOf } from '../navigation.js';
import type { AffectedStudent } from './analytics-api.js';

/** The students a group affected, most recent first, each a link to their timeline. */
export function AffectedStudents({ affected, total }: { affected: AffectedStudent[]; total: number }) {
  return (
    <>
      <ul class="affected-students" aria-label="Affected students">
        {affected.map((student) => (
          <li key={student.sessionToken}>
            <Link to={timelineOf(student.sessionToken)}>{studentLabel(student)}</Link>{' '}
            <span class="muted small">
              {student.count}× · last {ago(student.lastSeen)}
            </span>
          </li>
        ))}
      </ul>
      {total > affected.length && <p class="muted small">The {affected.length} most recent of {total} students.</p>}
    </>
  );
}

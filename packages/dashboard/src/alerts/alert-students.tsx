import { studentLabel } from '../format.js';
import { Link, timelineOf } from '../navigation.js';
import type { Alert } from './alerts-api.js';

/** Who an alert is about, each a link to their timeline. */
export function AlertStudents({ alert }: { alert: Alert }) {
  if (alert.students.length === 0) return null;
  return (
    <ul class="alert-students" aria-label="Students">
      {alert.students.map((student) => (
        <li key={student.sessionToken}>
          <Link to={timelineOf(student.sessionToken)}>{studentLabel(student)}</Link>
        </li>
      ))}
    </ul>
  );
}

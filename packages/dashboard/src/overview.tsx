import { useState } from 'preact/hooks';
import type { SessionRow } from './api.js';
import { ago, duration, studentLabel, timeOfDay } from './format.js';
import { useLiveOverview } from './live/use-live-overview.js';
import { Link, timelineOf } from './navigation.js';
import { StepHistogram } from './step-histogram.js';

const WINDOWS = ['1h', '3h', '8h', '1d'];

const STATUS_LABELS: Record<SessionRow['status'], string> = {
  asked_for_help: 'asked for help',
  stuck: 'stuck',
  erroring: 'erroring',
  idle: 'idle',
  on_track: 'on track',
};

/** The landing view: one row per active session, who needs help first. */
export function Overview({ onError }: { onError: (error: unknown) => void }) {
  const [activeWithin, setActiveWithin] = useState('3h');
  const { data, failing } = useLiveOverview(activeWithin, onError);
  if (data === null) return <p class="muted">Loading the class…</p>;
  const needHelp = data.sessions.filter((s) => s.status !== 'on_track').length;
  const now = Date.parse(data.generatedAt);
  return (
    <section>
      <h2>
        Class now{' '}
        <span class="muted">
          · {data.activeSessions > data.sessions.length ? `the ${data.sessions.length} latest of ${data.activeSessions}` : data.sessions.length} active in the last{' '}
          <select aria-label="Active within" value={activeWithin} onChange={(e) => setActiveWithin(e.currentTarget.value)}>
            {WINDOWS.map((window) => (
              <option key={window} value={window}>
                {window.replace('h', ' h').replace('d', ' day')}
              </option>
            ))}
          </select>{' '}
          · {needHelp} may need help · <span class={failing ? 'error-text' : ''}>updated at {timeOfDay(data.generatedAt)}</span>
        </span>
      </h2>
      <StepHistogram steps={data.steps} />
      <div class="table-scroll">
        <table class="overview">
          <thead>
            <tr>
              <th>Status</th>
              <th>Student</th>
              <th>Step</th>
              <th>On step</th>
              <th>Last activity</th>
              <th>Errors ({data.rules.errorWindowMinutes} min)</th>
              <th>Latest error</th>
            </tr>
          </thead>
          <tbody>
            {data.sessions.map((row) => (
              <tr key={row.sessionToken}>
                <td>
                  <span class={`status status-${row.status}`} title={row.reason}>
                    {STATUS_LABELS[row.status]}
                  </span>
                </td>
                <td class="student-cell">
                  <Link to={timelineOf(row.sessionToken)}>{studentLabel(row)}</Link>
                  {row.helpRequest !== null && <div class="help">Help: “{row.helpRequest.message ?? 'asked for help'}”</div>}
                  <div class="muted small">{row.reason}</div>
                </td>
                {/* data-label: the column's name beside each value when a phone stacks the row as a card. */}
                <td class="step" data-label="Step">
                  {row.currentStep === null ? '—' : `${row.currentStep} · ${row.stepName ?? ''}`}
                </td>
                <td data-label="On step">{duration(row.secondsOnStep)}</td>
                <td data-label="Last activity">{ago(row.lastActivity, now)}</td>
                <td class={row.recentErrors > 0 ? 'errors' : ''} data-label={`Errors (${data.rules.errorWindowMinutes} min)`}>
                  {row.recentErrors}
                </td>
                <td class="latest-error error-text" data-label={row.lastError === null ? undefined : "Latest error"}>{row.lastError === null ? null : `${row.lastError.errorType ?? 'error'}: ${row.lastError.errorMessage ?? ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.sessions.length === 0 && <p class="muted">No session has logged an event in this window.</p>}
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { getOverview, type Overview as OverviewData, type SessionRow } from './api.js';
import { ago, duration, studentLabel, timeOfDay } from './format.js';
import { StepHistogram } from './step-histogram.js';

/** Polls no more often than this (until the live stream pushes updates), one request at a time. */
const REFRESH_MS = 5000;
const WINDOWS = ['1h', '3h', '8h', '1d'];

const STATUS_LABELS: Record<SessionRow['status'], string> = {
  asked_for_help: 'asked for help',
  stuck: 'stuck',
  erroring: 'erroring',
  idle: 'idle',
  on_track: 'on track',
};

/**
 * Loads the overview now, then again REFRESH_MS after each answer, skipping the loads
 * while the tab is hidden (one on its return); stops on unmount or a new window.
 */
function useOverview(activeWithin: string, onError: (error: unknown) => void) {
  const [data, setData] = useState<OverviewData | null>(null);
  const [failing, setFailing] = useState(false);
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    let paused = false;
    const load = () =>
      getOverview(activeWithin)
        .then(
          (overview) => !stopped && (setData(overview), setFailing(false)),
          (error: unknown) => !stopped && (setFailing(true), onError(error)),
        )
        .finally(() => {
          if (!stopped) timer = window.setTimeout(() => (document.hidden ? (paused = true) : void load()), REFRESH_MS);
        });
    const resume = () => {
      if (!paused || document.hidden) return;
      paused = false;
      void load();
    };
    document.addEventListener('visibilitychange', resume);
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', resume);
    };
  }, [activeWithin]);
  return { data, failing };
}

/** The landing view: one row per active session, who needs help first. */
export function Overview({ open, onError }: { open: (sessionToken: string) => void; onError: (error: unknown) => void }) {
  const [activeWithin, setActiveWithin] = useState('3h');
  const { data, failing } = useOverview(activeWithin, onError);
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
                  <a
                    href={`?view=student&session=${encodeURIComponent(row.sessionToken)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      open(row.sessionToken);
                    }}
                  >
                    {studentLabel(row)}
                  </a>
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
                <td class="latest-error error-text">{row.lastError === null ? null : `${row.lastError.errorType ?? 'error'}: ${row.lastError.errorMessage ?? ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.sessions.length === 0 && <p class="muted">No session has logged an event in this window.</p>}
    </section>
  );
}

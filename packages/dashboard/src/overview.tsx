import { useEffect, useState } from 'preact/hooks';
import { getOverview, type Overview as OverviewData, type SessionRow } from './api.js';
import { ago, duration, studentLabel } from './format.js';
import { StepHistogram } from './step-histogram.js';

/** Polls no more often than this until the live stream pushes updates. */
const REFRESH_MS = 5000;

const STATUS_LABELS: Record<SessionRow['status'], string> = {
  asked_for_help: 'asked for help',
  stuck: 'stuck',
  erroring: 'erroring',
  idle: 'idle',
  on_track: 'on track',
};

/** The landing view: one row per active session, who needs help first. */
export function Overview({ open, onError }: { open: (sessionToken: string) => void; onError: (error: unknown) => void }) {
  const [data, setData] = useState<OverviewData | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = () =>
      getOverview().then(
        (overview) => !stopped && setData(overview),
        (error: unknown) => !stopped && onError(error),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  if (data === null) return <p class="muted">Loading the class…</p>;
  const needHelp = data.sessions.filter((s) => s.status !== 'on_track').length;
  return (
    <section>
      <h2>
        Class now <span class="muted">· {data.sessions.length} active in the last 3 h · {needHelp} may need help</span>
      </h2>
      <StepHistogram steps={data.steps} />
      <table class="overview">
        <thead>
          <tr>
            <th>Status</th>
            <th>Student</th>
            <th>Step</th>
            <th>On step</th>
            <th>Last activity</th>
            <th>Errors (10 min)</th>
            <th>Latest error</th>
          </tr>
        </thead>
        <tbody>
          {data.sessions.map((row) => (
            <tr key={row.sessionToken} class={`status-${row.status}`}>
              <td>
                <span class={`status status-${row.status}`} title={row.reason}>
                  {STATUS_LABELS[row.status]}
                </span>
              </td>
              <td>
                <a
                  href={`?view=student&session=${encodeURIComponent(row.sessionToken)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    open(row.sessionToken);
                  }}
                >
                  {studentLabel(row)}
                </a>
                {row.helpRequest !== null && <div class="help">Help: “{row.helpRequest.message ?? "asked for help"}”</div>}
                <div class="muted small">{row.reason}</div>
              </td>
              <td>{row.currentStep === null ? '—' : `${row.currentStep} · ${row.stepName ?? ''}`}</td>
              <td>{duration(row.secondsOnStep)}</td>
              <td>{ago(row.lastActivity, Date.parse(data.generatedAt))}</td>
              <td class={row.recentErrors > 0 ? 'errors' : ''}>{row.recentErrors}</td>
              <td class="error-text">{row.lastError === null ? '' : `${row.lastError.errorType ?? 'error'}: ${row.lastError.errorMessage ?? ''}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.sessions.length === 0 && <p class="muted">No session has logged an event in the last 3 hours.</p>}
    </section>
  );
}

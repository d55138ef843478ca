import { getApiFailures } from './analytics-api.js';
import { OCCURRENCE_HEADERS, OccurrenceRows } from './occurrence-rows.js';
import { ReportSection } from './report-section.js';
import { useReport } from './use-report.js';

/** The window's failed API calls grouped by method, endpoint (ids normalised) and status, most frequent first. */
export function ApiFailures({ query, onError }: { query: URLSearchParams; onError: (error: unknown) => void }) {
  const { data, problem } = useReport(getApiFailures, query, onError);
  const summary = data && `${data.totalFailures} ${data.totalFailures === 1 ? 'failure' : 'failures'} on ${data.groups.length} ${data.groups.length === 1 ? 'endpoint' : 'endpoints'}`;
  return (
    <ReportSection id="api-failures" title="Failed API calls" summary={summary} problem={problem}>
      {data !== null && data.groups.length > 0 && (
        <div class="table-scroll">
          <table class="report">
            <thead>
              <tr>
                <th>Method</th>
                <th>Endpoint</th>
                <th>Status</th>
                {OCCURRENCE_HEADERS.map((header) => (
                  <th key={header}>{header}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.groups.map((group) => (
                <OccurrenceRows key={`${group.method ?? ''} ${group.endpoint} ${group.status ?? ''}`} group={group} window={data.window} leadingColumns={3} detail={group.example}>
                  <td data-label="Method">{group.method ?? '—'}</td>
                  <td class="pattern">
                    <code>{group.endpoint}</code>
                  </td>
                  <td data-label="Status" class="number">
                    {group.status ?? '—'}
                  </td>
                </OccurrenceRows>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </ReportSection>
  );
}

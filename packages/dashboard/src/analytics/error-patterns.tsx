import { ExportButtons } from '../export-buttons.js';
import { getErrorPatterns, type ReportWindow } from './analytics-api.js';
import { OCCURRENCE_HEADERS, OccurrenceRows } from './occurrence-rows.js';
import { ReportSection } from './report-section.js';
import { useReport } from './use-report.js';

/**
 * The window's error events as the export route takes them: with a workshop run chosen,
 * its `data.<field>` conditions become `run.<field>` ones, which select students as the
 * reports do (any event of theirs in the window matched), not each error by its own data.
 */
function errorEvents(query: URLSearchParams, window: ReportWindow): URLSearchParams {
  const filters = new URLSearchParams({ eventType: 'error', since: window.since, until: window.until });
  for (const [key, value] of query) if (key.startsWith('data.')) filters.append(`run.${key.slice('data.'.length)}`, value);
  return filters;
}

/** The window's errors grouped by type and normalised message, most frequent first. */
export function ErrorPatterns({ query, onError }: { query: URLSearchParams; onError: (error: unknown) => void }) {
  const { data, problem } = useReport(getErrorPatterns, query, onError);
  const summary = data && `${data.totalErrors} ${data.totalErrors === 1 ? 'error' : 'errors'} in ${data.patterns.length} ${data.patterns.length === 1 ? 'pattern' : 'patterns'}`;
  return (
    <ReportSection id="error-patterns" title="Error patterns" summary={summary} problem={problem}>
      {data !== null && (
        <>
          {data.totalErrors > 0 && (
            <p class="toolbar">
              <ExportButtons filters={errorEvents(query, data.window)} what="these errors" />
            </p>
          )}
          {data.patterns.length > 0 && (
            <div class="table-scroll">
              <table class="report">
                <thead>
                  <tr>
                    <th>Error type</th>
                    <th>Pattern</th>
                    {OCCURRENCE_HEADERS.map((header) => (
                      <th key={header}>{header}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.patterns.map((pattern) => (
                    <OccurrenceRows key={`${pattern.errorType ?? ''}\n${pattern.pattern}`} group={pattern} window={data.window} leadingColumns={2} detail={pattern.example}>
                      <td data-label="Error type">{pattern.errorType ?? '—'}</td>
                      <td class="pattern">
                        <code>{pattern.pattern}</code>
                      </td>
                    </OccurrenceRows>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </ReportSection>
  );
}

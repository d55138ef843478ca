const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
  { format: 'ndjson', label: 'NDJSON' },
];

/** The export route's address for these filters: same origin, so the session cookie goes with it and nothing secret is in it. */
export const exportUrl = (format: string, filters: URLSearchParams) => `/api/session-log/export?${new URLSearchParams([['format', format], ...filters]).toString()}`;

/**
 * Download links for the events `filters` select (the query API's filters), one per format.
 * A plain link: the browser streams the file to disk, named by the service.
 * Example: `<ExportButtons filters={new URLSearchParams({ sessionToken })} what="this session" />`
 */
export function ExportButtons({ filters, what }: { filters: URLSearchParams; what: string }) {
  return (
    <span class="export" role="group" aria-label={`Export ${what}`}>
      <span class="muted">Export {what}:</span>
      {FORMATS.map(({ format, label }) => (
        <a key={format} class="button" href={exportUrl(format, filters)} download>
          {label}
        </a>
      ))}
    </span>
  );
}

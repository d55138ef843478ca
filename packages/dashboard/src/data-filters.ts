// The query API's event_data filters as the forms take them: one `field=[op:]value` per line.

/**
 * The filter lines as `[field, condition]`, e.g. `status=gte:400` as `['status', 'gte:400']`.
 * A line of another form throws: a filter left out would widen the search unseen.
 */
function parseFilters(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^\s*([A-Za-z_][\w.]*)\s*=\s*(.+?)\s*$/.exec(line);
      if (match?.[1] === undefined || match[2] === undefined) {
        throw new Error(`"${line.trim()}" is not a filter: write field=value or field=op:value, e.g. status=gte:400`);
      }
      return [match[1], match[2]];
    });
}

/**
 * A filter form's fields, trimmed and non-empty, as the page's URL keeps them (`view` first);
 * throws on a mistyped data filter, so that the form can say so before anything is read.
 */
export function formQuery(form: HTMLFormElement, view: string): URLSearchParams {
  const query = new URLSearchParams({ view });
  for (const [key, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') query.set(key, value.trim());
  parseFilters(query.get('filters') ?? '');
  return query;
}

/** The URL's filter fields (a search's or the live view's) as the query API takes them; throws on a mistyped data filter. */
export function apiFilters(query: URLSearchParams, fields: readonly string[]): URLSearchParams {
  const api = new URLSearchParams();
  for (const field of fields) {
    const value = query.get(field);
    if (value) api.set(field, value);
  }
  for (const [field, condition] of parseFilters(query.get('filters') ?? '')) api.append(`data.${field}`, condition);
  return api;
}

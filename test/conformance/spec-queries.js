// "Querying Logs Programmatically" from the spec, verbatim (plus `return events`, so
// that the test can see the result). `fetch` is the page's: same origin, signed in.
let fetch;

/** @param {(path: string) => Promise<Response>} pageFetch */
export function usePageFetch(pageFetch) {
  fetch = pageFetch;
}

export async function getStudentErrors(sessionToken) {
  const response = await fetch(
    `/api/session-log?sessionToken=${sessionToken}&eventType=error`
  );
  const data = await response.json();
  return data.events;
}

export async function analyzeNavigationPattern(sessionToken) {
  const response = await fetch(
    `/api/session-log?sessionToken=${sessionToken}&eventType=navigation`
  );
  const data = await response.json();

  // Calculate average time between steps
  const events = data.events.sort((a, b) =>
    new Date(a.created_at) - new Date(b.created_at)
  );

  // Your analysis logic here
  return events;
}

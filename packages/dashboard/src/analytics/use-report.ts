import { useEffect, useState } from 'preact/hooks';
import { reportProblem } from '../alerts/report-problem.js';

/**
 * A report loaded for `query`, again whenever the query changes: null while it loads, or
 * the service's refusal as `problem` (signing out goes to the page through onError).
 * Example: `const { data, problem } = useReport(getFunnel, query, onError);`
 */
export function useReport<T>(load: (query: URLSearchParams) => Promise<T>, query: URLSearchParams, onError: (error: unknown) => void) {
  const [state, setState] = useState<{ data: T | null; problem: string | null }>({ data: null, problem: null });
  useEffect(() => {
    let current = true;
    setState({ data: null, problem: null });
    load(query).then(
      (data) => current && setState({ data, problem: null }),
      reportProblem((problem) => current && setState({ data: null, problem }), onError),
    );
    return () => {
      current = false;
    };
  }, [query.toString()]);
  return state;
}

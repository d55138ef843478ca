import { SignedOut } from '../api.js';
import { messageOf } from '../format.js';

/**
 * What to do with a failed request of a section that shows its own problems: signing
 * out goes to the page, anything else is shown beside the form or list that asked.
 * Example: `createRule(input).then(done, reportProblem(setProblem, onError))`
 */
export function reportProblem(show: (message: string) => void, onError: (error: unknown) => void): (error: unknown) => void {
  return (error) => (error instanceof SignedOut ? onError(error) : show(messageOf(error)));
}

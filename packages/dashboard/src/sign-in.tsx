import { useState } from 'preact/hooks';
import { signIn } from './api.js';

/** The instructor token, posted once for a session cookie (never kept by the page). */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const token = new FormData(form).get('token');
    signIn(typeof token === 'string' ? token.trim() : '').then(onSignedIn, () => setProblem('That is not the instructor token.'));
    form.reset();
  };
  return (
    <form class="sign-in" onSubmit={submit}>
      <h1>session-log</h1>
      <p>Sign in with the instructor token (printed when the service started; kept in its data directory).</p>
      <label>
        Instructor token <input name="token" type="password" autoComplete="current-password" required autoFocus />
      </label>
      <button type="submit">Sign in</button>
      {problem !== null && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
    </form>
  );
}

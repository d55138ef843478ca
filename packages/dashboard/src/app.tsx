import { useEffect, useState } from 'preact/hooks';
import { checkSession, SignedOut, signOut } from './api.js';
import { Overview } from './overview.js';
import { Search } from './search.js';
import { SignIn } from './sign-in.js';
import { Student } from './student.js';

/** The page's state lives in its URL: ?view=overview|student|search and that view's parameters. */
function useUrlQuery(): [URLSearchParams, (query: URLSearchParams) => void] {
  const [query, setState] = useState(() => new URLSearchParams(location.search));
  useEffect(() => {
    const onPop = () => setState(new URLSearchParams(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = (next: URLSearchParams) => {
    history.pushState(null, '', `?${next.toString()}`);
    setState(next);
  };
  return [query, navigate];
}

export function App() {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [query, navigate] = useUrlQuery();
  useEffect(() => {
    checkSession().then(() => setSignedIn(true), () => setSignedIn(false));
  }, []);
  const onError = (error: unknown) => {
    if (error instanceof SignedOut) setSignedIn(false);
    else setProblem(error instanceof Error ? error.message : String(error));
  };
  if (signedIn === null) return null;
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const view = query.get('view') ?? 'overview';
  const openStudent = (sessionToken: string) => navigate(new URLSearchParams({ view: 'student', session: sessionToken }));
  const lookUp = (event: Event) => {
    event.preventDefault();
    const who = new FormData(event.currentTarget as HTMLFormElement).get('who');
    const value = typeof who === 'string' ? who.trim() : '';
    if (value.includes('@')) navigate(new URLSearchParams({ view: 'search', studentEmail: value }));
    else if (value !== '') openStudent(value);
  };
  return (
    <>
      <header>
        <strong class="brand">session-log</strong>
        <nav>
          <a href="?view=overview" aria-current={view === 'overview' ? 'page' : undefined} onClick={(e) => (e.preventDefault(), navigate(new URLSearchParams({ view: 'overview' })))}>
            Class
          </a>
          <a href="?view=search" aria-current={view === 'search' ? 'page' : undefined} onClick={(e) => (e.preventDefault(), navigate(new URLSearchParams({ view: 'search' })))}>
            Search
          </a>
        </nav>
        <form class="look-up" onSubmit={lookUp}>
          <input name="who" placeholder="Session token or email" aria-label="Open a session token or a student email" />
        </form>
        <button type="button" onClick={() => void signOut().then(() => setSignedIn(false), (error: unknown) => onError(signOutFailed(error)))}>
          Sign out
        </button>
      </header>
      {problem !== null && (
        <p role="alert" class="error-text">
          {problem}{' '}
          <button type="button" onClick={() => setProblem(null)}>
            Dismiss
          </button>
        </p>
      )}
      <main>
        {view === 'student' && <Student sessionToken={query.get('session') ?? ''} onError={onError} />}
        {view === 'search' && <Search query={query} setQuery={navigate} onError={onError} />}
        {view === 'overview' && <Overview open={openStudent} onError={onError} />}
      </main>
    </>
  );
}

/** Still signed in: the session ends only once the service has forgotten it. */
function signOutFailed(error: unknown): unknown {
  return error instanceof SignedOut ? error : new Error(`Not signed out: ${error instanceof Error ? error.message : String(error)}`);
}

import { useEffect, useState } from 'preact/hooks';
import { messageOf } from './format.js';
import { checkSession, SignedOut, signOut } from './api.js';
import { AlertToasts } from './alerts/alert-toasts.js';
import { AlertsView } from './alerts/alerts-view.js';
import { LazyAnalyticsView } from './analytics/lazy-analytics-view.js';
import { ConnectionIndicator } from './live/connection-indicator.js';
import { LiveView } from './live/live-view.js';
import { Link, navigate, timelineOf, useUrlQuery } from './navigation.js';
import { Overview } from './overview.js';
import { Search } from './search.js';
import { SignIn } from './sign-in.js';
import { Student } from './student.js';

const VIEWS = [
  { view: 'overview', label: 'Class' },
  { view: 'live', label: 'Live' },
  { view: 'search', label: 'Search' },
  { view: 'alerts', label: 'Alerts' },
  { view: 'analytics', label: 'Analytics' },
];

export function App() {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const query = useUrlQuery();
  useEffect(() => {
    checkSession().then(() => setSignedIn(true), () => setSignedIn(false));
  }, []);
  const onError = (error: unknown) => {
    if (error instanceof SignedOut) setSignedIn(false);
    else setProblem(messageOf(error));
  };
  if (signedIn === null) return null;
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const view = query.get('view') ?? 'overview';
  const lookUp = (event: Event) => {
    event.preventDefault();
    const who = new FormData(event.currentTarget as HTMLFormElement).get('who');
    const value = typeof who === 'string' ? who.trim() : '';
    if (value.includes('@')) navigate(new URLSearchParams({ view: 'search', studentEmail: value }));
    else if (value !== '') navigate(new URLSearchParams(timelineOf(value)));
  };
  return (
    <>
      <header>
        <strong class="brand">session-log</strong>
        <nav>
          {VIEWS.map((item) => (
            <Link key={item.view} to={{ view: item.view }} current={view === item.view}>
              {item.label}
            </Link>
          ))}
        </nav>
        <ConnectionIndicator />
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
        {view === 'overview' && <Overview onError={onError} />}
        {view === 'live' && <LiveView query={query} setQuery={navigate} onError={onError} />}
        {view === 'alerts' && <AlertsView onError={onError} />}
        {view === 'analytics' && <LazyAnalyticsView query={query} setQuery={navigate} onError={onError} />}
      </main>
      <AlertToasts onError={onError} />
    </>
  );
}

/** Still signed in: the session ends only once the service has forgotten it. */
function signOutFailed(error: unknown): unknown {
  return error instanceof SignedOut ? error : new Error(`Not signed out: ${messageOf(error)}`);
}

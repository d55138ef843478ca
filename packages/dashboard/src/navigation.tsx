import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Moves the page to another view without a reload: any component may, and App follows (popstate). */
export function navigate(query: URLSearchParams): void {
  history.pushState(null, '', `?${query.toString()}`);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The page's state lives in its URL: ?view=overview|student|search|live|alerts|analytics and that view's parameters. */
export function useUrlQuery(): URLSearchParams {
  const [query, setState] = useState(() => new URLSearchParams(location.search));
  useEffect(() => {
    const onPop = () => setState(new URLSearchParams(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return query;
}

/**
 * A link within the dashboard: a real href (open in a new tab, copy), followed in place.
 * Example: `<Link to={{ view: 'student', session: token }}>Grace</Link>`
 */
export function Link({ to, children, class: className, current }: { to: Record<string, string>; children: ComponentChildren; class?: string; current?: boolean }) {
  const query = new URLSearchParams(to);
  return (
    <a
      href={`?${query.toString()}`}
      class={className}
      aria-current={current === true ? 'page' : undefined}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(query);
      }}
    >
      {children}
    </a>
  );
}

/** The link to one session's timeline. */
export const timelineOf = (sessionToken: string) => ({ view: 'student', session: sessionToken });

import { usePageConnection } from './connection-status.js';
import type { StreamState } from './event-stream.js';

const SHOWN: Record<Exclude<StreamState, 'refused'>, { label: string; title: string }> = {
  live: { label: 'Live', title: 'Updates arrive as they happen.' },
  connecting: { label: 'Connecting…', title: 'Opening the live connection.' },
  reconnecting: { label: 'Reconnecting…', title: 'The live connection dropped; reconnecting. Events that arrive meanwhile follow once it is back.' },
  offline: { label: 'Offline', title: 'The service cannot be reached; still trying. The page shows what it last knew.' },
};

/** Whether the page is live, reconnecting or offline, in words (the dot's colour only repeats them). */
export function ConnectionIndicator() {
  const state = usePageConnection();
  if (state === null || state === 'refused') return null;
  const { label, title } = SHOWN[state];
  return (
    <span class={`connection connection-${state}`} role="status" title={title}>
      <span class="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

import type { EventKind } from './event-summary.js';

const LABELS: Record<EventKind, string> = {
  navigation: 'navigation',
  action: 'action',
  api_call: 'API call',
  state_change: 'state change',
  error: 'error or failed API call',
  help_request: 'help request',
  other: 'other',
};

/** What the timeline's colours and lines mean, for what this session has. */
export function TimelineLegend({ kinds, wentBack, lost }: { kinds: EventKind[]; wentBack: boolean; lost: boolean }) {
  return (
    <ul class="legend" aria-label="Timeline legend">
      {kinds.map((kind) => (
        <li key={kind}>
          <span class={`swatch kind-${kind}`} aria-hidden="true" />
          {LABELS[kind]}
        </li>
      ))}
      {wentBack && (
        <li>
          <span class="swatch back" aria-hidden="true" />
          went back to an earlier step
        </li>
      )}
      {lost && (
        <li>
          <span class="swatch lost" aria-hidden="true" />
          events that never arrived
        </li>
      )}
    </ul>
  );
}

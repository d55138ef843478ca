import type { StoredEvent } from './api.js';
import { eventSummary, isFailure } from './event-summary.js';
import { duration, fullTime, timeOfDay } from './format.js';
import { navigationStep } from '../../../src/schemas/navigation-step.js';

const WIDTH = 1000;
const HEIGHT = 132;
const BAND_Y = 14;
const BAND_H = 44;
const MARK_Y = 88;
/** A session with an event this recent is live: its last step runs on to now. */
const LIVE_MS = 10 * 60_000;

interface Band {
  start: number;
  end: number;
  label: string;
  back: boolean;
}

/** Steps as bands (how long on each, where the student went back), events as marks, lost events as gaps. */
export function Timeline({ events, now }: { events: StoredEvent[]; now: number }) {
  if (events.length === 0) return null;
  const times = events.map((e) => Date.parse(e.created_at));
  const start = Math.min(...times);
  const last = Math.max(...times);
  // The axis runs to now while the session is live, else to its last event.
  const end = now - last < LIVE_MS ? now : last;
  const x = (t: number) => ((t - start) / Math.max(1, end - start)) * (WIDTH - 20) + 10;
  const bands = stepBands(events, end);
  const gaps = sequenceGaps(events);
  return (
    <figure class="timeline">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Timeline of the session across steps">
        {bands.map((band, i) => (
          <g key={i} class={`band ${i % 2 === 0 ? 'even' : 'odd'}${band.back ? ' back' : ''}`}>
            <rect x={x(band.start)} y={BAND_Y} width={Math.max(1, x(band.end) - x(band.start))} height={BAND_H}>
              <title>{`${band.label}: ${duration((band.end - band.start) / 1000)}${band.back ? ' (went back)' : ''}`}</title>
            </rect>
            {x(band.end) - x(band.start) > 70 && (
              <text x={x(band.start) + 4} y={BAND_Y + 18}>
                {band.back ? '↩ ' : ''}
                {band.label}
              </text>
            )}
            {x(band.end) - x(band.start) > 70 && (
              <text x={x(band.start) + 4} y={BAND_Y + 36} class="muted">
                {duration((band.end - band.start) / 1000)}
              </text>
            )}
          </g>
        ))}
        {gaps.map((gap, i) => (
          <g key={`gap${i}`} class="gap">
            <line x1={x(gap.at)} x2={x(gap.at)} y1={BAND_Y} y2={HEIGHT - 10} />
            <text x={x(gap.at) + 3} y={HEIGHT - 12}>{`${gap.missing} lost`}</text>
          </g>
        ))}
        {events.map((event) => (
          <circle
            key={event.event_id}
            class={`mark type-${event.event_type}${isFailure(event) ? ' failure' : ''}`}
            cx={x(Date.parse(event.created_at))}
            cy={MARK_Y}
            r={isFailure(event) || event.event_type === 'help_request' ? 6 : 3.5}
          >
            <title>{`${timeOfDay(event.created_at)} ${event.event_type}: ${eventSummary(event)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption class="muted">
        {fullTime(new Date(start).toISOString())} – {(end - start > 86_400_000 ? fullTime : timeOfDay)(new Date(end).toISOString())}
        {gaps.length > 0 && ` · ${gaps.reduce((n, g) => n + g.missing, 0)} event(s) never arrived (sequence gaps)`}
      </figcaption>
    </figure>
  );
}

function stepBands(events: StoredEvent[], end: number): Band[] {
  const navigations = events.filter((e) => e.event_type === 'navigation');
  return navigations.map((navigation, i) => {
    const next = navigations[i + 1];
    const { to, from } = navigation.event_data;
    const { step, stepName } = navigationStep(navigation.event_data);
    return {
      start: Date.parse(navigation.created_at),
      end: next === undefined ? end : Date.parse(next.created_at),
      label: stepName ?? `step ${step ?? '?'}`,
      back: typeof to === 'number' && typeof from === 'number' && to < from,
    };
  });
}

/** Where the client's sequence numbers skip: events it sent that never arrived. */
function sequenceGaps(events: StoredEvent[]): Array<{ at: number; missing: number }> {
  const numbered = events.filter((e) => e.seq !== null).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const gaps: Array<{ at: number; missing: number }> = [];
  numbered.forEach((event, i) => {
    const previous = numbered[i - 1];
    if (previous === undefined || (event.seq ?? 0) - (previous.seq ?? 0) <= 1) return;
    const at = (Date.parse(previous.created_at) + Date.parse(event.created_at)) / 2;
    gaps.push({ at, missing: (event.seq ?? 0) - (previous.seq ?? 0) - 1 });
  });
  return gaps;
}

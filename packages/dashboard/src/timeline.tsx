import type { StoredEvent } from './api.js';
import { EVENT_KINDS, eventKind, eventSummary, type EventKind } from './event-summary.js';
import { fitText } from './fit-text.js';
import { duration, timeOfDay } from './format.js';
import { TimeAxis } from './time-axis.js';
import { TimelineLegend } from './timeline-legend.js';
import { useWidth } from './use-width.js';
import { navigationStep, stepLabel } from '../../../src/schemas/navigation-step.js';

// Drawn in px at the chart's real width (no viewBox to scale it), so that text stays 12 px on any screen.
const HEIGHT = 104;
const FONT_PX = 12;
const PAD = 12;
const BAND_Y = 4;
const BAND_H = 40;
const MARK_Y = 60;
const AXIS_Y = 84;
/** A session with an event this recent is live: its last step runs on to now. */
const LIVE_MS = 10 * 60_000;
/** The kinds an instructor looks for first: drawn larger, and on top. */
const LOUD: readonly EventKind[] = ['error', 'help_request'];

interface Band {
  start: number;
  end: number;
  label: string;
  title: string;
  back: boolean;
}

/** Steps as bands (how long on each, where the student went back), events as marks, lost events as gaps, over a time axis. */
export function Timeline({ events, now }: { events: StoredEvent[]; now: number }) {
  const [ref, width] = useWidth<SVGSVGElement>();
  if (events.length === 0) return null;
  const times = events.map((e) => Date.parse(e.created_at));
  const start = Math.min(...times);
  const last = Math.max(...times);
  // The axis runs to now while the session is live, else to its last event.
  const end = now - last < LIVE_MS ? now : last;
  const x = (t: number) => PAD + ((t - start) / Math.max(1, end - start)) * (width - 2 * PAD);
  const bands = stepBands(events, end);
  const gaps = sequenceGaps(events);
  const kinds = EVENT_KINDS.filter((kind) => events.some((e) => eventKind(e) === kind));
  const font = ref.current === null ? '' : `${FONT_PX}px ${getComputedStyle(ref.current).fontFamily}`;
  return (
    <figure class="timeline">
      <svg ref={ref} width="100%" height={HEIGHT} font-size={FONT_PX} role="img" aria-label="Timeline of the session across steps">
        {width > 0 && (
          <>
            {bands.map((band, i) => (
              <StepBand key={i} band={band} x={x} font={font} even={i % 2 === 0} />
            ))}
            {gaps.map((gap, i) => (
              <g key={`gap${i}`} class="gap">
                <line x1={x(gap.at)} x2={x(gap.at)} y1={BAND_Y} y2={AXIS_Y} />
                <text x={x(gap.at) + 3} y={AXIS_Y - 6}>{`${gap.missing} lost`}</text>
              </g>
            ))}
            {marksOnTop(events).map((event) => (
              <EventMark key={event.event_id} event={event} x={x} />
            ))}
            <TimeAxis start={start} end={end} x={x} y={AXIS_Y} width={width} />
          </>
        )}
      </svg>
      <figcaption>
        <TimelineLegend kinds={kinds} wentBack={bands.some((b) => b.back)} lost={gaps.length > 0} />
        {gaps.length > 0 && <span class="muted">{gaps.reduce((n, g) => n + g.missing, 0)} event(s) never arrived (sequence gaps)</span>}
      </figcaption>
    </figure>
  );
}

/** A step's band: its name and time on it, cut to the band's width; the whole of both on hover. */
function StepBand({ band, x, font, even }: { band: Band; x: (t: number) => number; font: string; even: boolean }) {
  const bandWidth = Math.max(1, x(band.end) - x(band.start));
  return (
    <g class={`band ${even ? 'even' : 'odd'}${band.back ? ' back' : ''}`}>
      <title>{band.title}</title>
      <rect x={x(band.start)} y={BAND_Y} width={bandWidth} height={BAND_H} />
      <text x={x(band.start) + 4} y={BAND_Y + 16}>
        {fitText(`${band.back ? '↩ ' : ''}${band.label}`, bandWidth - 8, font)}
      </text>
      <text x={x(band.start) + 4} y={BAND_Y + 32} class="muted">
        {fitText(duration((band.end - band.start) / 1000), bandWidth - 8, font)}
      </text>
    </g>
  );
}

/** One event, coloured by its kind; errors and help requests larger. */
function EventMark({ event, x }: { event: StoredEvent; x: (t: number) => number }) {
  const kind = eventKind(event);
  return (
    <circle class={`mark kind-${kind}`} cx={x(Date.parse(event.created_at))} cy={MARK_Y} r={LOUD.includes(kind) ? 6 : 3.5}>
      <title>{`${timeOfDay(event.created_at)} ${event.event_type}: ${eventSummary(event)}`}</title>
    </circle>
  );
}

/** Errors and help requests drawn last, so that a mark at the same instant never covers them. */
function marksOnTop(events: StoredEvent[]): StoredEvent[] {
  const loud = (event: StoredEvent) => LOUD.includes(eventKind(event));
  return [...events.filter((e) => !loud(e)), ...events.filter(loud)];
}

function stepBands(events: StoredEvent[], end: number): Band[] {
  const navigations = events.filter((e) => e.event_type === 'navigation');
  return navigations.map((navigation, i) => {
    const next = navigations[i + 1];
    const { to, from } = navigation.event_data;
    const { step, stepName } = navigationStep(navigation.event_data);
    const start = Date.parse(navigation.created_at);
    const bandEnd = next === undefined ? end : Date.parse(next.created_at);
    const back = typeof to === 'number' && typeof from === 'number' && to < from;
    return {
      start,
      end: bandEnd,
      label: stepName ?? `step ${step ?? '?'}`,
      title: `${stepLabel(step, stepName) ?? 'step ?'}: ${duration((bandEnd - start) / 1000)}${back ? ' (went back)' : ''}`,
      back,
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

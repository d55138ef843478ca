import { clockMinutes, shortDate, timeOfDay } from './format.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tick spacings a reader counts in: round seconds, minutes, hours, days. */
const SPACINGS = [
  ...[1, 5, 10, 30].map((n) => n * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * MINUTE),
  ...[1, 2, 3, 6, 12].map((n) => n * HOUR),
  ...[1, 2, 7].map((n) => n * DAY),
];
/** Room for one tick label ("02:05:30 PM") and the space between two. */
const LABEL_PX = 90;

/** Ticks on round local times (14:00, 14:05…) between start and end, as many as `width` px leaves room for. */
function axisTicks(start: number, end: number, width: number): { ticks: number[]; label: (t: number) => string } {
  const most = Math.max(1, Math.floor(width / LABEL_PX));
  const spacing = SPACINGS.find((s) => (end - start) / s <= most) ?? Math.ceil((end - start) / most / (7 * DAY)) * 7 * DAY;
  // Round in local time: where the clock is 5:30 ahead of UTC, its hours fall at :30 UTC.
  const offset = -new Date(start).getTimezoneOffset() * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil((start + offset) / spacing) * spacing - offset; t <= end; t += spacing) ticks.push(t);
  const label = spacing < MINUTE ? (t: number) => timeOfDay(new Date(t).toISOString()) : spacing < DAY ? clockMinutes : shortDate;
  return { ticks, label };
}

/** A time axis under a chart: its baseline, and round local times that do not run off its ends. */
export function TimeAxis({ start, end, x, y, width }: { start: number; end: number; x: (t: number) => number; y: number; width: number }) {
  const { ticks, label } = axisTicks(start, end, width);
  const room = LABEL_PX / 3;
  return (
    <g class="axis">
      <line x1={x(start)} x2={x(end)} y1={y} y2={y} />
      {ticks
        .filter((t) => x(t) >= room && x(t) <= width - room)
        .map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={y} y2={y + 4} />
            <text x={x(t)} y={y + 16}>
              {label(t)}
            </text>
          </g>
        ))}
    </g>
  );
}

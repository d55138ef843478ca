/** At most this many redraws a second: a fast download must not spend its time drawing. */
const REDRAW_MS = 100;

export interface Progress {
  /** Adds what arrived. */
  add(bytes: number, events?: number): void;
  /** Draws the final count and ends the line. */
  done(): void;
}

/**
 * A one-line counter of what a download received (`export: 12.4 MB, 48,211 events`),
 * redrawn in place on stderr. Silent unless stderr is a terminal (piped or logged runs
 * stay clean), and when `quiet`.
 *
 * @example const progress = downloadProgress('export', { events: true }); progress.add(chunk.length, 3); progress.done();
 */
export function downloadProgress(label: string, { events: countsEvents, quiet = false }: { events: boolean; quiet?: boolean }): Progress {
  const stream = process.stderr;
  if (quiet || !stream.isTTY) return { add: () => undefined, done: () => undefined };
  let bytes = 0;
  let events = 0;
  let drawnAt = 0;
  const started = Date.now();
  const draw = () => {
    drawnAt = Date.now();
    const seconds = ((drawnAt - started) / 1000).toFixed(1);
    const counted = countsEvents ? `, ${events.toLocaleString('en-US')} events` : '';
    stream.write(`\r\u001b[K${label}: ${size(bytes)}${counted} received, ${seconds} s`);
  };
  return {
    add(chunkBytes, chunkEvents = 0) {
      bytes += chunkBytes;
      events += chunkEvents;
      if (Date.now() - drawnAt >= REDRAW_MS) draw();
    },
    done() {
      draw();
      stream.write('\n');
    },
  };
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

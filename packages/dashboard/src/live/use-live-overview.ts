import { useEffect, useRef, useState } from 'preact/hooks';
import { getOverview, type Overview } from '../api.js';
import { OVERVIEW_TIMING, Refresher } from './refresher.js';
import { EVENTS, EVENTS_STREAM, useEventStream } from './use-event-stream.js';

/**
 * The class overview (computed by the service), kept current: reloaded when events arrive
 * on the live stream (at most every 2 s) and every 30 s besides, since "stuck" changes with
 * time alone; while the stream is down, every 5 s instead.
 */
export function useLiveOverview(activeWithin: string, onError: (error: unknown) => void) {
  const [data, setData] = useState<Overview | null>(null);
  const [failing, setFailing] = useState(false);
  const refresher = useRef<Refresher | null>(null);
  const state = useEventStream(EVENTS_STREAM, '', EVENTS, { onMessage: () => refresher.current?.poke() });
  const live = state === 'live';
  const liveNow = useRef(live);
  liveNow.current = live;
  useEffect(() => {
    let current = true;
    const next = new Refresher(
      () =>
        getOverview(activeWithin).then(
          (overview) => current && (setData(overview), setFailing(false)),
          (error: unknown) => current && (setFailing(true), onError(error)),
        ),
      OVERVIEW_TIMING,
    );
    next.setLive(liveNow.current);
    next.start();
    refresher.current = next;
    return () => {
      current = false;
      next.stop();
    };
  }, [activeWithin]);
  useEffect(() => refresher.current?.setLive(live), [live]);
  return { data, failing };
}

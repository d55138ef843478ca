import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * An element's width in px, kept up to date as it resizes; 0 until first measured.
 * Example: `const [ref, width] = useWidth<HTMLElement>(); <figure ref={ref}>…`
 */
export function useWidth<T extends Element>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (ref.current === null) return;
    const observer = new ResizeObserver(([entry]) => entry !== undefined && setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

import { useEffect, useState } from 'react';
import { useLiveEvents } from '../../realtime';
import { DispatchStore, STORE_TOPICS } from './live-store';

/**
 * Calls `flush` after changes signalled through `subscribe`, at most once per `minIntervalMs` and
 * always inside an animation frame (so a burst of live events costs one repaint). Returns a cancel.
 */
export function throttledFrames(
  subscribe: (listener: () => void) => () => void,
  flush: () => void,
  minIntervalMs: number,
): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let frame: number | null = null;
  const run = () => {
    frame = null;
    last = performance.now();
    flush();
  };
  const schedule = () => {
    if (timer !== null || frame !== null) return;
    const wait = Math.max(0, last + minIntervalMs - performance.now());
    if (wait === 0) frame = requestAnimationFrame(run);
    else
      timer = setTimeout(() => {
        timer = null;
        frame = requestAnimationFrame(run);
      }, wait);
  };
  const unsubscribe = subscribe(schedule);
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
    if (frame !== null) cancelAnimationFrame(frame);
  };
}

/** The store's version, re-read at most every `minIntervalMs` (re-renders the caller). */
export function useStoreVersion(store: DispatchStore, minIntervalMs: number): number {
  const [version, setVersion] = useState(store.getVersion());
  useEffect(
    () => throttledFrames(store.subscribe, () => setVersion(store.getVersion()), minIntervalMs),
    [store, minIntervalMs],
  );
  return version;
}

/**
 * A DispatchStore for this screen: loaded on mount, kept current by live events of the incident,
 * dispatch and units topics, reloaded when the server says events were missed.
 */
export function useDispatchStore(options: { withUnits?: boolean } = {}): DispatchStore {
  const withUnits = options.withUnits ?? true;
  const [store] = useState(() => new DispatchStore(withUnits));
  useEffect(() => {
    void store.reload();
    return () => store.dispose();
  }, [store]);
  useLiveEvents(STORE_TOPICS, store.handleEvent, { onResync: () => void store.reload() });
  return store;
}

/** Current time, advanced every `intervalMs` (for timers that tick locally). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

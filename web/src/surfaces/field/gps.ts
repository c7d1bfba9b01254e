import { useEffect, useRef, useState } from 'react';
import type { Outbox } from './outbox';

/** A fix as POST /api/v1/avl/positions takes it. */
export interface PositionReport {
  lon: number;
  lat: number;
  speedKmh: number | null;
  heading: number | null;
  accuracyM: number | null;
  recordedAt: string;
}

/** Batches are handed to the outbox this often while on duty (the first fix goes at once). */
export const GPS_BATCH_MS = 10_000;
const ON_DUTY_KEY = 'centinela.campo.onDuty';

export function toReport(position: GeolocationPosition): PositionReport {
  const { coords } = position;
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  const speed = coords.speed;
  const heading = coords.heading;
  return {
    lon: round(coords.longitude, 6),
    lat: round(coords.latitude, 6),
    speedKmh: speed !== null && Number.isFinite(speed) && speed >= 0 ? round(speed * 3.6, 1) : null,
    heading:
      heading !== null && Number.isFinite(heading) && heading >= 0 && heading <= 360
        ? round(heading, 1)
        : null,
    accuracyM: Number.isFinite(coords.accuracy) && coords.accuracy >= 0 ? round(coords.accuracy, 1) : null,
    recordedAt: new Date(position.timestamp || Date.now()).toISOString(),
  };
}

export function readOnDuty(): boolean {
  try {
    return localStorage.getItem(ON_DUTY_KEY) === '1';
  } catch {
    return false;
  }
}

function saveOnDuty(value: boolean): void {
  try {
    if (value) localStorage.setItem(ON_DUTY_KEY, '1');
    else localStorage.removeItem(ON_DUTY_KEY);
  } catch {
    // not persisted
  }
}

export type GpsState =
  | { kind: 'off' }
  | { kind: 'waiting' }
  | { kind: 'tracking'; last: PositionReport; sent: number }
  | { kind: 'denied' }
  | { kind: 'unavailable' };

/**
 * While on duty, watches the device position and queues the fixes in batches (the first one at once,
 * then every GPS_BATCH_MS); the outbox sends them, or keeps them while offline. The duty switch is
 * remembered on the device.
 */
export function useDutyGps(outbox: Outbox, enabled: boolean) {
  const [onDuty, setOnDutyState] = useState(readOnDuty);
  const [state, setState] = useState<GpsState>({ kind: 'off' });
  const buffer = useRef<PositionReport[]>([]);
  const queued = useRef(0);

  const setOnDuty = (value: boolean) => {
    saveOnDuty(value);
    setOnDutyState(value);
  };

  useEffect(() => {
    if (!onDuty || !enabled) {
      setState({ kind: 'off' });
      return;
    }
    if (!('geolocation' in navigator)) {
      setState({ kind: 'unavailable' });
      return;
    }
    setState({ kind: 'waiting' });
    let first = true;
    const flush = () => {
      const batch = buffer.current.splice(0, buffer.current.length);
      if (batch.length === 0) return;
      queued.current += batch.length;
      void outbox.enqueuePositions(batch);
    };
    const watch = navigator.geolocation.watchPosition(
      (position) => {
        const report = toReport(position);
        const previous = buffer.current[buffer.current.length - 1];
        if (previous?.recordedAt !== report.recordedAt) buffer.current.push(report);
        if (first) {
          first = false;
          flush();
        }
        setState({ kind: 'tracking', last: report, sent: queued.current + buffer.current.length });
      },
      (error) => {
        if (error.code === error.PERMISSION_DENIED) setState({ kind: 'denied' });
        else setState((s) => (s.kind === 'tracking' ? s : { kind: 'unavailable' }));
      },
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
    );
    const timer = window.setInterval(flush, GPS_BATCH_MS);
    return () => {
      navigator.geolocation.clearWatch(watch);
      window.clearInterval(timer);
      flush();
    };
  }, [onDuty, enabled, outbox]);

  return { onDuty, setOnDuty, state };
}

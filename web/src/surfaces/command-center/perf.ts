/**
 * Optional latency probe of the wall (enabled with `?perf=1`, used by the browser benchmark): for
 * each batch of live unit positions it records how long it took from the server's commit (the
 * event's occurredAt) and from the position's own timestamp (recordedAt, set by the sender) until
 * the map painted the batch. Results are exposed on `window.__centinelaWallPerf`.
 */
export interface PerfSample {
  /** Server commit → painted on the map, ms. */
  commitToPaint: number;
  /** Position timestamp (sender clock, same machine in the benchmark) → painted, ms. */
  sentToPaint: number;
  /** WebSocket message handled → painted, ms. */
  receivedToPaint: number;
  /** Flush start → painted, ms (map work only). */
  flushToPaint: number;
  positions: number;
}

interface Pending {
  occurredAt: number;
  recordedAt: number;
  receivedAt: number;
  positions: number;
}

export interface WallPerfProbe {
  samples: PerfSample[];
  record(occurredAt: string, recordedAt: string | undefined, positions: number): void;
  takePending(): Pending[];
  recordPainted(pending: readonly Pending[], flushStartedPerf: number): void;
}

export function perfRequested(): boolean {
  return new URLSearchParams(window.location.search).get('perf') === '1';
}

export function createPerfProbe(): WallPerfProbe {
  let pending: Pending[] = [];
  const samples: PerfSample[] = [];
  const probe: WallPerfProbe = {
    samples,
    record(occurredAt, recordedAt, positions) {
      const receivedAt = Date.now();
      pending.push({
        occurredAt: Date.parse(occurredAt),
        recordedAt: recordedAt ? Date.parse(recordedAt) : Number.NaN,
        receivedAt,
        positions,
      });
    },
    takePending() {
      const taken = pending;
      pending = [];
      return taken;
    },
    recordPainted(batch, flushStartedPerf) {
      const now = Date.now();
      const flushToPaint = performance.now() - flushStartedPerf;
      for (const p of batch) {
        samples.push({
          commitToPaint: now - p.occurredAt,
          sentToPaint: now - p.recordedAt,
          receivedToPaint: now - p.receivedAt,
          flushToPaint,
          positions: p.positions,
        });
      }
    },
  };
  (window as unknown as { __centinelaWallPerf?: WallPerfProbe }).__centinelaWallPerf = probe;
  return probe;
}

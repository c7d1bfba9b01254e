import type { IngestOutcome, IngestResult, PositionInput } from './ingest.service.js';

export interface BatcherOptions {
  /** How long a fix may wait for others before its batch is written (latency added per fix). */
  maxDelayMs: number;
  /** A batch is written as soon as it holds this many fixes. */
  maxBatch: number;
  /** Fixes waiting beyond this are refused (back-pressure when the database falls behind). */
  maxPending: number;
}

export const DEFAULT_BATCHER_OPTIONS: BatcherOptions = { maxDelayMs: 100, maxBatch: 500, maxPending: 20_000 };

export class BatcherClosedError extends Error {
  constructor() {
    super('AVL batcher closed');
  }
}

export class BatcherOverloadedError extends Error {
  constructor() {
    super('AVL batcher overloaded');
  }
}

interface Pending {
  position: PositionInput;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for sources that deliver one fix at a time (OsmAnd requests, MQTT messages): fixes
 * arriving within `maxDelayMs` are written together by one `ingestPositions` call (one multi-row
 * INSERT, one transaction, one event per department), and each caller gets its own fix's outcome
 * once that transaction committed — an OsmAnd device is acknowledged only after its fix is stored.
 * One batch is written at a time; fixes arriving meanwhile form the next one.
 */
export class PositionBatcher {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly ingest: (positions: PositionInput[]) => Promise<IngestResult>,
    private readonly options: BatcherOptions = DEFAULT_BATCHER_OPTIONS,
  ) {}

  submit(position: PositionInput): Promise<IngestOutcome> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (this.queue.length >= this.options.maxPending) return Promise.reject(new BatcherOverloadedError());
    return new Promise((resolve, reject) => {
      this.queue.push({ position, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return; // the running flush reschedules when it ends
    if (this.closed || this.queue.length >= this.options.maxBatch) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.startFlush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.startFlush();
    }, this.options.maxDelayMs);
  }

  private startFlush(): void {
    // `.finally` runs asynchronously, so `running` is always set before it is cleared.
    const run: Promise<void> = this.flush().finally(() => {
      if (this.running === run) this.running = undefined;
      if (this.queue.length > 0) this.schedule();
    });
    this.running = run;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      try {
        const result = await this.ingest(batch.map((p) => p.position));
        for (const [i, p] of batch.entries()) p.resolve(result.outcomes[i]!);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
      // Below a full batch, let the next fixes gather for a while (unless closing).
      if (this.queue.length < this.options.maxBatch && !this.closed) break;
    }
  }

  /** Writes what is waiting and refuses new fixes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running || this.queue.length > 0) {
      if (!this.running) this.startFlush();
      await this.running;
    }
  }
}

import { authFetch, getSession } from '../../api';
import { uuid } from '../../features/phone';
import { acceptLanguage } from '../../i18n';

/**
 * The field app's offline queue. Every write (status actions, backup requests, field reports,
 * evidence photos, GPS batches) is stored in IndexedDB first and then sent, oldest first, with its
 * client id as `Idempotency-Key`, so a request whose answer was lost can be sent again safely: the
 * server replays the stored answer (status actions, backup, positions) or recognises the report /
 * evidence id. Sending stops at the first temporary failure (no network, 5xx, 429) and resumes with
 * exponential back-off, at once when the browser comes back online, or when asked. A definitive
 * refusal (other 4xx) is kept aside as `failed` with the server's message until the officer discards
 * it; the items after it are still sent.
 */
export type OutboxKind = 'status' | 'backup' | 'report' | 'evidence' | 'positions';
export type StatusAction = 'acknowledge' | 'en-route' | 'on-scene' | 'clear';

export interface OutboxError {
  code: string;
  message: string;
  status: number;
}

export interface OutboxItem {
  /** Insertion order (IndexedDB key); sending follows it. */
  seq: number;
  /** Client id: the Idempotency-Key header, and the body's `id` for reports and evidence. */
  key: string;
  /** Items belong to the officer who wrote them; another user signing in on the device does not send them. */
  userId: string;
  kind: OutboxKind;
  path: string;
  body: unknown;
  /** What the item is about, for the pending list and the optimistic status. */
  meta: {
    action?: StatusAction;
    assignmentId?: string;
    incidentId?: string;
    folio?: string;
    positions?: number;
  };
  createdAt: string;
  attempts: number;
  state: 'pending' | 'failed';
  lastError: OutboxError | null;
}

export type NewOutboxItem = Pick<OutboxItem, 'kind' | 'path' | 'body' | 'meta'> & { key?: string };

export interface OutboxSnapshot {
  items: readonly OutboxItem[];
  /** The item being sent right now. */
  sendingSeq: number | null;
  /** Epoch ms of the next automatic attempt after a temporary failure. */
  retryAt: number | null;
}

export interface Delivery {
  item: OutboxItem;
  status: number;
  body: unknown;
}

const DB_NAME = 'centinela-campo';
const DB_VERSION = 1;
const STORE = 'outbox';
const LOCK_NAME = 'centinela-campo-outbox';
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
export const MAX_POSITIONS_PER_BATCH = 1_000;

/** Delay before the retry that follows `failures` consecutive temporary failures (jittered, capped). */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.75 + random() * 0.25));
}

/** Whether an HTTP answer means "try again later" rather than "this request is refused". */
export function isTemporary(status: number, code: string | undefined): boolean {
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return true;
  return status === 409 && code === 'IDEMPOTENCY_IN_PROGRESS';
}

interface Store {
  all(): Promise<OutboxItem[]>;
  add(item: Omit<OutboxItem, 'seq'>): Promise<number>;
  put(item: OutboxItem): Promise<void>;
  remove(seq: number): Promise<void>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openIdb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) {
        open.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
      }
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
    open.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
}

class IdbStore implements Store {
  constructor(private readonly db: IDBDatabase) {}

  private store(mode: IDBTransactionMode): IDBObjectStore {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }

  async all(): Promise<OutboxItem[]> {
    return request(this.store('readonly').getAll() as IDBRequest<OutboxItem[]>);
  }

  async add(item: Omit<OutboxItem, 'seq'>): Promise<number> {
    return Number(await request(this.store('readwrite').add(item)));
  }

  async put(item: OutboxItem): Promise<void> {
    await request(this.store('readwrite').put(item));
  }

  async remove(seq: number): Promise<void> {
    await request(this.store('readwrite').delete(seq));
  }
}

/** Used when IndexedDB is unavailable (some private modes): the queue lives as long as the page. */
class MemoryStore implements Store {
  private items = new Map<number, OutboxItem>();
  private next = 1;
  async all() {
    return [...this.items.values()].sort((a, b) => a.seq - b.seq);
  }
  async add(item: Omit<OutboxItem, 'seq'>) {
    const seq = this.next++;
    this.items.set(seq, { ...item, seq });
    return seq;
  }
  async put(item: OutboxItem) {
    this.items.set(item.seq, item);
  }
  async remove(seq: number) {
    this.items.delete(seq);
  }
}

async function openStore(): Promise<Store> {
  try {
    if (typeof indexedDB === 'undefined') return new MemoryStore();
    return new IdbStore(await openIdb());
  } catch {
    return new MemoryStore();
  }
}

/** Runs `work` holding a lock shared by the app's tabs (one sender at a time), where supported. */
function withTabLock(work: () => Promise<void>): Promise<void> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return work();
  return locks.request(LOCK_NAME, () => work()).then(() => undefined);
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

export class Outbox {
  private store: Promise<Store>;
  private userId: string | null = null;
  private snapshot: OutboxSnapshot = { items: [], sendingSeq: null, retryAt: null };
  private listeners = new Set<() => void>();
  private deliveryListeners = new Set<(delivery: Delivery) => void>();
  private running = false;
  private again = false;
  private failures = 0;
  private timer: number | null = null;
  /** Serialises picking the next item to send with merging GPS fixes into a queued batch. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(store?: Store) {
    this.store = store ? Promise.resolve(store) : openStore();
    window.addEventListener('online', () => this.flushNow());
  }

  getSnapshot = (): OutboxSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called with each item the server accepted (its answer body), e.g. to refresh the screen. */
  onDelivered(listener: (delivery: Delivery) => void): () => void {
    this.deliveryListeners.add(listener);
    return () => this.deliveryListeners.delete(listener);
  }

  /** The signed-in officer: only their items are listed and sent. */
  setUser(userId: string | null): void {
    if (userId === this.userId) return;
    this.userId = userId;
    this.failures = 0;
    void this.refresh().then(() => this.flushNow());
  }

  /** Stores a write and starts sending; resolves with the stored item (sent or not). */
  async enqueue(input: NewOutboxItem): Promise<OutboxItem> {
    return this.exclusive(() => this.add(input));
  }

  private async add(input: NewOutboxItem): Promise<OutboxItem> {
    if (!this.userId) throw new Error('outbox: no signed-in user');
    const store = await this.store;
    const item: Omit<OutboxItem, 'seq'> = {
      key: input.key ?? uuid(),
      userId: this.userId,
      kind: input.kind,
      path: input.path,
      body: input.body,
      meta: input.meta,
      createdAt: new Date().toISOString(),
      attempts: 0,
      state: 'pending',
      lastError: null,
    };
    const seq = await store.add(item);
    await this.refresh();
    this.flushNow();
    return { ...item, seq };
  }

  /**
   * GPS fixes: appended to the last queued batch while it waits (not being sent, not full), so an
   * hour without network is one request, not 360; otherwise a new batch.
   */
  enqueuePositions(positions: readonly unknown[]): Promise<void> {
    if (positions.length === 0 || !this.userId) return Promise.resolve();
    return this.exclusive(() => this.mergePositions(positions));
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  private async mergePositions(positions: readonly unknown[]): Promise<void> {
    const store = await this.store;
    const mine = (await store.all()).filter((i) => i.userId === this.userId);
    const last = mine[mine.length - 1];
    const lastBody = last?.body as { positions?: unknown[] } | undefined;
    if (
      last &&
      last.kind === 'positions' &&
      last.state === 'pending' &&
      last.attempts === 0 &&
      last.seq !== this.snapshot.sendingSeq &&
      (lastBody?.positions?.length ?? 0) + positions.length <= MAX_POSITIONS_PER_BATCH
    ) {
      const merged = [...(lastBody?.positions ?? []), ...positions];
      await store.put({ ...last, body: { positions: merged }, meta: { positions: merged.length } });
      await this.refresh();
      this.flushNow();
      return;
    }
    await this.add({
      kind: 'positions',
      path: '/api/v1/avl/positions',
      body: { positions: [...positions] },
      meta: { positions: positions.length },
    });
  }

  /** Forgets a refused item (the officer read the reason). */
  async discard(seq: number): Promise<void> {
    const store = await this.store;
    await store.remove(seq);
    await this.refresh();
  }

  /** Sends now, skipping the back-off wait (button "Reintentar", the `online` event). */
  flushNow(): void {
    if (this.timer !== null) {
      window.clearTimeout(this.timer);
      this.timer = null;
    }
    this.setSnapshot({ retryAt: null });
    void this.flush();
  }

  private setSnapshot(patch: Partial<OutboxSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  private async refresh(): Promise<OutboxItem[]> {
    const store = await this.store;
    const items = (await store.all()).filter((i) => i.userId === this.userId).sort((a, b) => a.seq - b.seq);
    this.setSnapshot({ items });
    return items;
  }

  private async flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await withTabLock(() => this.sendPending());
      } while (this.again && this.timer === null);
    } finally {
      this.running = false;
    }
  }

  private async sendPending(): Promise<void> {
    for (;;) {
      if (!this.userId || !getSession()) return;
      if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
      const next = await this.exclusive(async () => {
        const items = await this.refresh();
        const found = items.find((i) => i.state === 'pending');
        if (found) this.setSnapshot({ sendingSeq: found.seq });
        return found;
      });
      if (!next) {
        this.failures = 0;
        return;
      }
      const outcome = await this.send(next);
      if (outcome === 'stop') return;
    }
  }

  private async send(item: OutboxItem): Promise<'next' | 'stop'> {
    const store = await this.store;
    let response: Response;
    try {
      response = await authFetch(
        new Request(item.path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': item.key,
            'accept-language': acceptLanguage(),
          },
          body: JSON.stringify(item.body ?? {}),
        }),
      );
    } catch {
      return this.temporaryFailure(store, item, { code: 'NETWORK', message: '', status: 0 });
    } finally {
      this.setSnapshot({ sendingSeq: null });
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.ok) {
      this.failures = 0;
      await store.remove(item.seq);
      await this.refresh();
      for (const listener of this.deliveryListeners) listener({ item, status: response.status, body });
      return 'next';
    }
    const error = (body as ErrorBody | null)?.error;
    const failure: OutboxError = {
      code: typeof error?.code === 'string' ? error.code : 'UNKNOWN',
      message: typeof error?.message === 'string' ? error.message : '',
      status: response.status,
    };
    // The session ended (refresh refused): keep the item for when the officer signs in again. A 401
    // while the session still exists (the refresh itself failed for lack of network) is temporary.
    if (response.status === 401 && !getSession()) return 'stop';
    if (response.status === 401) return this.temporaryFailure(store, item, failure);
    if (isTemporary(response.status, failure.code)) return this.temporaryFailure(store, item, failure);
    await store.put({ ...item, attempts: item.attempts + 1, state: 'failed', lastError: failure });
    await this.refresh();
    return 'next';
  }

  private async temporaryFailure(store: Store, item: OutboxItem, failure: OutboxError): Promise<'stop'> {
    await store.put({ ...item, attempts: item.attempts + 1, lastError: failure });
    await this.refresh();
    this.failures += 1;
    const delay = retryDelay(this.failures);
    this.setSnapshot({ retryAt: Date.now() + delay });
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.timer = null;
      this.setSnapshot({ retryAt: null });
      void this.flush();
    }, delay);
    return 'stop';
  }
}

let shared: Outbox | null = null;

/** The page's one outbox. */
export function fieldOutbox(): Outbox {
  shared ??= new Outbox();
  return shared;
}

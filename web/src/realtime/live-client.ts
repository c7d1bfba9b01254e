import { getSession, refreshSession, subscribeSession } from '../api';
import type { DomainEvent, LiveListener, LiveState, ServerMessage } from './types';

/** Close code the hub uses when the credentials are missing or no longer valid. */
const CLOSE_UNAUTHENTICATED = 4401;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** Keep the socket this long after the last listener leaves (route changes re-subscribe quickly). */
const IDLE_CLOSE_MS = 5_000;
const SEEN_IDS = 2_000;

/** Delay before reconnect attempt `attempt` (0-based): exponential with jitter, capped. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The tab's one WebSocket to /ws. Authenticates with the session's access token (and again after each
 * token rotation), subscribes to the union of the listeners' topics, keeps the last publishSeq and
 * resumes from it after a reconnect (exponential back-off), ignores events already seen, and tells
 * listeners to reload over HTTP when the server answers `resync`.
 */
export class LiveClient {
  private socket: WebSocket | null = null;
  private authenticated = false;
  private sentToken: string | null = null;
  private listeners = new Set<LiveListener>();
  private subscribedKey = '';
  private lastSeq: number | null = null;
  /** The subscription in flight starts from "now" (no `since`): earlier events will never be sent. */
  private freshSubscription = false;
  private seen = new Set<string>();
  private attempt = 0;
  private retryTimer: number | null = null;
  private idleTimer: number | null = null;
  private state: LiveState = 'idle';
  private stateListeners = new Set<() => void>();

  constructor(private readonly url: () => string = defaultUrl) {
    subscribeSession(() => this.onSessionChange());
    window.addEventListener('online', () => {
      if (this.state === 'reconnecting') this.reconnectNow();
    });
  }

  getState = (): LiveState => this.state;

  subscribeState = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  };

  /** Adds a listener; returns its removal. */
  listen(listener: LiveListener): () => void {
    this.listeners.add(listener);
    if (this.idleTimer !== null) {
      window.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    this.ensureConnected();
    this.syncSubscription();
    return () => {
      this.listeners.delete(listener);
      this.syncSubscription();
      if (this.listeners.size === 0) {
        this.idleTimer = window.setTimeout(() => {
          this.idleTimer = null;
          if (this.listeners.size === 0) this.disconnect('idle');
        }, IDLE_CLOSE_MS);
      }
    };
  }

  private setState(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener();
  }

  private topics(): string[] {
    const all = new Set<string>();
    for (const l of this.listeners) for (const topic of l.topics) all.add(topic);
    return all.has('*') ? ['*'] : [...all].sort();
  }

  private onSessionChange(): void {
    const session = getSession();
    if (!session) {
      this.disconnect('idle');
      // The next login starts a fresh stream (a new user may see other events).
      this.lastSeq = null;
      this.seen.clear();
      return;
    }
    // A rotated access token is sent on the open socket so it stays valid past the old expiry.
    if (this.socket && this.authenticated && this.sentToken !== session.accessToken) {
      this.send({ type: 'auth', accessToken: session.accessToken });
      this.sentToken = session.accessToken;
    }
    this.ensureConnected();
  }

  private ensureConnected(): void {
    if (this.socket || this.listeners.size === 0 || this.retryTimer !== null) return;
    const session = getSession();
    if (!session) return;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(this.url());
    this.socket = socket;
    this.authenticated = false;
    this.subscribedKey = '';
    socket.onopen = () => {
      const token = getSession()?.accessToken;
      if (!token) {
        socket.close(1000);
        return;
      }
      this.sentToken = token;
      this.send({ type: 'auth', accessToken: token });
    };
    socket.onmessage = (message) => this.onMessage(message.data);
    socket.onclose = (event) => this.onClose(socket, event.code);
  }

  private onMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'authenticated':
        if (!this.authenticated) {
          this.authenticated = true;
          this.attempt = 0;
          this.setState('open');
          this.syncSubscription();
        }
        return;
      case 'subscribed':
        this.lastSeq = Math.max(this.lastSeq ?? 0, message.lastPublishSeq);
        if (this.freshSubscription) {
          this.freshSubscription = false;
          // Screens load over HTTP while the socket opens: what was committed after their load and
          // before this first subscription is not replayed, so they reload once, now that events flow.
          for (const listener of [...this.listeners]) listener.onResync?.('subscribed');
        }
        return;
      case 'event':
        this.deliver(message.event);
        return;
      case 'resync':
        this.lastSeq = message.lastPublishSeq;
        for (const listener of [...this.listeners]) listener.onResync?.('missed');
        return;
      case 'error':
        console.warn(`live: ${message.code}: ${message.message}`);
        return;
      default:
        return;
    }
  }

  private deliver(event: DomainEvent): void {
    if (this.seen.has(event.id)) return;
    this.seen.add(event.id);
    if (this.seen.size > SEEN_IDS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    if (typeof event.publishSeq === 'number') this.lastSeq = Math.max(this.lastSeq ?? 0, event.publishSeq);
    for (const listener of [...this.listeners]) {
      if (listener.topics.has('*') || listener.topics.has(event.topic)) {
        try {
          listener.onEvent(event);
        } catch (error) {
          console.error('live: listener failed', error);
        }
      }
    }
  }

  private syncSubscription(): void {
    if (!this.socket || !this.authenticated) return;
    const topics = this.topics();
    const key = topics.join(',');
    if (key === this.subscribedKey) return;
    this.subscribedKey = key;
    if (topics.length === 0) return;
    this.freshSubscription = this.lastSeq === null;
    this.send({
      type: 'subscribe',
      topics,
      ...(this.lastSeq !== null ? { since: this.lastSeq } : {}),
    });
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private onClose(socket: WebSocket, code: number): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.authenticated = false;
    this.subscribedKey = '';
    if (!getSession() || this.listeners.size === 0) {
      this.setState('idle');
      return;
    }
    this.setState('reconnecting');
    if (code === CLOSE_UNAUTHENTICATED) {
      // The access token expired or was revoked: rotate it, then reconnect (or the session ends).
      void refreshSession().then((ok) => (ok ? this.scheduleReconnect() : this.setState('idle')));
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.retryTimer !== null) return;
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      this.ensureConnected();
    }, delay);
  }

  private reconnectNow(): void {
    if (this.retryTimer !== null) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.ensureConnected();
  }

  private disconnect(state: LiveState): void {
    if (this.retryTimer !== null) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    const socket = this.socket;
    this.socket = null;
    this.authenticated = false;
    this.subscribedKey = '';
    this.attempt = 0;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
    this.setState(state);
  }
}

function defaultUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/ws`;
}

let shared: LiveClient | null = null;

/** The one LiveClient of this tab. */
export function liveClient(): LiveClient {
  shared ??= new LiveClient();
  return shared;
}

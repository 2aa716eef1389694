// Health of one OPC UA server connection, by the same rules the station applies to a Modbus
// unit (drivers/modbus/unit-health.ts), so the Devices page reads both alike:
// - offline: no session (never connected, lost, or waiting to reconnect); "connecting" as
//   long as nothing has failed yet, so a station that just started does not cry wolf;
// - degraded: a session, but the subscription is not (yet) carrying values, or the last
//   keep-alive read failed;
// - ok: session and subscription up, and the last keep-alive read answered.
// A failure (connect refused, connection lost, keep-alive read timed out, subscription
// ended) counts in errorCount and becomes lastError; latency is the keep-alive read's
// round trip; lastGoodMs is the last time the server proved it is alive (a publish
// response, with or without data, or a keep-alive read answer).

export type ServerState = 'connecting' | 'ok' | 'degraded' | 'offline';

export interface OpcuaServerHealth {
  state: ServerState;
  connected: boolean;
  /** The subscription exists and its monitored items have been created. */
  subscribed: boolean;
  /** Round trip of the last keep-alive read in ms. */
  latencyMs: number | null;
  errorCount: number;
  consecutiveErrors: number;
  lastGoodMs: number | null;
  /** UTC ms of the last publish response of the current subscription (data or keep-alive). */
  lastPublishMs: number | null;
  lastError: string | null;
  /** Sessions opened since the first one: each is a reconnect. */
  reconnects: number;
}

export class ServerHealthTracker {
  private connected = false;
  private subscribed = false;
  private latencyMs: number | null = null;
  private errorCount = 0;
  private consecutiveErrors = 0;
  private lastGoodMs: number | null = null;
  private lastPublishMs: number | null = null;
  private lastError: string | null = null;
  private sessions = 0;

  constructor(private readonly nowMs: () => number) {}

  sessionOpened(): void {
    this.connected = true;
    this.subscribed = false;
    this.lastPublishMs = null;
    this.sessions++;
  }

  /** Subscription and items created: the server answered every call of the way. */
  subscriptionReady(): void {
    this.subscribed = true;
    this.consecutiveErrors = 0;
    this.lastGoodMs = this.nowMs();
  }

  /** A publish response of the current subscription arrived. */
  published(): void {
    const now = this.nowMs();
    this.lastPublishMs = now;
    this.lastGoodMs = now;
  }

  keepAliveAnswered(latencyMs: number): void {
    this.latencyMs = latencyMs;
    this.consecutiveErrors = 0;
    this.lastGoodMs = this.nowMs();
  }

  /** A failure that leaves the session in place (e.g. one keep-alive read timed out). */
  failed(message: string): void {
    this.errorCount++;
    this.consecutiveErrors++;
    this.lastError = message;
  }

  /** The session is gone (or never came): failure recorded, values no longer live. */
  lost(message: string): void {
    this.connected = false;
    this.subscribed = false;
    this.lastPublishMs = null;
    this.failed(message);
  }

  /** Closed on purpose: nothing failed. */
  closed(): void {
    this.connected = false;
    this.subscribed = false;
    this.lastPublishMs = null;
  }

  snapshot(): OpcuaServerHealth {
    return {
      state: this.state(),
      connected: this.connected,
      subscribed: this.subscribed,
      latencyMs: this.latencyMs,
      errorCount: this.errorCount,
      consecutiveErrors: this.consecutiveErrors,
      lastGoodMs: this.lastGoodMs,
      lastPublishMs: this.lastPublishMs,
      lastError: this.lastError,
      reconnects: Math.max(0, this.sessions - 1),
    };
  }

  private state(): ServerState {
    if (!this.connected) return this.errorCount === 0 ? 'connecting' : 'offline';
    if (!this.subscribed) return this.errorCount === 0 ? 'connecting' : 'degraded';
    return this.consecutiveErrors > 0 ? 'degraded' : 'ok';
  }
}

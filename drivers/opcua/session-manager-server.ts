// One OPC UA server as the station sees it: one session, one subscription, the monitored
// items every device on that server needs, and the latest value of each (the Home
// Assistant coordinator pattern: one owner per connection, consumers read its state).
//
// A single loop owns the connection and makes it match what is wanted: connect (bounded by
// connectOpcua), read the server's identity and limits, create the subscription, create
// missing monitored items in batches, delete unwanted ones, adjust the publishing interval.
// Anything that breaks the session — the connection closing, the server ending the session
// or subscription, keep-alive reads going unanswered, publish responses stopping — drops
// the whole session; the loop waits a backoff delay (doubling up to a bound, reset once a
// new subscription has delivered a publish response) and builds everything again on a new
// session. A server that restarted has forgotten the old session and subscription anyway,
// so a fresh start is both simpler and the only thing that always works.
import type { ClientSubscription, DataValue } from 'node-opcua';
import type { DeviceIdentity } from '../../core/points/snapshot';
import { ok, type Result } from '../../core/result';
import { Backoff, type BackoffOptions } from '../modbus/backoff';
import type { OpcuaConnectOptions } from './connect';
import { type MonitorLimits, readMonitorLimits } from './monitor-batches';
import { toMonitoredValue } from './monitor-values';
import { messageOf, type OpcuaError } from './opcua-error';
import type { OpcuaSession } from './opcua-session';
import { readServerIdentity } from './session-manager-identity';
import { createItems, deleteItems, type ItemEntry } from './session-manager-items';
import { KeepAlive } from './session-manager-keepalive';
import { createSubscription, modifySubscription } from './subscription-create';
import { ServerHealthTracker } from './subscription-health';
import {
  sameTiming,
  subscriptionTiming,
  type Demand,
  type SubscriptionTiming,
} from './subscription-timing';

export type OpcuaConnector = (
  options: OpcuaConnectOptions,
) => Promise<Result<OpcuaSession, OpcuaError>>;

export interface ServerConnectionSettings {
  connectOptions: OpcuaConnectOptions;
  connect: OpcuaConnector;
  nowMs: () => number;
  batchSize: number;
  /** Bound for each service call made here (subscription, items, keep-alive read). */
  requestTimeoutMs: number;
  keepAliveIntervalMs: number;
  /** Consecutive unanswered keep-alive reads that count as a lost connection. */
  keepAliveFailuresToDrop: number;
  backoff: BackoffOptions;
}

/** What the current session carries. */
export interface Live {
  readonly session: OpcuaSession;
  subscription: ClientSubscription | null;
  timing: SubscriptionTiming | null;
  limits: MonitorLimits;
  keepAlive: KeepAlive | null;
  /** Sizes of the CreateMonitoredItems calls made on this session, for diagnostics. */
  readonly batches: number[];
  /** Round trip of each of those calls in ms. */
  readonly batchMs: number[];
}

export class ServerConnection {
  readonly health: ServerHealthTracker;
  identity: DeviceIdentity | null = null;
  readonly items = new Map<string, ItemEntry>();
  private readonly demands = new Set<Demand>();
  private readonly backoff: Backoff;
  private current: Live | null = null;
  /** Lowered when the server refuses a batch as too large without announcing a limit. */
  batchLimit: number | null = null;
  private closed = false;
  private retryDue = false;
  private dirty = false;
  private waiter: (() => void) | null = null;
  private sleeper: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  private readonly loop: Promise<void>;

  constructor(
    readonly key: string,
    readonly settings: ServerConnectionSettings,
  ) {
    this.health = new ServerHealthTracker(settings.nowMs);
    this.backoff = new Backoff(settings.backoff);
    this.loop = this.run();
  }

  get idle(): boolean {
    return this.demands.size === 0;
  }

  /** The session's state for diagnostics and benchmarks; null without a session. */
  live(): Readonly<Live> | null {
    return this.current;
  }

  addDemand(demand: Demand): void {
    this.demands.add(demand);
    this.poke();
  }

  removeDemand(demand: Demand): void {
    this.demands.delete(demand);
    this.poke();
  }

  /** Something changed (items wanted or unwanted, a session lost): the loop looks again. */
  poke(): void {
    this.dirty = true;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sleeper) {
      clearTimeout(this.sleeper.timer);
      this.sleeper.resolve();
    }
    this.poke();
    const live = this.current;
    this.current = null;
    if (live) {
      live.keepAlive?.stop();
      this.health.closed();
      await live.session.close();
    }
    await this.loop;
  }

  /** The session is unusable: forget it and everything on it, and reconnect after a delay. */
  lose(live: Live, message: string): void {
    if (this.current !== live) return;
    this.current = null;
    live.keepAlive?.stop();
    for (const entry of this.items.values()) entry.forget();
    this.health.lost(message);
    this.retryDue = true;
    void live.session.close();
    this.poke();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.retryDue) {
        this.retryDue = false;
        await this.sleep(this.backoff.next());
        continue;
      }
      this.dirty = false;
      try {
        await this.step();
      } catch (error) {
        // A bug or an unexpected throw from node-opcua must not end the loop.
        const live = this.current;
        if (live) this.lose(live, `unexpected error: ${messageOf(error)}`);
        else this.retryDue = true;
      }
      if (!this.closed && !this.retryDue) await this.waitForWake();
    }
  }

  private async step(): Promise<void> {
    if (this.demands.size === 0) return;
    const live = this.current ?? (await this.open());
    if (!live) return;
    const ready = await this.reconcile(live);
    if (!ready.ok) this.lose(live, ready.error.message);
  }

  private async open(): Promise<Live | null> {
    const opened = await this.settings.connect(this.settings.connectOptions);
    if (!opened.ok) {
      this.health.lost(opened.error.message);
      this.retryDue = true;
      return null;
    }
    const session = opened.value;
    if (this.closed) {
      await session.close();
      return null;
    }
    const live: Live = {
      session,
      subscription: null,
      timing: null,
      limits: { maxMonitoredItemsPerCall: null, maxMonitoredItemsPerSubscription: null },
      keepAlive: null,
      batches: [],
      batchMs: [],
    };
    this.current = live;
    this.health.sessionOpened();
    session.onClose((reason) => {
      if (reason) this.lose(live, reason.message);
    });
    if (session.closed) {
      this.lose(live, `the connection to ${session.endpointUrl} closed at once`);
      return null;
    }
    this.identity = await readServerIdentity(session.session, session.serverCertificate);
    live.limits = await readMonitorLimits(session.session);
    return this.current === live ? live : null;
  }

  private async reconcile(live: Live): Promise<Result<void, OpcuaError>> {
    const wanted = subscriptionTiming([...this.demands]);
    if (!live.subscription) {
      const created = await this.createSubscription(live, wanted);
      if (!created.ok) return created;
    } else if (live.timing && !sameTiming(live.timing, wanted)) {
      const modified = await modifySubscription(
        live.subscription,
        wanted,
        this.settings.requestTimeoutMs,
      );
      if (!modified.ok) return modified;
      live.timing = wanted;
    }
    const gone = [...this.items.values()].filter((e) => e.refs === 0);
    for (const entry of gone) this.items.delete(entry.key);
    await deleteItems(live, gone, this.batchSize(live), this.settings.requestTimeoutMs);
    const created = await createItems(this, live, (entry, dataValue) =>
      this.onValue(live, entry, dataValue),
    );
    if (!created.ok || this.current !== live) return created;
    if (!this.health.snapshot().subscribed) {
      this.health.subscriptionReady();
      live.keepAlive = new KeepAlive(this, live);
    }
    return ok(undefined);
  }

  batchSize(live: Live): number {
    const limits = [this.settings.batchSize, live.limits.maxMonitoredItemsPerCall, this.batchLimit];
    return Math.max(1, Math.min(...limits.filter((n): n is number => n !== null && n > 0)));
  }

  private onValue(live: Live, entry: ItemEntry, dataValue: DataValue): void {
    if (this.current === live) entry.value = toMonitoredValue(dataValue, this.settings.nowMs());
  }

  private async createSubscription(
    live: Live,
    timing: SubscriptionTiming,
  ): Promise<Result<void, OpcuaError>> {
    const timeoutMs = this.settings.requestTimeoutMs;
    const created = await createSubscription(live.session.session, timing, timeoutMs);
    if (!created.ok) return created;
    const subscription = created.value;
    live.subscription = subscription;
    live.timing = timing;
    subscription.on('raw_notification', () => {
      if (this.current !== live) return;
      this.health.published();
      this.backoff.reset();
    });
    subscription.on('terminated', () =>
      this.lose(live, `${live.session.endpointUrl} ended the subscription`),
    );
    subscription.on('internal_error', (error: Error) =>
      this.lose(live, `subscription error: ${error.message}`),
    );
    return ok(undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeper = null;
        resolve();
      }, ms);
      this.sleeper = { timer, resolve };
    });
  }

  private async waitForWake(): Promise<void> {
    if (this.dirty) return;
    await new Promise<void>((resolve) => (this.waiter = resolve));
  }
}

// All OPC UA servers of the station: one ServerConnection (session + subscription) per
// server, shared by every device on it. A server is identified by endpoint URL, security
// mode and policy and user, so two devices on one PLC share a session while a device
// reached as another user gets its own. Devices register the nodes they need and read the
// latest values from their handle; the last device to let go closes the session.
import { createHash } from 'node:crypto';
import type { DeviceIdentity } from '../../core/points/snapshot';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../modbus/backoff';
import { connectOpcua, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './connect';
import { ANONYMOUS, type OpcuaIdentity } from './identity';
import { DEFAULT_BATCH_SIZE, monitorKey, type MonitorRequest } from './monitor-batches';
import type { MonitoredValue } from './monitor-values';
import { DEFAULT_POLICY, type SecurityModeName, type SecurityPolicyName } from './security';
import { ItemEntry } from './session-manager-items';
import { ServerConnection, type Live, type OpcuaConnector } from './session-manager-server';
import type { OpcuaServerHealth } from './subscription-health';
import type { Demand } from './subscription-timing';

export type { OpcuaConnector } from './session-manager-server';

export interface OpcuaServerSpec {
  endpointUrl: string;
  securityMode: SecurityModeName;
  /** Default Basic256Sha256; left out with security none. */
  securityPolicy?: SecurityPolicyName;
  allowInsecure?: boolean;
  identity?: OpcuaIdentity;
}

export interface MonitorSet extends Demand {
  items: readonly MonitorRequest[];
}

export interface OpcuaMonitorHandle {
  readonly serverKey: string;
  /** The i-th item's latest value on the live subscription; null before it arrived. */
  value(index: number): MonitoredValue | null;
  /** Why the server does not monitor the i-th item; null when it does (or not tried yet). */
  itemError(index: number): string | null;
  health(): OpcuaServerHealth;
  identity(): DeviceIdentity | null;
  release(): Promise<void>;
}

export interface SessionManagerOptions {
  /** The station's data directory: the PKI lives in its pki/ folder. */
  dataDir: string;
  /** Opens a session; default connectOpcua (tests may wrap it). */
  connect?: OpcuaConnector;
  nowMs?: () => number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Most monitored items per CreateMonitoredItems call (lowered to the server's limit). */
  batchSize?: number;
  keepAliveIntervalMs?: number;
  keepAliveFailuresToDrop?: number;
  /** Reconnect delays: default 250 ms doubling to 30 s. */
  backoff?: BackoffOptions;
}

export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = 5000;

export class OpcuaSessionManager {
  private readonly servers = new Map<string, ServerConnection>();
  private closed = false;

  constructor(private readonly options: SessionManagerOptions) {}

  get serverCount(): number {
    return this.servers.size;
  }

  /** The session state of a server, for diagnostics and the benchmark; null without one. */
  live(serverKey: string): Readonly<Live> | null {
    return this.servers.get(serverKey)?.live() ?? null;
  }

  register(server: OpcuaServerSpec, set: MonitorSet): OpcuaMonitorHandle {
    if (this.closed) throw new Error('the OPC UA session manager is closed');
    const key = serverKey(server);
    let conn = this.servers.get(key);
    if (!conn) {
      conn = this.open(key, server);
      this.servers.set(key, conn);
    }
    const entries = set.items.map((request) => {
      const itemKey = monitorKey(request);
      // An entry with refs 0 still in the map has not been deleted yet: it is simply kept.
      let entry = conn.items.get(itemKey);
      if (!entry) {
        entry = new ItemEntry(itemKey, { ...request });
        conn.items.set(itemKey, entry);
      }
      entry.refs++;
      return entry;
    });
    const demand: Demand = {
      publishingIntervalMs: set.publishingIntervalMs,
      keepAliveMs: set.keepAliveMs,
    };
    conn.addDemand(demand);
    let released = false;
    const owner = conn;
    return {
      serverKey: key,
      value: (i) => entries[i]?.value ?? null,
      itemError: (i) => entries[i]?.error ?? null,
      health: () => owner.health.snapshot(),
      identity: () => owner.identity,
      release: async () => {
        if (released) return;
        released = true;
        for (const entry of entries) entry.refs--;
        owner.removeDemand(demand);
        if (owner.idle && this.servers.get(key) === owner) {
          this.servers.delete(key);
          await owner.close();
        }
      },
    };
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const all = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private open(key: string, server: OpcuaServerSpec): ServerConnection {
    const o = this.options;
    const requestTimeoutMs = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return new ServerConnection(key, {
      connectOptions: {
        endpointUrl: server.endpointUrl,
        dataDir: o.dataDir,
        securityMode: server.securityMode,
        ...(server.securityMode === 'none' ? {} : { securityPolicy: server.securityPolicy }),
        allowInsecure: server.allowInsecure ?? false,
        identity: server.identity ?? ANONYMOUS,
        timeoutMs: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        requestTimeoutMs,
        sessionName: 'microgrid-station',
      },
      connect: o.connect ?? connectOpcua,
      nowMs: o.nowMs ?? Date.now,
      batchSize: o.batchSize ?? DEFAULT_BATCH_SIZE,
      requestTimeoutMs,
      keepAliveIntervalMs: o.keepAliveIntervalMs ?? DEFAULT_KEEP_ALIVE_INTERVAL_MS,
      keepAliveFailuresToDrop: o.keepAliveFailuresToDrop ?? 2,
      backoff: o.backoff ?? DEFAULT_BACKOFF,
    });
  }
}

/** Servers with equal keys share a session; the password only as a hash, never in clear. */
export function serverKey(server: OpcuaServerSpec): string {
  const identity = server.identity ?? ANONYMOUS;
  const who =
    identity.kind === 'anonymous'
      ? 'anonymous'
      : identity.kind === 'username'
        ? `user:${identity.username}:${digest(identity.password)}`
        : `certificate:${digest(identity.certificate)}`;
  const policy =
    server.securityMode === 'none' ? 'None' : (server.securityPolicy ?? DEFAULT_POLICY);
  return `${server.endpointUrl} ${server.securityMode} ${policy} ${who}`;
}

const digest = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex').slice(0, 16);

// The OPC UA tools of the commissioning UI: what a server offers, trusting its certificate,
// browsing, test reads and writes, and identifying a server before its device is stored.
// A technician clicks through a tree node by node, so sessions are kept for a short idle
// time per connection (URL, security and user) instead of one secured handshake per click;
// they are closed after IDLE_CLOSE_MS, on any lost connection, and when the station stops.
import { createHash } from 'node:crypto';
import type { DeviceIdentity } from '../../core/points/snapshot';
import { fail, ok, type Result } from '../../core/result';
import type { OpcuaSecurityMode, OpcuaSecurityPolicy } from '../../core/site/site-types';
import { browseNode, type BrowsedNode } from './browse';
import { describeCertificate, firstOfChain, type CertificateInfo } from './certificate-info';
import { connectOpcua } from './connect';
import { getServerEndpoints } from './discover';
import { isObsoletePolicy } from './security';
import { messageOf, opcuaError, type OpcuaError } from './opcua-error';
import type { OpcuaSession } from './opcua-session';
import { readValues, type ReadValue } from './read';
import { readServerIdentity } from './session-manager-identity';
import {
  listCertificates,
  rejectServerCertificate,
  trustServerCertificate,
  type StoredCertificate,
} from './trust';
import { executeOpcuaWrite, planOpcuaWrite, type OpcuaWritePlan } from './write';
import type { JsonValue } from './value-json';

export const IDLE_CLOSE_MS = 30_000;

export interface CommissioningConnection {
  url: string;
  securityMode: OpcuaSecurityMode;
  securityPolicy?: OpcuaSecurityPolicy;
  allowInsecure?: boolean;
  username?: string;
  password?: string;
}

export type TrustState = 'trusted' | 'rejected' | 'unknown';
export type KnownCertificate = CertificateInfo & { status: TrustState };

export interface ServerOffer {
  url: string;
  endpoints: Array<{
    securityMode: OpcuaSecurityMode | null;
    securityPolicy: string;
    obsolete: boolean;
    userTokens: Array<'anonymous' | 'username' | 'certificate' | 'issued'>;
  }>;
  certificate: KnownCertificate | null;
  /** DER of the certificate shown, so a trust decision stores exactly it. */
  certificateDer: Buffer | null;
}

export interface BrowseLevel {
  nodeId: string;
  children: Array<Omit<BrowsedNode, 'children'> & { hasChildren: boolean }>;
  truncated: boolean;
}

export interface PlannedWrite {
  nodeId: string;
  displayName: string;
  dataType: string;
  oldValue: JsonValue;
  newValue: JsonValue;
  oldSymbol: string | null;
  newSymbol: string | null;
  range: { low: number; high: number } | null;
}

export interface DoneWrite extends PlannedWrite {
  readBack: JsonValue;
  readBackSymbol: string | null;
  confirmed: boolean;
}

type Outcome<T> = Promise<Result<T, OpcuaError>>;

interface Cached {
  session: Promise<Result<OpcuaSession, OpcuaError>>;
  url: string;
  timer: NodeJS.Timeout | null;
}

export class OpcuaCommissioning {
  readonly #sessions = new Map<string, Cached>();
  #closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly timeoutMs = 5000,
  ) {}

  async endpoints(url: string): Outcome<ServerOffer> {
    const offered = await getServerEndpoints(url, this.dataDir, this.timeoutMs);
    if (!offered.ok) return offered;
    const der = offered.value.find((e) => e.serverCertificate)?.serverCertificate ?? null;
    const leaf = der ? firstOfChain(der) : null;
    const certificate = leaf ? await this.#known(leaf) : null;
    if (certificate && !certificate.ok) return certificate;
    return ok({
      url,
      endpoints: offered.value.map((e) => ({
        securityMode: e.securityMode,
        securityPolicy: e.securityPolicy,
        obsolete: isObsoletePolicy(e.securityPolicy),
        userTokens: e.userTokens,
      })),
      certificate: certificate?.value ?? null,
      certificateDer: leaf,
    });
  }

  /**
   * Trusts or rejects the certificate the server presents now, only if it is the one the
   * technician saw (same thumbprint): a swapped server between looking and deciding is refused.
   */
  async decide(
    url: string,
    thumbprint: string,
    decision: 'trust' | 'reject',
  ): Outcome<KnownCertificate> {
    const offer = await this.endpoints(url);
    if (!offer.ok) return offer;
    const { certificate, certificateDer } = offer.value;
    if (!certificate || !certificateDer)
      return fail(
        opcuaError('bad_options', `${url} presents no certificate (it offers no security)`),
      );
    if (certificate.thumbprint !== thumbprint.toLowerCase())
      return fail(
        opcuaError(
          'certificate_invalid',
          `${url} now presents certificate ${certificate.thumbprint}, not ${thumbprint}: check the server again before deciding`,
          { statusCode: 'CertificateChanged' },
        ),
      );
    const stored =
      decision === 'trust'
        ? await trustServerCertificate(this.dataDir, certificateDer)
        : await rejectServerCertificate(this.dataDir, certificateDer);
    if (!stored.ok) return stored;
    // Sessions opened under the earlier decision must not outlive a rejection.
    if (decision === 'reject') await this.#dropUrl(url);
    return ok({ ...stored.value, status: decision === 'trust' ? 'trusted' : 'rejected' });
  }

  async certificates(): Outcome<{ own: CertificateInfo; certificates: KnownCertificate[] }> {
    const list = await listCertificates(this.dataDir);
    if (!list.ok) return list;
    return ok({
      own: list.value.own,
      certificates: list.value.certificates.map(({ file: _file, ...c }: StoredCertificate) => c),
    });
  }

  async browse(connection: CommissioningConnection, nodeId?: string): Outcome<BrowseLevel> {
    return this.#with(connection, async (s) => {
      const tree = await browseNode(s, { depth: 1, maxNodes: 1000, ...(nodeId ? { nodeId } : {}) });
      if (!tree.ok) return tree;
      const children = (tree.value.root.children ?? []).map(({ children: _c, ...node }) => ({
        ...node,
        hasChildren: node.nodeClass === 'Object' || node.nodeClass === 'Variable',
      }));
      return ok({ nodeId: tree.value.root.nodeId, children, truncated: tree.value.truncated });
    });
  }

  read(connection: CommissioningConnection, nodeIds: readonly string[]): Outcome<ReadValue[]> {
    return this.#with(connection, (s) => readValues(s, nodeIds));
  }

  planWrite(
    connection: CommissioningConnection,
    nodeId: string,
    value: string | number | boolean,
  ): Outcome<PlannedWrite> {
    return this.#with(connection, async (s) => {
      const planned = await planOpcuaWrite(s, { nodeId, value });
      return planned.ok ? ok(planView(planned.value)) : planned;
    });
  }

  write(
    connection: CommissioningConnection,
    nodeId: string,
    value: string | number | boolean,
  ): Outcome<DoneWrite> {
    return this.#with(connection, async (s) => {
      const planned = await planOpcuaWrite(s, { nodeId, value });
      if (!planned.ok) return planned;
      const done = await executeOpcuaWrite(s, planned.value);
      if (!done.ok) return done;
      return ok({
        ...planView(planned.value),
        readBack: done.value.readBack,
        readBackSymbol: done.value.readBackSymbol,
        confirmed: done.value.matches,
      });
    });
  }

  /** Who the server says it is (BuildInfo), proving the connection and login work. */
  identify(connection: CommissioningConnection): Outcome<DeviceIdentity> {
    return this.#with(connection, async (s) =>
      ok(await readServerIdentity(s.session, s.serverCertificate)),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#sessions.keys()].map((key) => this.#drop(key)));
  }

  async #known(der: Buffer): Outcome<KnownCertificate> {
    const info = describeCertificate(der);
    if (!info.ok) return fail(opcuaError('certificate_invalid', info.error.message));
    const list = await listCertificates(this.dataDir);
    if (!list.ok) return list;
    const stored = list.value.certificates.find((c) => c.thumbprint === info.value.thumbprint);
    return ok({ ...info.value, status: stored?.status ?? 'unknown' });
  }

  async #with<T>(
    connection: CommissioningConnection,
    use: (s: OpcuaSession) => Outcome<T>,
  ): Outcome<T> {
    if (this.#closed) return fail(opcuaError('closed', 'the station is stopping'));
    const key = keyOf(connection);
    let cached = this.#sessions.get(key);
    if (!cached) {
      cached = { session: this.#open(connection), url: connection.url, timer: null };
      this.#sessions.set(key, cached);
    }
    const entry = cached;
    if (entry.timer) clearTimeout(entry.timer);
    const opened = await entry.session;
    if (!opened.ok || opened.value.closed) {
      this.#sessions.delete(key);
      if (opened.ok) return this.#with(connection, use);
      return opened;
    }
    try {
      const result = await use(opened.value);
      if (!result.ok && result.error.code === 'closed') await this.#drop(key);
      return result;
    } catch (error) {
      await this.#drop(key);
      return fail(opcuaError('server_error', messageOf(error)));
    } finally {
      if (this.#sessions.get(key) === entry) {
        entry.timer = setTimeout(() => void this.#drop(key), IDLE_CLOSE_MS);
        entry.timer.unref();
      }
    }
  }

  #open(c: CommissioningConnection): Promise<Result<OpcuaSession, OpcuaError>> {
    return connectOpcua({
      endpointUrl: c.url,
      dataDir: this.dataDir,
      securityMode: c.securityMode,
      ...(c.securityPolicy && c.securityPolicy !== 'None'
        ? { securityPolicy: c.securityPolicy }
        : {}),
      allowInsecure: c.allowInsecure ?? false,
      identity:
        c.username !== undefined
          ? { kind: 'username', username: c.username, password: c.password ?? '' }
          : { kind: 'anonymous' },
      timeoutMs: this.timeoutMs,
      sessionName: 'microgrid-commissioning',
    });
  }

  async #drop(key: string): Promise<void> {
    const entry = this.#sessions.get(key);
    if (!entry) return;
    this.#sessions.delete(key);
    if (entry.timer) clearTimeout(entry.timer);
    const opened = await entry.session;
    if (opened.ok) await opened.value.close();
  }

  async #dropUrl(url: string): Promise<void> {
    const keys = [...this.#sessions].filter(([, e]) => e.url === url).map(([k]) => k);
    await Promise.all(keys.map((k) => this.#drop(k)));
  }
}

/** Connections differ by anything that changes what the server lets the session do. */
function keyOf(c: CommissioningConnection): string {
  const password =
    c.password === undefined ? '' : createHash('sha256').update(c.password).digest('hex');
  return JSON.stringify([
    c.url,
    c.securityMode,
    c.securityPolicy ?? '',
    c.allowInsecure ?? false,
    c.username ?? '',
    password,
  ]);
}

function planView(p: OpcuaWritePlan): PlannedWrite {
  return {
    nodeId: p.nodeId,
    displayName: p.displayName,
    dataType: p.dataType,
    oldValue: p.oldValue,
    newValue: p.newValue,
    oldSymbol: p.oldSymbol,
    newSymbol: p.newSymbol,
    range: p.range,
  };
}

// The OPC UA part of the commissioning contract: what a server offers, its certificate and
// the technician's trust decision, browsing, test reads and writes. Types only;
// station-api.ts lists the methods. Passwords travel only towards the station: no result
// ever carries one.
import type { OpcuaSecurityMode, OpcuaSecurityPolicy } from '../site/site-types';

/** How to reach a server that is not a device of the site yet (the add form). */
export interface OpcuaConnection {
  url: string;
  securityMode: OpcuaSecurityMode;
  securityPolicy?: OpcuaSecurityPolicy;
  /** Must be true for securityMode none (unsigned clear text). */
  allowInsecure?: boolean;
  /** Absent: anonymous. */
  username?: string;
  password?: string;
}

/** A device of the site (its stored connection and password), or a connection. */
export type OpcuaTarget = { deviceId: string } | { connection: OpcuaConnection };

export type OpcuaTrustStatus = 'trusted' | 'rejected' | 'unknown';

/** A server certificate as a technician compares it with the one shown on the device. */
export interface OpcuaCertificate {
  /** SHA-1 of the DER bytes, lowercase hex: what OPC UA tools and device displays show. */
  thumbprint: string;
  thumbprintSha256: string;
  subject: string;
  issuer: string;
  selfSigned: boolean;
  /** ISO 8601, UTC. */
  notBefore: string;
  notAfter: string;
  applicationUri: string | null;
  hosts: string[];
  /** The station's decision so far; `unknown` certificates are refused until trusted. */
  status: OpcuaTrustStatus;
}

export interface OpcuaEndpointOffer {
  securityMode: OpcuaSecurityMode | null;
  /** Short name, e.g. Basic256Sha256 or None. */
  securityPolicy: string;
  /** Basic128Rsa15, Basic256: the station refuses them. */
  obsolete: boolean;
  userTokens: Array<'anonymous' | 'username' | 'certificate' | 'issued'>;
}

export interface OpcuaServerInfo {
  url: string;
  endpoints: OpcuaEndpointOffer[];
  /** Null when the server offers no secured endpoint. */
  certificate: OpcuaCertificate | null;
}

export interface OpcuaTrustRequest {
  url: string;
  /** The thumbprint the technician saw: refused if the server now presents another one. */
  thumbprint: string;
  decision: 'trust' | 'reject';
}

export interface OpcuaCertificateList {
  /** The station's own application certificate, which the server may have to trust. */
  own: Omit<OpcuaCertificate, 'status'>;
  certificates: OpcuaCertificate[];
}

export interface OpcuaBrowsedNode {
  nodeId: string;
  browseName: string;
  displayName: string;
  nodeClass: string;
  dataType: string | null;
  valueRank: number | null;
  access: { read: boolean; write: boolean } | null;
  /** Whether the node may have children worth browsing (objects, folders). */
  hasChildren: boolean;
}

export type OpcuaBrowseRequest = OpcuaTarget & { nodeId?: string };

export interface OpcuaBrowseResult {
  nodeId: string;
  children: OpcuaBrowsedNode[];
  truncated: boolean;
}

export type OpcuaJson =
  null | boolean | number | string | OpcuaJson[] | { [key: string]: OpcuaJson };

export interface OpcuaReadValue {
  nodeId: string;
  value: OpcuaJson;
  dataType: string | null;
  statusCode: string;
  sourceTimestamp: string | null;
  /** Why there is no usable value; null when Good. */
  problem: string | null;
}

export type OpcuaReadRequest = OpcuaTarget & { nodeIds: string[] };

export type OpcuaWriteRequest = OpcuaTarget & { nodeId: string; value: string | number | boolean };

/** What a write would do, checked against the server without writing anything. */
export interface OpcuaWritePlan {
  nodeId: string;
  displayName: string;
  dataType: string;
  oldValue: OpcuaJson;
  newValue: OpcuaJson;
  oldSymbol: string | null;
  newSymbol: string | null;
  range: { low: number; high: number } | null;
}

export interface OpcuaWriteResult extends OpcuaWritePlan {
  readBack: OpcuaJson;
  readBackSymbol: string | null;
  /** The server reports the value written (servers may clamp or round). */
  confirmed: boolean;
}

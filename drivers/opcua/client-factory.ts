// Every OPCUAClient of the station is made here, so none of node-opcua's unsafe defaults
// slips through: the station's own PKI (never node-opcua's per-user default folder, whose
// manager would accept any server), one connection attempt and no endless retrying (the
// caller bounds the time), and an explicit security mode and policy.
import { OPCUAClient, type MessageSecurityMode, type SecurityPolicy } from 'node-opcua';
import type { StationPki } from './pki';
import { STATION_APPLICATION_NAME } from './pki';
import './opcua-log';

export interface ClientSettings {
  securityMode: MessageSecurityMode;
  securityPolicy: SecurityPolicy;
  /** The certificate the technician trusted: the channel is secured with exactly this one. */
  serverCertificate?: Buffer;
  /** Per-request timeout of the services called through this client. */
  requestTimeoutMs: number;
  /** Session timeout requested from the server. */
  sessionTimeoutMs?: number;
  clientName?: string;
}

export function createStationClient(pki: StationPki, settings: ClientSettings): OPCUAClient {
  return OPCUAClient.create({
    applicationName: STATION_APPLICATION_NAME,
    applicationUri: pki.applicationUri,
    clientName: settings.clientName ?? 'microgrid-station',
    clientCertificateManager: pki.certificateManager,
    certificateFile: pki.certificateFile,
    privateKeyFile: pki.privateKeyFile,
    securityMode: settings.securityMode,
    securityPolicy: settings.securityPolicy,
    ...(settings.serverCertificate ? { serverCertificate: settings.serverCertificate } : {}),
    // One attempt: node-opcua's default (maxRetry -1) retries forever, and maxRetry 0 also
    // keeps it from reconnecting on its own after a break — reconnection is the caller's.
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 1000 },
    // Servers often advertise a host name the site PC cannot resolve; connect to the URL
    // the technician gave and match endpoints by security settings only.
    endpointMustExist: false,
    defaultTransactionTimeout: settings.requestTimeoutMs,
    transportTimeout: settings.requestTimeoutMs,
    requestedSessionTimeout: settings.sessionTimeoutMs ?? 60_000,
    keepSessionAlive: false,
  });
}

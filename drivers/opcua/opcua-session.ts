// The session the rest of the station uses: one secured OPC UA session on one server, with
// what it was opened with (for the UI: security, identity, the server's certificate).
//
// Lifetime: `session` and `client` are valid from the moment connectOpcua() returns until
// close() is called or the onClose listeners fire (connection lost, session closed by the
// server). After that every call on them fails and nothing reconnects on its own: whoever
// owns the connection (a poller, a session manager) opens a new one with connectOpcua(),
// which runs discovery and the certificate check again. close() always settles, within
// a few seconds even when the server has gone silent.
import type { ClientSession, OPCUAClient } from 'node-opcua';
import type { CertificateInfo } from './certificate-info';
import { settleWithin } from './deadline';
import { CLOSE_BOUND_MS, type UserTokenKind } from './endpoints';
import { opcuaError, type OpcuaError } from './opcua-error';
import type { PkiLease } from './pki';
import type { SecurityModeName, SecurityPolicyName } from './security';

export interface OpcuaSessionInfo {
  endpointUrl: string;
  securityMode: SecurityModeName;
  securityPolicy: SecurityPolicyName | 'None';
  identity: UserTokenKind;
  /** The server certificate the channel is secured with; null with security none. */
  serverCertificate: CertificateInfo | null;
  /** Time from the start of connectOpcua() to the open session. */
  connectMs: number;
}

export interface OpcuaSession extends OpcuaSessionInfo {
  /** node-opcua's session, for services beyond browse/read/write/call (subscriptions). */
  readonly session: ClientSession;
  readonly client: OPCUAClient;
  readonly closed: boolean;
  /** Called once when the session ends: reason null after close(), else why it was lost. */
  onClose(listener: (reason: OpcuaError | null) => void): () => void;
  /** The server's namespace URIs (index = namespace index), read once per session. */
  namespaceArray(): Promise<string[]>;
  close(): Promise<void>;
}

export function wrapSession(
  info: OpcuaSessionInfo,
  client: OPCUAClient,
  session: ClientSession,
  lease: PkiLease,
): OpcuaSession {
  const listeners = new Set<(reason: OpcuaError | null) => void>();
  let closed = false;
  let closing: Promise<void> | null = null;
  let namespaces: Promise<string[]> | null = null;

  const finish = (reason: OpcuaError | null): Promise<void> => {
    if (closing) return closing;
    closed = true;
    closing = (async () => {
      client.removeListener('close', onLost);
      client.removeListener('connection_lost', onLost);
      session.removeListener('session_closed', onSessionClosed);
      if (reason === null) await settleWithin(session.close(true), CLOSE_BOUND_MS);
      await settleWithin(client.disconnect(), CLOSE_BOUND_MS);
      await lease.release();
      for (const listener of [...listeners]) listener(reason);
      listeners.clear();
    })();
    return closing;
  };
  const onLost = (): void =>
    void finish(opcuaError('closed', `the connection to ${info.endpointUrl} was lost`));
  const onSessionClosed = (): void =>
    void finish(opcuaError('closed', `${info.endpointUrl} closed the session`));
  client.on('close', onLost);
  client.on('connection_lost', onLost);
  session.on('session_closed', onSessionClosed);

  return {
    ...info,
    session,
    client,
    get closed() {
      return closed;
    },
    onClose(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    namespaceArray() {
      namespaces ??= session.readNamespaceArray().catch((error: unknown) => {
        namespaces = null;
        throw error;
      });
      return namespaces;
    },
    close: () => finish(null),
  };
}

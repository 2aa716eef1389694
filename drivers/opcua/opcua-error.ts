// Expected failures of the OPC UA client, as values. Each message is one sentence a
// technician can act on, because the CLI prints it as is and the commissioning UI shows it
// next to the server. Programs look at `code`; the extra fields carry what a decision
// needs (the certificate to trust, what the server offers instead).
import type { Problem } from '../../core/result';
import type { PresentedCertificate } from './certificate-info';

export type OpcuaErrorCode =
  // refused before anything is sent
  | 'bad_url'
  | 'bad_options' // contradictory or malformed options (e.g. a policy with security none)
  | 'insecure_not_allowed' // security none without allowInsecure
  | 'policy_obsolete' // Basic128Rsa15, Basic256: broken crypto, never used
  | 'bad_node_id'
  | 'pki_error' // the station's own certificate or PKI folder cannot be used
  // what the server offers
  | 'security_mode_refused' // the server offers no endpoint with that security mode
  | 'policy_not_offered' // the mode is offered, but not with that policy
  | 'user_token_not_offered' // e.g. username/password on an endpoint that only takes X.509
  // trust
  | 'certificate_untrusted' // the server's certificate is not (yet) trusted by the station
  | 'certificate_invalid' // expired, not yet valid, unreadable, revoked…
  | 'client_certificate_rejected' // the server does not trust the station's certificate
  | 'bad_user' // wrong user name, password or user certificate
  // the wire
  | 'unreachable'
  | 'timeout'
  | 'closed' // the session was closed or the connection lost
  // operations
  | 'node_not_found'
  | 'not_readable'
  | 'not_writable'
  | 'not_executable'
  | 'out_of_range'
  | 'bad_type'
  | 'bad_arguments'
  | 'server_error'; // any other Bad status the server answered

export interface OpcuaError extends Problem {
  code: OpcuaErrorCode;
  /** certificate_untrusted/certificate_invalid: the certificate the server presented. */
  certificate?: PresentedCertificate;
  /** security_mode_refused/policy_not_offered/user_token_not_offered: what is offered. */
  offered?: string;
  /** The OPC UA status code underneath, e.g. `BadUserAccessDenied`. */
  statusCode?: string;
  /** The node an operation failed on. */
  nodeId?: string;
}

export const opcuaError = (
  code: OpcuaErrorCode,
  message: string,
  extra: Omit<OpcuaError, 'code' | 'message'> = {},
): OpcuaError => ({ code, message, ...extra });

/** The message of anything thrown, for wrapping unexpected failures. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

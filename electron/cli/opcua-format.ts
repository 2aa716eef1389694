// Output pieces shared by the OPC UA commands.
import type { OpcuaSession } from '../../drivers/opcua/opcua-session';
import type { JsonValue } from '../../drivers/opcua/value-json';

/** What a JSON result says about the connection it came over. */
export function sessionJson(s: OpcuaSession) {
  const certificate = s.serverCertificate;
  return {
    endpoint: s.endpointUrl,
    security: { mode: s.securityMode, policy: s.securityPolicy, user: s.identity },
    serverCertificate: certificate && {
      subject: certificate.subject,
      thumbprint: certificate.thumbprint,
      notAfter: certificate.notAfter,
      applicationUri: certificate.applicationUri,
    },
  };
}

/** A value for a terminal: text as is, the rest as JSON, an enumeration with its name. */
export function valueText(value: JsonValue, symbol: string | null = null): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return symbol === null ? text : `${text} (${symbol})`;
}

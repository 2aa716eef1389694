// Endpoint discovery: what a server offers (security modes, policies, user token types and
// its certificate), asked over an unsecured discovery channel as OPC UA intends — servers
// answer GetEndpoints there even when they only accept secured sessions. Errors can then
// say "policy X is not offered; the server offers …" instead of a bare status code.
import { MessageSecurityMode, SecurityPolicy, UserTokenType, type OPCUAClient } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { createStationClient } from './client-factory';
import { connectFailure } from './connect-errors';
import { settleWithin, within, type Deadline } from './deadline';
import type { OpcuaError } from './opcua-error';
import type { StationPki } from './pki';
import { isObsoletePolicy, modeName, policyShortName, type SecurityModeName } from './security';

export type UserTokenKind = 'anonymous' | 'username' | 'certificate' | 'issued';

export interface OfferedEndpoint {
  endpointUrl: string;
  /** null: a mode the station does not know (Invalid). */
  securityMode: SecurityModeName | null;
  /** Short name, e.g. "Basic256Sha256", or "None". */
  securityPolicy: string;
  securityLevel: number;
  userTokens: UserTokenKind[];
  /** DER, possibly a chain; null on endpoints without security. */
  serverCertificate: Buffer | null;
}

const TOKEN_KINDS: Record<number, UserTokenKind> = {
  [UserTokenType.Anonymous]: 'anonymous',
  [UserTokenType.UserName]: 'username',
  [UserTokenType.Certificate]: 'certificate',
  [UserTokenType.IssuedToken]: 'issued',
};

/** Time allowed to close a connection before it is abandoned. */
export const CLOSE_BOUND_MS = 2000;

export async function discoverEndpoints(
  endpointUrl: string,
  pki: StationPki,
  deadline: Deadline,
): Promise<Result<OfferedEndpoint[], OpcuaError>> {
  const client = createStationClient(pki, {
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    requestTimeoutMs: Math.max(1, deadline.remainingMs()),
    clientName: 'microgrid-discovery',
  });
  try {
    const found = await within(connectAndList(client, endpointUrl), deadline.remainingMs()).catch(
      (error: unknown) => ({ done: true as const, value: connectFailure(error, endpointUrl) }),
    );
    if (!found.done) return fail(timeoutError(endpointUrl, deadline));
    return found.value;
  } finally {
    await settleWithin(client.disconnect(), CLOSE_BOUND_MS);
  }
}

async function connectAndList(
  client: OPCUAClient,
  endpointUrl: string,
): Promise<Result<OfferedEndpoint[], OpcuaError>> {
  await client.connect(endpointUrl);
  const endpoints = await client.getEndpoints();
  return ok(
    endpoints.map((e) => ({
      endpointUrl: e.endpointUrl ?? endpointUrl,
      securityMode: modeName(e.securityMode),
      securityPolicy: policyShortName(e.securityPolicyUri),
      securityLevel: e.securityLevel,
      userTokens: [
        ...new Set(
          (e.userIdentityTokens ?? [])
            .map((t) => TOKEN_KINDS[t.tokenType])
            .filter((k): k is UserTokenKind => k !== undefined),
        ),
      ],
      serverCertificate: e.serverCertificate?.length ? Buffer.from(e.serverCertificate) : null,
    })),
  );
}

export function timeoutError(endpointUrl: string, deadline: Deadline): OpcuaError {
  return {
    code: 'timeout',
    message: `${endpointUrl} did not answer within ${deadline.totalMs} ms: check the address, port and that the server is running`,
  };
}

/** "sign and sign-encrypt with Basic256Sha256, Aes256_Sha256_RsaPss; none" */
export function describeOffers(endpoints: readonly OfferedEndpoint[]): string {
  const byMode = new Map<string, string[]>();
  for (const e of endpoints) {
    const mode = e.securityMode ?? 'invalid';
    const policies = byMode.get(mode) ?? [];
    const label = isObsoletePolicy(e.securityPolicy)
      ? `${e.securityPolicy} (obsolete)`
      : e.securityPolicy;
    if (mode !== 'none' && !policies.includes(label)) policies.push(label);
    byMode.set(mode, policies);
  }
  // Modes offered with the same policies are named together.
  const byPolicies = new Map<string, string[]>();
  for (const [mode, policies] of byMode) {
    const key = policies.join(', ');
    byPolicies.set(key, [...(byPolicies.get(key) ?? []), mode]);
  }
  const parts = [...byPolicies].map(([policies, modes]) => {
    const names = modes.join(' and ');
    return policies ? `${names} with ${policies}` : names;
  });
  return parts.length ? parts.join('; ') : 'no endpoints at all';
}

// connectOpcua: from an endpoint URL and the technician's choices to an open session, in a
// bounded time, refusing what is unsafe before anything is sent:
// 1. options: URL, mode, policy (obsolete ones refused), security none only if allowed;
// 2. the station's PKI (its own certificate is made on first use; not counted in the bound);
// 3. discovery: what the server offers, over an unsecured discovery channel;
// 4. the endpoint matching mode, policy and user token type, or an error listing the offers;
// 5. the server certificate against the station's trust list (unknown = rejected), unless
//    the caller explicitly trusts the presented one (CLI --trust-server), which is stored;
// 6. the secure channel, secured with exactly the certificate checked in 5, then the session.
import './opcua-log';
import type { ClientSession, OPCUAClient } from 'node-opcua';
import { parseDeviceUrl } from '../../core/site/device-url';
import { fail, ok, type Result } from '../../core/result';
import {
  presentCertificate,
  subjectName,
  validityText,
  type PresentedCertificate,
} from './certificate-info';
import { createStationClient } from './client-factory';
import { describeFailure } from './connect-errors';
import { Deadline, settleWithin, within } from './deadline';
import { selectEndpoint } from './endpoint-select';
import { CLOSE_BOUND_MS, discoverEndpoints, timeoutError } from './endpoints';
import { ANONYMOUS, identityLabel, toUserIdentityInfo, type OpcuaIdentity } from './identity';
import { opcuaError, type OpcuaError } from './opcua-error';
import { wrapSession, type OpcuaSession } from './opcua-session';
import { acquireStationPki, type StationPki } from './pki';
import {
  DEFAULT_POLICY,
  parseSecurityPolicy,
  toOpcuaMode,
  toOpcuaPolicy,
  type SecurityModeName,
  type SecurityPolicyName,
} from './security';
import { checkServerCertificate, trustServerCertificate } from './trust';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface OpcuaConnectOptions {
  /** opc.tcp://host:port/path */
  endpointUrl: string;
  /** The station's data directory; the PKI lives in its pki/ folder. */
  dataDir: string;
  securityMode: SecurityModeName;
  /** Name or URI; default Basic256Sha256. Must be left out with security none. */
  securityPolicy?: string;
  identity?: OpcuaIdentity;
  /** Security none is refused unless this is set (the device's config says so). */
  allowInsecure?: boolean;
  /** Trust the certificate the server presents now and store the decision (explicit only). */
  trustServerCertificate?: boolean;
  /** Bound for everything up to the open session. */
  timeoutMs?: number;
  /** Per-request timeout for the services used on the session afterwards. */
  requestTimeoutMs?: number;
  sessionName?: string;
}

interface Checked {
  endpointUrl: string;
  mode: SecurityModeName;
  policy: SecurityPolicyName | 'None';
  identity: OpcuaIdentity;
}

export function checkConnectOptions(options: OpcuaConnectOptions): Result<Checked, OpcuaError> {
  const parsed = parseDeviceUrl(options.endpointUrl);
  if (!parsed.ok) return fail(opcuaError('bad_url', parsed.error.message));
  if (parsed.value.kind !== 'opcua')
    return fail(opcuaError('bad_url', `${options.endpointUrl} is not an opc.tcp:// URL`));
  const identity = options.identity ?? ANONYMOUS;
  const identityCheck = toUserIdentityInfo(identity);
  if (!identityCheck.ok) return identityCheck;
  const base = { endpointUrl: options.endpointUrl, identity };
  if (options.securityMode === 'none') {
    if (options.securityPolicy !== undefined && options.securityPolicy !== 'None')
      return fail(
        opcuaError(
          'bad_options',
          `security none uses no policy; ${options.securityPolicy} needs sign or sign-encrypt`,
        ),
      );
    if (!options.allowInsecure)
      return fail(
        opcuaError(
          'insecure_not_allowed',
          `security none sends everything unsigned and in clear text; it is refused unless the device's configuration explicitly allows it`,
        ),
      );
    return ok({ ...base, mode: 'none', policy: 'None' });
  }
  const policy = parseSecurityPolicy(options.securityPolicy ?? DEFAULT_POLICY);
  if (!policy.ok) return policy;
  return ok({ ...base, mode: options.securityMode, policy: policy.value });
}

export async function connectOpcua(
  options: OpcuaConnectOptions,
): Promise<Result<OpcuaSession, OpcuaError>> {
  const checked = checkConnectOptions(options);
  if (!checked.ok) return checked;
  const lease = await acquireStationPki(options.dataDir);
  if (!lease.ok) return lease;
  const startedMs = Date.now();
  const result = await openSession(checked.value, lease.value.pki, options).catch(
    (error: unknown) =>
      fail(describeFailure(error, { endpointUrl: options.endpointUrl })) as Result<
        Opened,
        OpcuaError
      >,
  );
  if (!result.ok) {
    await lease.value.release();
    return result;
  }
  const { client, session, certificate } = result.value;
  return ok(
    wrapSession(
      {
        endpointUrl: options.endpointUrl,
        securityMode: checked.value.mode,
        securityPolicy: checked.value.policy,
        identity: checked.value.identity.kind,
        serverCertificate: certificate,
        connectMs: Date.now() - startedMs,
      },
      client,
      session,
      lease.value,
    ),
  );
}

interface Opened {
  client: OPCUAClient;
  session: ClientSession;
  certificate: PresentedCertificate | null;
}

async function openSession(
  c: Checked,
  pki: StationPki,
  options: OpcuaConnectOptions,
): Promise<Result<Opened, OpcuaError>> {
  const deadline = new Deadline(options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  const endpoints = await discoverEndpoints(c.endpointUrl, pki, deadline);
  if (!endpoints.ok) return endpoints;
  const endpoint = selectEndpoint(
    c.endpointUrl,
    endpoints.value,
    c.mode,
    c.policy,
    c.identity.kind,
  );
  if (!endpoint.ok) return endpoint;

  let certificate: PresentedCertificate | null = null;
  const serverCertificate = endpoint.value.serverCertificate;
  if (c.mode !== 'none') {
    const trusted = await trustedCertificate(c, pki, serverCertificate, options);
    if (!trusted.ok) return trusted;
    certificate = trusted.value;
  }

  const client = createStationClient(pki, {
    securityMode: toOpcuaMode(c.mode),
    securityPolicy: toOpcuaPolicy(c.policy),
    ...(c.mode !== 'none' && serverCertificate ? { serverCertificate } : {}),
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ...(options.sessionName ? { clientName: options.sessionName } : {}),
  });
  const context = {
    endpointUrl: c.endpointUrl,
    ownThumbprint: pki.certificate.thumbprint,
    user: identityLabel(c.identity),
  };
  const attempt = (async (): Promise<Result<ClientSession, OpcuaError>> => {
    try {
      await client.connect(c.endpointUrl);
    } catch (error) {
      return fail(describeFailure(error, context));
    }
    const identity = toUserIdentityInfo(c.identity);
    if (!identity.ok) return identity;
    try {
      return ok(await client.createSession(identity.value));
    } catch (error) {
      return fail(describeFailure(error, context));
    }
  })();
  const outcome = await within(attempt, deadline.remainingMs());
  if (!outcome.done) {
    // A session that opens after the deadline must not stay open on the server.
    void attempt.then((late) => (late.ok ? late.value.close().catch(() => undefined) : undefined));
    await settleWithin(client.disconnect(), CLOSE_BOUND_MS);
    return fail(timeoutError(c.endpointUrl, deadline));
  }
  const opened = outcome.value;
  if (opened.ok) return ok({ client, session: opened.value, certificate });
  await settleWithin(client.disconnect(), CLOSE_BOUND_MS);
  return opened;
}

async function trustedCertificate(
  c: Checked,
  pki: StationPki,
  der: Buffer | null,
  options: OpcuaConnectOptions,
): Promise<Result<PresentedCertificate, OpcuaError>> {
  if (!der)
    return fail(
      opcuaError(
        'certificate_invalid',
        `${c.endpointUrl} offers ${c.mode} but sent no certificate`,
      ),
    );
  const presented = presentCertificate(der);
  if (!presented.ok) {
    return fail(
      opcuaError(
        'certificate_invalid',
        `${c.endpointUrl} sent an unreadable certificate: ${presented.error.message}`,
      ),
    );
  }
  const info = presented.value;
  if (options.trustServerCertificate) {
    const stored = await trustServerCertificate(options.dataDir, der);
    if (!stored.ok) return stored;
  }
  const verdict = await checkServerCertificate(pki, der);
  if (verdict.status === 'trusted') return ok(info);
  if (verdict.status === 'untrusted') {
    return fail(
      opcuaError(
        'certificate_untrusted',
        `server certificate not trusted: ${subjectName(info)}, thumbprint ${info.thumbprint}, valid ${validityText(info)}`,
        { certificate: info },
      ),
    );
  }
  return fail(
    opcuaError(
      'certificate_invalid',
      `server certificate ${subjectName(info)} (thumbprint ${info.thumbprint}) cannot be used: ${invalidReason(info, verdict.statusCode)}`,
      { certificate: info, statusCode: verdict.statusCode },
    ),
  );
}

/** Why a certificate cannot be used, in words where the status has a common cause. */
function invalidReason(info: PresentedCertificate, statusCode: string): string {
  if (statusCode === 'BadCertificateTimeInvalid') {
    const nowIso = new Date().toISOString();
    if (info.notAfter < nowIso)
      return `it expired on ${info.notAfter.slice(0, 10)} (${statusCode}); the server needs a new certificate, or check the site PC's clock`;
    if (info.notBefore > nowIso)
      return `it is not valid before ${info.notBefore.slice(0, 10)} (${statusCode}); check the clocks of the server and the site PC`;
  }
  if (statusCode === 'BadCertificateRevoked') return `its issuer revoked it (${statusCode})`;
  return statusCode;
}

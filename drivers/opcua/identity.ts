// Who the station is on a server: anonymous, a user name and password, or an X.509 user
// certificate with its private key. Checked before connecting, so a key that does not
// belong to its certificate is named as such instead of surfacing as a server refusal.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserTokenType, type UserIdentityInfo } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { certificateDer, describeCertificate } from './certificate-info';
import type { UserTokenKind } from './endpoints';
import { messageOf, opcuaError, type OpcuaError } from './opcua-error';

export type OpcuaIdentity =
  | { kind: 'anonymous' }
  | { kind: 'username'; username: string; password: string }
  /** certificate: DER or PEM; privateKey: PEM (unencrypted). */
  | { kind: 'certificate'; certificate: Buffer | string; privateKey: string };

export const ANONYMOUS: OpcuaIdentity = { kind: 'anonymous' };

export const tokenKindOf = (identity: OpcuaIdentity): UserTokenKind => identity.kind;

/** For messages: `anonymous`, `user "tech"`, `user certificate CN=…`. */
export function identityLabel(identity: OpcuaIdentity): string {
  if (identity.kind === 'anonymous') return 'anonymous';
  if (identity.kind === 'username') return `user "${identity.username}"`;
  const info = describeCertificate(identity.certificate);
  return info.ok ? `user certificate ${info.value.subject}` : 'a user certificate';
}

export function toUserIdentityInfo(identity: OpcuaIdentity): Result<UserIdentityInfo, OpcuaError> {
  switch (identity.kind) {
    case 'anonymous':
      return ok({ type: UserTokenType.Anonymous });
    case 'username':
      if (!identity.username) return fail(opcuaError('bad_options', 'the user name is empty'));
      return ok({
        type: UserTokenType.UserName,
        userName: identity.username,
        password: identity.password,
      });
    case 'certificate':
      return certificateIdentity(identity.certificate, identity.privateKey);
  }
}

function certificateIdentity(
  certificate: Buffer | string,
  privateKey: string,
): Result<UserIdentityInfo, OpcuaError> {
  const der = certificateDer(certificate);
  if (!der.ok) return fail(opcuaError('bad_options', `user certificate: ${der.error.message}`));
  try {
    const certificateKey = new X509Certificate(der.value).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const ownKey = createPublicKey(createPrivateKey(privateKey)).export({
      type: 'spki',
      format: 'der',
    });
    if (!certificateKey.equals(ownKey))
      return fail(
        opcuaError('bad_options', 'the private key does not belong to the user certificate'),
      );
  } catch (error) {
    return fail(
      opcuaError('bad_options', `user certificate or key unreadable: ${messageOf(error)}`),
    );
  }
  return ok({ type: UserTokenType.Certificate, certificateData: der.value, privateKey });
}

/** An X.509 identity from a certificate file (PEM or DER) and a PEM private key file. */
export async function loadCertificateIdentity(
  certificateFile: string,
  privateKeyFile: string,
): Promise<Result<OpcuaIdentity, OpcuaError>> {
  try {
    const [certificate, privateKey] = await Promise.all([
      readFile(certificateFile),
      readFile(privateKeyFile, 'utf8'),
    ]);
    const identity: OpcuaIdentity = { kind: 'certificate', certificate, privateKey };
    const checked = toUserIdentityInfo(identity);
    return checked.ok ? ok(identity) : checked;
  } catch (error) {
    return fail(opcuaError('bad_options', `cannot read the user certificate: ${messageOf(error)}`));
  }
}

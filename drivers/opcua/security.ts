// Security modes and policies by the names the station uses (CLI flags, site files, UI),
// and their node-opcua counterparts. Only the three current policies are accepted;
// Basic128Rsa15 and Basic256 rely on SHA-1 and PKCS#1 v1.5 and are refused outright,
// before any connection is made, so nobody ends up on them by accident.
import { MessageSecurityMode, SecurityPolicy } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import './opcua-log';
import { opcuaError, type OpcuaError } from './opcua-error';

export const SECURITY_MODES = ['none', 'sign', 'sign-encrypt'] as const;
export type SecurityModeName = (typeof SECURITY_MODES)[number];

export const SECURITY_POLICIES = [
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
] as const;
export type SecurityPolicyName = (typeof SECURITY_POLICIES)[number];

/** What a secured connection uses unless told otherwise: the most widely supported one. */
export const DEFAULT_POLICY: SecurityPolicyName = 'Basic256Sha256';

const OBSOLETE_POLICIES = ['Basic128Rsa15', 'Basic256', 'Basic128', 'Aes128'] as const;
const POLICY_URI_PREFIX = 'http://opcfoundation.org/UA/SecurityPolicy#';

const MODE_TO_OPCUA: Record<SecurityModeName, MessageSecurityMode> = {
  none: MessageSecurityMode.None,
  sign: MessageSecurityMode.Sign,
  'sign-encrypt': MessageSecurityMode.SignAndEncrypt,
};

const POLICY_TO_OPCUA: Record<SecurityPolicyName, SecurityPolicy> = {
  Basic256Sha256: SecurityPolicy.Basic256Sha256,
  Aes128_Sha256_RsaOaep: SecurityPolicy.Aes128_Sha256_RsaOaep,
  Aes256_Sha256_RsaPss: SecurityPolicy.Aes256_Sha256_RsaPss,
};

export const toOpcuaMode = (mode: SecurityModeName): MessageSecurityMode => MODE_TO_OPCUA[mode];

export const toOpcuaPolicy = (policy: SecurityPolicyName | 'None'): SecurityPolicy =>
  policy === 'None' ? SecurityPolicy.None : POLICY_TO_OPCUA[policy];

/** The station's name of a node-opcua mode; `null` for Invalid. */
export function modeName(mode: MessageSecurityMode): SecurityModeName | null {
  const found = SECURITY_MODES.find((m) => MODE_TO_OPCUA[m] === mode);
  return found ?? null;
}

/** "Basic256Sha256" from its URI; unknown URIs keep their fragment (or the whole URI). */
export function policyShortName(uri: string | null | undefined): string {
  if (!uri) return 'None';
  return uri.startsWith(POLICY_URI_PREFIX) ? uri.slice(POLICY_URI_PREFIX.length) : uri;
}

export function isObsoletePolicy(name: string): boolean {
  return (OBSOLETE_POLICIES as readonly string[]).includes(name);
}

export function parseSecurityMode(text: string): Result<SecurityModeName, OpcuaError> {
  const normal = text.trim().toLowerCase();
  const aliases: Record<string, SecurityModeName> = {
    signandencrypt: 'sign-encrypt',
    'sign-and-encrypt': 'sign-encrypt',
  };
  const mode = (SECURITY_MODES as readonly string[]).includes(normal)
    ? (normal as SecurityModeName)
    : aliases[normal];
  if (mode) return ok(mode);
  return fail(
    opcuaError('bad_options', `unknown security mode "${text}" (use none, sign or sign-encrypt)`),
  );
}

/** A current policy by name (any case) or URI; obsolete ones are refused by name. */
export function parseSecurityPolicy(text: string): Result<SecurityPolicyName, OpcuaError> {
  const name = policyShortName(text.trim());
  const policy = SECURITY_POLICIES.find((p) => p.toLowerCase() === name.toLowerCase());
  if (policy) return ok(policy);
  const obsolete = OBSOLETE_POLICIES.find((p) => p.toLowerCase() === name.toLowerCase());
  if (obsolete) {
    return fail(
      opcuaError(
        'policy_obsolete',
        `security policy ${obsolete} is obsolete (broken SHA-1/PKCS#1 v1.5 crypto) and is never used; choose ${SECURITY_POLICIES.join(', ')}`,
      ),
    );
  }
  return fail(
    opcuaError(
      'bad_options',
      `unknown security policy "${text}" (use ${SECURITY_POLICIES.join(', ')})`,
    ),
  );
}

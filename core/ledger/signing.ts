// Ed25519 signing and checking through node:crypto. The station's private key never
// enters core/: the repository gets a signer (key id + sign function) from the host.
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { keyIdOf } from './hashing';

export interface LedgerSigner {
  readonly keyId: string;
  /** Ed25519 signature over the bytes (64 bytes). */
  sign(data: Uint8Array): Buffer;
}

/** A public key the verifier trusts, keyed by its key id. */
export interface TrustedKey {
  keyId: string;
  key: KeyObject;
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  if (der.length !== 44 || !der.subarray(0, 12).equals(SPKI_PREFIX))
    throw new Error('not an Ed25519 public key');
  return der.subarray(12);
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new Error('an Ed25519 public key has 32 bytes');
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

export function trustedKey(publicKey: KeyObject): TrustedKey {
  return { keyId: keyIdOf(rawPublicKey(publicKey)), key: publicKey };
}

export function ed25519Signer(privateKey: KeyObject): LedgerSigner {
  const keyId = keyIdOf(rawPublicKey(createPublicKey(privateKey)));
  return { keyId, sign: (data) => sign(null, data, privateKey) };
}

export function verifyEd25519(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

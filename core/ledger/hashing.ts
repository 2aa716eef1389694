// SHA-256 and key ids. node:crypto is the one I/O-free Node module core/ledger uses: the
// rules of a tamper-evident ledger are hashing and signing, not storage.
import { createHash, hash } from 'node:crypto';

/** 64 zeros: the previous hash of the genesis block and of the first entry. */
export const ZERO_HASH = '0'.repeat(64);

export const HEX_HASH = /^[0-9a-f]{64}$/;

// crypto.hash (one-shot, Node ≥ 20.12) is about 3× faster than createHash for small
// inputs, which is most of what verifying a ledger costs.
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Key id: the first 16 hex digits of SHA-256 over the raw 32-byte Ed25519 public key. */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return sha256Hex(rawPublicKey).slice(0, 16);
}

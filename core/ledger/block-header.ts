// Block headers. The signed bytes are the canonical JSON (RFC 8785) of the header without
// its signature; the block hash is SHA-256 over the same bytes. Ed25519 signatures are
// deterministic, so the hash commits to everything the signature does.
import { canonicalize } from './canonical-json';
import { sha256Hex } from './hashing';
import type { LedgerSigner, TrustedKey } from './signing';
import { verifyEd25519 } from './signing';

export const BLOCK_VERSION = 1;

export interface BlockHeader {
  v: typeof BLOCK_VERSION;
  /** 0 for genesis, then +1 per block. */
  height: number;
  /** Hash of block height − 1; 64 zeros for genesis. */
  prevHash: string;
  /** RFC 6962 Merkle root of the block's entry hashes (merkle.ts). */
  merkleRoot: string;
  /** When the block was sealed, UTC ms. */
  timeMs: number;
  /** Sequence number of the block's first entry; entries follow without gaps. */
  firstSeq: number;
  entryCount: number;
  signerKeyId: string;
  /** Why it was sealed, e.g. `interval 2025-06-01T10:15Z`, `genesis`, `on demand`. */
  reason: string;
}

export interface SignedBlock {
  header: BlockHeader;
  /** SHA-256 of the canonical header. */
  hash: string;
  /** Base64 Ed25519 signature over the canonical header. */
  signature: string;
}

export function headerBytes(header: BlockHeader): string {
  return canonicalize(header);
}

export function signBlock(header: BlockHeader, signer: LedgerSigner): SignedBlock {
  const bytes = headerBytes(header);
  return {
    header,
    hash: sha256Hex(bytes),
    signature: signer.sign(Buffer.from(bytes)).toString('base64'),
  };
}

export type BlockCheck = 'ok' | 'hash_mismatch' | 'unknown_key' | 'bad_signature';

/** Checks a block's hash and its signature against the trusted station keys. */
export function checkBlock(block: SignedBlock, keys: readonly TrustedKey[]): BlockCheck {
  const bytes = headerBytes(block.header);
  if (sha256Hex(bytes) !== block.hash) return 'hash_mismatch';
  const key = keys.find((k) => k.keyId === block.header.signerKeyId);
  if (!key) return 'unknown_key';
  const ok = verifyEd25519(key.key, Buffer.from(bytes), Buffer.from(block.signature, 'base64'));
  return ok ? 'ok' : 'bad_signature';
}

// Checks a statement's proof file with nothing but the file and the station's public key:
// block signatures and hashes, each entry's hash and Merkle inclusion, that every entry
// concerns the member, and that the member's running balance adds up from entry to entry.
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { checkBlock, type BlockHeader, type SignedBlock } from './block-header';
import { CanonicalJsonError } from './canonical-json';
import { HEX_HASH } from './hashing';
import { concernsMember, encodeEntry, type LedgerEntry } from './ledger-entry';
import { verifyInclusion } from './merkle';
import { trustedKey } from './signing';
import { PROOF_FORMAT } from './statement';

const hash = z.string().regex(HEX_HASH);
const int = z.int().nonnegative();
const proofSchema = z.object({
  format: z.literal(PROOF_FORMAT),
  memberId: z.string().min(1),
  fromMs: int,
  toMs: int,
  blocks: z.array(
    z.object({
      header: z.record(z.string(), z.unknown()),
      hash,
      signature: z.string(),
    }),
  ),
  entries: z.array(
    z.object({
      entry: z.record(z.string(), z.unknown()),
      hash,
      block: int,
      index: int,
      path: z.array(hash),
      opening: z.literal(true).optional(),
    }),
  ),
  unproven: z.array(z.object({ seq: int, hash })),
});

export interface ProofProblem {
  code:
    | 'invalid_proof'
    | 'hash_mismatch'
    | 'bad_signature'
    | 'unknown_key'
    | 'merkle_mismatch'
    | 'broken_link'
    | 'not_member'
    | 'balance_mismatch';
  message: string;
  block?: number;
  entry?: number;
}

export interface ProofCounts {
  memberId: string;
  blocks: number;
  entries: number;
  unproven: number;
  /** The member's balance after the last proven money entry, or null if none. */
  closingBalanceMinor: number | null;
  keyId: string;
}

export function checkProof(raw: unknown, stationKey: KeyObject): Result<ProofCounts, ProofProblem> {
  const parsed = proofSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({
      code: 'invalid_proof',
      message:
        `not a ${PROOF_FORMAT} file: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    });
  }
  const proof = parsed.data;
  const key = trustedKey(stationKey);
  const blocks = new Map<number, BlockHeader>();
  let previous: SignedBlock | null = null;
  for (const raw of [...proof.blocks].sort((a, b) => num(a.header.height) - num(b.header.height))) {
    const block = raw as unknown as SignedBlock;
    const height = block.header.height;
    const check = safe(() => checkBlock(block, [key]));
    if (check !== 'ok')
      return fail({
        code: check === 'malformed' ? 'invalid_proof' : check,
        block: height,
        message:
          check === 'unknown_key'
            ? `block ${height} is signed by key ${block.header.signerKeyId}, not by key ${key.keyId}`
            : `block ${height}: ${check === 'hash_mismatch' ? 'header does not match its hash' : check === 'malformed' ? 'header is not JSON' : 'station signature is not valid'}`,
      });
    if (
      previous &&
      previous.header.height + 1 === height &&
      block.header.prevHash !== previous.hash
    )
      return fail({
        code: 'broken_link',
        block: height,
        message: `block ${height} does not follow block ${height - 1}`,
      });
    blocks.set(height, block.header);
    previous = block;
  }
  let balance: number | null = null;
  for (const item of proof.entries) {
    const entry = item.entry as unknown as LedgerEntry;
    const seq = entry.seq;
    const encoded = safe(() => encodeEntry(entry));
    if (encoded === 'malformed' || encoded.hash !== item.hash)
      return fail({
        code: 'hash_mismatch',
        entry: seq,
        message: `entry ${seq} does not match its hash`,
      });
    const header = blocks.get(item.block);
    if (!header)
      return fail({
        code: 'invalid_proof',
        entry: seq,
        message: `entry ${seq} names block ${item.block}, which the file lacks`,
      });
    if (
      item.index !== seq - header.firstSeq ||
      !verifyInclusion(item.hash, item.index, header.entryCount, item.path, header.merkleRoot)
    )
      return fail({
        code: 'merkle_mismatch',
        entry: seq,
        block: item.block,
        message: `entry ${seq} is not in block ${item.block} (inclusion proof fails)`,
      });
    if (!concernsMember(entry, proof.memberId))
      return fail({
        code: 'not_member',
        entry: seq,
        message: `entry ${seq} does not concern ${proof.memberId}`,
      });
    if (entry.memberId === proof.memberId && entry.amountMinor !== null) {
      const expected = balance === null ? null : balance + entry.amountMinor;
      if (expected !== null && entry.balanceAfterMinor !== expected)
        return fail({
          code: 'balance_mismatch',
          entry: seq,
          message: `entry ${seq}: balance ${String(entry.balanceAfterMinor)} does not follow from ${balance} ${entry.amountMinor >= 0 ? '+' : '−'} ${Math.abs(entry.amountMinor)}`,
        });
      balance = entry.balanceAfterMinor;
    }
  }
  return ok({
    memberId: proof.memberId,
    blocks: blocks.size,
    entries: proof.entries.length,
    unproven: proof.unproven.length,
    closingBalanceMinor: balance,
    keyId: key.keyId,
  });
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : -1;
}

/** Canonicalizing hostile input may throw (non-finite numbers, lone surrogates). */
function safe<T>(fn: () => T): T | 'malformed' {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CanonicalJsonError || error instanceof TypeError) return 'malformed';
    throw error;
  }
}

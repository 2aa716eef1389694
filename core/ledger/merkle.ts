// Merkle tree over a block's entry hashes, as in RFC 6962 / RFC 9162 §2.1 (Certificate
// Transparency): leaf = SHA-256(0x00 ‖ entry hash), node = SHA-256(0x01 ‖ left ‖ right),
// the left subtree of n leaves holds the largest power of two below n, and the empty
// tree's root is SHA-256 of nothing. The 0x00/0x01 prefixes keep a leaf from passing as
// an inner node (second-preimage). Entry hashes are the 32 raw bytes, not their hex.
//
// Built bottom-up: pairing neighbours and carrying an odd last node up unhashed gives the
// same tree as the recursive split, and each proof then costs one pass over the levels.
import { HEX_HASH, sha256Hex } from './hashing';
import { MerkleStream } from './merkle-stream';

// Nodes are kept as hex: one-shot hashing to hex is the fastest path in node:crypto.
export function leafHash(entryHashHex: string): string {
  return sha256Hex(Buffer.from(`00${entryHashHex}`, 'hex'));
}

export function nodeHash(leftHex: string, rightHex: string): string {
  return sha256Hex(Buffer.from(`01${leftHex}${rightHex}`, 'hex'));
}

function levels(entryHashes: readonly string[]): string[][] {
  const all: string[][] = [entryHashes.map(leafHash)];
  for (let level = all[0]!; level.length > 1;) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      next.push(right ? nodeHash(left, right) : left);
    }
    all.push(next);
    level = next;
  }
  return all;
}

/** Root of the tree over the entry hashes (hex), as 64 hex digits. */
export function merkleRoot(entryHashes: readonly string[]): string {
  // Same root as levels(), without keeping the levels (see merkle-stream.ts).
  const stream = new MerkleStream();
  for (const entryHash of entryHashes) stream.add(entryHash);
  return stream.root();
}

/** Audit paths (RFC 9162 §2.1.3.1) of the leaves at `indexes`, sibling hashes leaf-up, hex. */
export function inclusionProofs(
  entryHashes: readonly string[],
  indexes: readonly number[],
): string[][] {
  const tree = levels(entryHashes);
  return indexes.map((index) => {
    if (!Number.isInteger(index) || index < 0 || index >= entryHashes.length)
      throw new RangeError(`leaf ${index} is outside a tree of ${entryHashes.length}`);
    const path: string[] = [];
    let i = index;
    for (const level of tree.slice(0, -1)) {
      const sibling = i % 2 === 1 ? level[i - 1] : level[i + 1];
      if (sibling) path.push(sibling);
      i = Math.floor(i / 2);
    }
    return path;
  });
}

/** RFC 9162 §2.1.3.2: does the path lead from this entry hash at `index` to `rootHex`? */
export function verifyInclusion(
  entryHashHex: string,
  index: number,
  treeSize: number,
  path: readonly string[],
  rootHex: string,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize)
    return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(entryHashHex);
  for (const p of path) {
    if (sn === 0) return false;
    if (!HEX_HASH.test(p)) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === rootHex;
}

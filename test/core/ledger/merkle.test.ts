import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inclusionProofs, merkleRoot, verifyInclusion } from '../../../core/ledger/merkle';

const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const hex = (i: number) => createHash('sha256').update(`entry ${i}`).digest('hex');

/** RFC 6962 §2.1 MTH, written recursively as in the RFC, as the reference. */
function mth(leaves: string[]): Buffer {
  if (leaves.length === 0) return h();
  if (leaves.length === 1) return h(Buffer.from([0]), Buffer.from(leaves[0]!, 'hex'));
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return h(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]). */
function path(m: number, leaves: string[]): string[] {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k)).toString('hex')]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k)).toString('hex')];
}

describe('Merkle tree (RFC 6962)', () => {
  it('the empty tree is SHA-256 of nothing', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('root and audit paths equal the RFC definitions for 1…70 leaves, and every proof verifies', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => hex(i));
      const root = merkleRoot(leaves);
      expect(root).toBe(mth(leaves).toString('hex'));
      const indexes = leaves.map((_, i) => i);
      const proofs = inclusionProofs(leaves, indexes);
      for (const i of indexes) {
        expect(proofs[i]).toEqual(path(i, leaves));
        expect(verifyInclusion(leaves[i]!, i, n, proofs[i]!, root)).toBe(true);
      }
    }
  });

  it('a proof fails for another leaf, index, sibling or root (the size is bound by the signed header)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), (n, pick) => {
        const leaves = Array.from({ length: n }, (_, i) => hex(i));
        const i = pick % n;
        const root = merkleRoot(leaves);
        const [proof] = inclusionProofs(leaves, [i]);
        const other = (i + 1) % n;
        expect(verifyInclusion(leaves[other]!, i, n, proof!, root)).toBe(false);
        expect(verifyInclusion(leaves[i]!, other, n, proof!, root)).toBe(false);
        if (proof!.length > 0) {
          const bent = [...proof!];
          bent[0] = hex(-1);
          expect(verifyInclusion(leaves[i]!, i, n, bent, root)).toBe(false);
        }
        expect(verifyInclusion(leaves[i]!, i, n, proof!, hex(-2))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('a leaf hash cannot pass as an inner node (domain separation)', () => {
    const leaves = [hex(1), hex(2)];
    const root = merkleRoot(leaves);
    // The inner node's children as a fake "entry": a one-leaf tree of it is a different root.
    expect(merkleRoot([root])).not.toBe(root);
  });
});

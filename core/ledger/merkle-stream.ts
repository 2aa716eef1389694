// RFC 6962 Merkle root computed while the leaves stream past, for verification and
// sealing: no array of hashes per block, no level arrays, two reused byte buffers.
//
// The stack holds the roots of complete subtrees of 1, 2, 4, … leaves (sizes strictly
// decreasing); a new leaf merges with equal-sized neighbours. At the end the stack is
// folded from the right: with n = 2^a + 2^b + … (a > b > …) that gives
// node(T(2^a), node(T(2^b), …)), which is exactly RFC 6962's split at the largest power
// of two below n. Checked against the recursive definition in test/core/ledger/merkle.test.ts.
//
// Nodes stay hex: crypto.hash with hex output is the fastest one-shot path in node:crypto
// (a Buffer output allocates and costs about 3× more per call); the input bytes are
// written into preallocated buffers behind their 0x00/0x01 prefix.
import { hash } from 'node:crypto';

const EMPTY_ROOT = hash('sha256', '', 'hex');

export class MerkleStream {
  private readonly leafBytes = Buffer.alloc(33);
  private readonly nodeBytes = Buffer.alloc(65);
  private readonly stack: string[] = [];
  private readonly sizes: number[] = [];

  constructor() {
    this.nodeBytes[0] = 1;
  }

  /** Adds the next entry hash (64 hex digits). */
  add(entryHashHex: string): void {
    // A hex string that is not 64 hex digits would be written short and hash stale
    // bytes; the caller has already compared it with a computed SHA-256, but the
    // guard keeps the function safe on its own.
    if (this.leafBytes.write(entryHashHex, 1, 'hex') !== 32 || entryHashHex.length !== 64)
      throw new RangeError('an entry hash is 64 hex digits');
    let node = hash('sha256', this.leafBytes, 'hex');
    let size = 1;
    const { stack, sizes } = this;
    while (sizes.length > 0 && sizes[sizes.length - 1] === size) {
      node = this.node(stack.pop()!, node);
      sizes.pop();
      size *= 2;
    }
    stack.push(node);
    sizes.push(size);
  }

  /** Root over the leaves added since the last reset (hex); the stream starts over. */
  root(): string {
    const { stack } = this;
    let root = stack.pop() ?? EMPTY_ROOT;
    while (stack.length > 0) root = this.node(stack.pop()!, root);
    this.sizes.length = 0;
    return root;
  }

  private node(leftHex: string, rightHex: string): string {
    this.nodeBytes.write(leftHex, 1, 'hex');
    this.nodeBytes.write(rightHex, 33, 'hex');
    return hash('sha256', this.nodeBytes, 'hex');
  }
}

// The registers and bits block reads brought back, by table and address, so that each
// point can take its words no matter which block (or blocks) carried them.
import type { ReadFc, RegisterRange } from './poll-types';

const key = (fc: ReadFc, address: number): number => fc * 0x10000 + address;

export class BlockValues {
  private readonly values = new Map<number, number>();

  /** Words for FC3/FC4, 0/1 (or booleans) for FC1/FC2. */
  set(fc: ReadFc, address: number, values: ArrayLike<number | boolean>): void {
    for (let i = 0; i < values.length; i++)
      this.values.set(key(fc, address + i), Number(values[i]));
  }

  has(range: RegisterRange): boolean {
    for (let i = 0; i < range.count; i++)
      if (!this.values.has(key(range.fc, range.address + i))) return false;
    return true;
  }

  /** The range's registers, or null unless every one of them was read. */
  words(range: RegisterRange): Uint16Array | null {
    if (!this.has(range)) return null;
    const out = new Uint16Array(range.count);
    for (let i = 0; i < range.count; i++)
      out[i] = this.values.get(key(range.fc, range.address + i))!;
    return out;
  }

  /** The range's bits, or null unless every one of them was read. */
  bits(range: RegisterRange): boolean[] | null {
    if (!this.has(range)) return null;
    return Array.from(
      { length: range.count },
      (_, i) => this.values.get(key(range.fc, range.address + i)) === 1,
    );
  }

  delete(range: RegisterRange): void {
    for (let i = 0; i < range.count; i++) this.values.delete(key(range.fc, range.address + i));
  }

  /** Copies every value of `other` over this one's. */
  merge(other: BlockValues): void {
    for (const [k, v] of other.values) this.values.set(k, v);
  }

  clear(): void {
    this.values.clear();
  }

  get size(): number {
    return this.values.size;
  }
}

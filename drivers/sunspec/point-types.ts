// Per-type facts shared by the point decoder and encoder: the range a value may take and
// the "not implemented" sentinel SunSpec reserves for each type. A value equal to the
// sentinel cannot be sent as data (it would read back as "not implemented"), so it sits
// outside the range.
import type { SunspecPointType } from './model-types';

export type IntegerType = Extract<
  SunspecPointType,
  | 'int16'
  | 'uint16'
  | 'count'
  | 'acc16'
  | 'enum16'
  | 'bitfield16'
  | 'sunssf'
  | 'int32'
  | 'uint32'
  | 'acc32'
  | 'enum32'
  | 'bitfield32'
  | 'int64'
  | 'uint64'
  | 'acc64'
>;

export interface IntegerRange {
  readonly bits: 16 | 32 | 64;
  readonly signed: boolean;
  readonly min: bigint;
  readonly max: bigint;
  /** Raw value that means "not implemented". */
  readonly sentinel: bigint;
}

const signed = (bits: 16 | 32 | 64): IntegerRange => {
  const half = 1n << BigInt(bits - 1);
  return { bits, signed: true, min: -(half - 1n), max: half - 1n, sentinel: -half };
};
// Plain unsigned types reserve all-ones; accumulators reserve zero (a counter that never
// counted) and may use all-ones as data.
const unsigned = (bits: 16 | 32 | 64): IntegerRange => {
  const top = (1n << BigInt(bits)) - 1n;
  return { bits, signed: false, min: 0n, max: top - 1n, sentinel: top };
};
const accumulator = (bits: 16 | 32 | 64): IntegerRange => ({
  bits,
  signed: false,
  min: 1n,
  max: (1n << BigInt(bits)) - 1n,
  sentinel: 0n,
});

export const INTEGER_RANGES: Readonly<Record<IntegerType, IntegerRange>> = {
  int16: signed(16),
  // The specification limits scale factors to -10..10; 0x8000 still means "not implemented".
  sunssf: { ...signed(16), min: -10n, max: 10n },
  uint16: unsigned(16),
  count: unsigned(16),
  enum16: unsigned(16),
  bitfield16: unsigned(16),
  acc16: accumulator(16),
  int32: signed(32),
  uint32: unsigned(32),
  enum32: unsigned(32),
  bitfield32: unsigned(32),
  acc32: accumulator(32),
  int64: signed(64),
  uint64: unsigned(64),
  acc64: accumulator(64),
};

export function isIntegerType(type: SunspecPointType): type is IntegerType {
  return Object.hasOwn(INTEGER_RANGES, type);
}

/** Sentinel words for the types that are not integers. */
export function nonIntegerSentinel(
  type: Exclude<SunspecPointType, IntegerType>,
  sizeRegs: number,
): number[] {
  switch (type) {
    case 'float32':
      return [0x7fc0, 0x0000]; // quiet NaN
    case 'float64':
      return [0x7ff8, 0x0000, 0x0000, 0x0000];
    case 'pad':
      return [0x8000];
    case 'eui48':
      // Two reserved bytes, then the broadcast MAC FF:FF:FF:FF:FF:FF.
      return [0x0000, 0xffff, 0xffff, 0xffff];
    case 'ipaddr':
    case 'ipv6addr':
    case 'string':
      return new Array<number>(sizeRegs).fill(0);
  }
}

/** The raw integer as the words that carry it, most significant word first. */
export function integerToWords(raw: bigint, bits: 16 | 32 | 64): number[] {
  let unsignedRaw = BigInt.asUintN(bits, raw);
  const words = new Array<number>(bits / 16);
  for (let i = words.length - 1; i >= 0; i--) {
    words[i] = Number(unsignedRaw & 0xffffn);
    unsignedRaw >>= 16n;
  }
  return words;
}

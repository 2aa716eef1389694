// Typed shape of the SunSpec model tables (resources/sunspec/models.json). Offsets and
// lengths are in 16-bit registers throughout.

export const SUNSPEC_POINT_TYPES = [
  'int16',
  'uint16',
  'count',
  'acc16',
  'enum16',
  'bitfield16',
  'int32',
  'uint32',
  'acc32',
  'enum32',
  'bitfield32',
  'int64',
  'uint64',
  'acc64',
  'float32',
  'float64',
  'string',
  'sunssf',
  'pad',
  'ipaddr',
  'ipv6addr',
  'eui48',
] as const;

export type SunspecPointType = (typeof SUNSPEC_POINT_TYPES)[number];

/** Registers each fixed-size type occupies; strings take the size their point declares. */
export const TYPE_SIZE_REGS: Readonly<Record<Exclude<SunspecPointType, 'string'>, number>> = {
  int16: 1,
  uint16: 1,
  count: 1,
  acc16: 1,
  enum16: 1,
  bitfield16: 1,
  sunssf: 1,
  pad: 1,
  int32: 2,
  uint32: 2,
  acc32: 2,
  enum32: 2,
  bitfield32: 2,
  float32: 2,
  ipaddr: 2,
  int64: 4,
  uint64: 4,
  acc64: 4,
  float64: 4,
  eui48: 4,
  ipv6addr: 8,
};

export interface SunspecPointDef {
  readonly name: string;
  /**
   * Register offset. Top-level points: from the first register after the 2-register
   * ID/L header. Points inside a group: from the start of that group's instance.
   */
  readonly offset: number;
  readonly size: number;
  readonly type: SunspecPointType;
  /**
   * Scale factor: the name of a `sunssf` point (looked up in the same group first, then
   * in the model's top level), a fixed exponent, or null when the value is not scaled.
   */
  readonly sf: string | number | null;
  readonly units: string | null;
  readonly access: 'r' | 'rw';
  readonly mandatory: boolean;
  /** Enums: symbol → value. Bitfields: symbol → bit number. Null when none are named. */
  readonly symbols: Readonly<Record<string, number>> | null;
}

export interface SunspecGroupDef {
  readonly name: string;
  /**
   * How many instances follow: 0 = as many as the model length L leaves room for;
   * n ≥ 1 = exactly n; a string = the name of the top-level point holding the count.
   */
  readonly count: number | string;
  /** Registers of this group's own points; nested groups follow them. */
  readonly lengthRegs: number;
  /** SunSpec "sync" group: its points must be written together. */
  readonly sync: boolean;
  readonly points: readonly SunspecPointDef[];
  readonly groups: readonly SunspecGroupDef[];
}

export interface SunspecModelDef {
  readonly id: number;
  readonly name: string;
  readonly label: string;
  /** Body length (excluding ID/L) with every repeating group at zero repeats. */
  readonly fixedLengthRegs: number;
  /** Top-level points, the fixed block. */
  readonly points: readonly SunspecPointDef[];
  readonly groups: readonly SunspecGroupDef[];
}

/** Anything that holds points and nested groups: a model's top level or a group. */
export type SunspecBlockDef = SunspecModelDef | SunspecGroupDef;

/**
 * A decoded point value. Numbers for numeric types (already scaled). Strings for text,
 * `ipaddr` ("192.168.1.10"), `ipv6addr` (8 lowercase hex groups, uncompressed) and
 * `eui48` ("00:11:22:AA:BB:CC"); also for a 64-bit integer whose scaled value a JS number
 * cannot hold exactly: then it is the exact decimal, e.g. "18446744073709551614".
 * Null: not implemented (the type's sentinel), no room in L, or a null scale factor.
 */
export type SunspecValue = number | string | null;

/** What encoders accept: a decoded value, or a bigint for 64-bit integer points. */
export type SunspecInput = number | string | bigint | null;

export interface DecodedGroup {
  readonly points: Record<string, SunspecValue>;
  readonly groups: Record<string, DecodedGroup[]>;
}

export interface DecodedModel extends DecodedGroup {
  readonly id: number;
  readonly name: string;
  /** L: the body length the device declared. */
  readonly lengthRegs: number;
}

/** Input to encoders; a DecodedModel fits as is. */
export interface SunspecValues {
  readonly points?: Readonly<Record<string, SunspecInput | undefined>>;
  readonly groups?: Readonly<Record<string, readonly SunspecValues[] | undefined>>;
}

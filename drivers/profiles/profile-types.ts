// A device profile: the register map of one non-SunSpec device type, as data
// (resources/profiles/<id>.json), validated by profile-schema.ts. The format, field by field:
//
// - `id`: kebab-case, equal to the file name without `.json`.
// - `manufacturer`, `model`, `description`: shown as the device's identity.
// - `roles`: the site device roles the map serves (a meter profile cannot run a battery).
// - `source`: where every register fact comes from (document title, URL, version) and how
//   that document numbers registers: `addressing` is "0-based" when it prints wire
//   addresses, "1-based" when it prints Modicon numbers (30001 = input register 0, 40001 =
//   holding register 0). Whatever the source does, `address` in this file is ALWAYS the
//   0-based wire address; `manualRegister` may repeat the number as printed, and the
//   validator checks that the two agree.
// - `defaults`: unit id (used when the device URL has no `unit=`), word order of 32/64-bit
//   values ("big": high word first, the Modbus/SunSpec habit; "little": low word first, the
//   "swapped" order), byte order inside a register, the read function (3 or 4), the largest
//   read the device accepts (`maxReadRegisters`, ≤ 125) and the largest run of unlisted
//   registers a merged read may cover (`maxGapRegisters`; 0 when the device refuses
//   registers it does not document).
// - `points`: one entry per value. `name` is a canonical point (core/points/point-names.ts;
//   its unit is then fixed) or a vendor extra in camelCase with its unit in the name
//   (`gridL1W`). Reserved extras `serialNumber` and `firmwareVersion` feed the identity.
//   `type` int16/uint16/int32/uint32/float32/float64/string (+ `length` in registers)
//   for registers (function 3/4), bool for bits (function 1/2). Decoded value =
//   sign × (raw × scale + offset): `scale` turns the device's unit into the point's unit
//   (1000 for kWh → Wh, 0.1 for deci-volts), `sign: "invert"` meets the station's sign
//   rules (e.g. a battery that reports charging as positive). `poll` is "fast" (every poll)
//   or "slow" (counters and ratings, read less often). `writable: {min, max}` (engineering
//   units) marks a control point on a holding register or coil. `nullRaw` lists raw values
//   that mean "not available".
import type { PointName } from '../../core/points/point-names';
import type { DeviceRole } from '../../core/site/site-types';

export const PROFILE_SCHEMA_VERSION = 1;

export const REGISTER_TYPES = [
  'int16',
  'uint16',
  'int32',
  'uint32',
  'float32',
  'float64',
  'string',
] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];
export type PointType = RegisterType | 'bool';

/** Registers per value; strings take their `length`. */
export const REGISTER_SIZE: Record<Exclude<RegisterType, 'string'>, number> = {
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  float64: 4,
};

export type WordOrder = 'big' | 'little';
export type ByteOrder = 'big' | 'little';
export type ReadFunction = 1 | 2 | 3 | 4;
export type PollClass = 'fast' | 'slow';
export type Addressing = '0-based' | '1-based';

/** Identity extras: read like any point, reported in DeviceStatus.identity. */
export const IDENTITY_POINTS = ['serialNumber', 'firmwareVersion'] as const;

export interface ProfileSource {
  title: string;
  url: string;
  version: string;
  addressing: Addressing;
  notes?: string;
}

export interface ProfileDefaults {
  unitId: number;
  wordOrder: WordOrder;
  byteOrder: ByteOrder;
  function: 3 | 4;
  maxReadRegisters: number;
  maxGapRegisters: number;
}

/** A point with the profile's defaults applied: everything a codec or planner needs. */
export interface ProfilePoint {
  name: string;
  /** True for names in core/points/point-names.ts (they reach the snapshot). */
  canonical: boolean;
  description?: string;
  /** 0-based wire address. */
  address: number;
  function: ReadFunction;
  type: PointType;
  /** Registers (function 3/4) or bits (function 1/2) the point occupies. */
  size: number;
  wordOrder: WordOrder;
  byteOrder: ByteOrder;
  scale: number;
  offset: number;
  sign: 'as-is' | 'invert';
  unit: string;
  poll: PollClass;
  nullRaw: readonly number[];
  writable: { min: number; max: number } | null;
}

export interface DeviceProfile {
  id: string;
  manufacturer: string;
  model: string;
  description: string;
  roles: readonly DeviceRole[];
  source: ProfileSource;
  defaults: ProfileDefaults;
  points: readonly ProfilePoint[];
}

/** What a point decodes to: numbers for measurements, text for identity, bits for coils. */
export type PointValue = number | string | boolean | null;

export type CanonicalValues = Partial<Record<PointName, number | null>>;

// One point from raw registers (big-endian words, the SunSpec rule) to a JS value, before
// scaling. Sentinels become null here, so no caller ever sees 0x8000 as a reading.
import type { SunspecPointDef } from './model-types';
import { INTEGER_RANGES, isIntegerType } from './point-types';

export type Words = Uint16Array | readonly number[];

/** Integers up to 32 bits as numbers, 64-bit integers as bigint, text as strings. */
export type RawPointValue = number | bigint | string | null;

const word = (words: Words, index: number): number => (words[index] ?? 0) & 0xffff;

const utf8 = new TextDecoder('utf-8');

function bytes(words: Words, at: number, sizeRegs: number): Uint8Array {
  const out = new Uint8Array(sizeRegs * 2);
  for (let i = 0; i < sizeRegs; i++) {
    const w = word(words, at + i);
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  }
  return out;
}

function decodeString(words: Words, at: number, sizeRegs: number): string | null {
  const raw = bytes(words, at, sizeRegs);
  // A NUL ends the text; what follows it is padding (or leftovers) by convention.
  const end = raw.indexOf(0);
  const text = utf8.decode(end === -1 ? raw : raw.subarray(0, end)).replace(/[\s\0]+$/, '');
  return text === '' ? null : text;
}

function decodeFloat(words: Words, at: number, sizeRegs: 2 | 4): number | null {
  const view = new DataView(bytes(words, at, sizeRegs).buffer);
  const value = sizeRegs === 2 ? view.getFloat32(0) : view.getFloat64(0);
  // NaN is SunSpec's "not implemented"; ±Infinity is no reading either (encode refuses it).
  return Number.isFinite(value) ? value : null;
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

/** A scale factor register: int16, 0x8000 = not implemented. */
export function decodeSunssf(words: Words, at: number): number | null {
  const raw = word(words, at);
  return raw === 0x8000 ? null : raw >= 0x8000 ? raw - 0x10000 : raw;
}

export function decodePointRaw(point: SunspecPointDef, words: Words, at: number): RawPointValue {
  const { type } = point;
  if (isIntegerType(type)) {
    const range = INTEGER_RANGES[type];
    if (range.bits === 64) {
      let raw = 0n;
      for (let i = 0; i < 4; i++) raw = (raw << 16n) | BigInt(word(words, at + i));
      if (range.signed) raw = BigInt.asIntN(64, raw);
      return raw === range.sentinel ? null : raw;
    }
    let raw = range.bits === 16 ? word(words, at) : word(words, at) * 0x10000 + word(words, at + 1);
    if (range.signed && raw >= 2 ** (range.bits - 1)) raw -= 2 ** range.bits;
    return raw === Number(range.sentinel) ? null : raw;
  }
  switch (type) {
    case 'pad':
      return null;
    case 'float32':
      return decodeFloat(words, at, 2);
    case 'float64':
      return decodeFloat(words, at, 4);
    case 'string':
      return decodeString(words, at, point.size);
    case 'ipaddr': {
      const hi = word(words, at);
      const lo = word(words, at + 1);
      if (hi === 0 && lo === 0) return null;
      return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
    }
    case 'ipv6addr': {
      const groups = Array.from({ length: 8 }, (_, i) => word(words, at + i));
      return groups.every((g) => g === 0) ? null : groups.map((g) => g.toString(16)).join(':');
    }
    case 'eui48': {
      // 4 registers: two reserved bytes, then the 6-byte MAC address.
      const mac = bytes(words, at, 4).subarray(2);
      if (mac.every((b) => b === 0) || mac.every((b) => b === 0xff)) return null;
      return Array.from(mac, (b) => hex(b, 2)).join(':');
    }
  }
}

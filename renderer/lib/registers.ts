// Raw register words for people: decimal, hex and the two ASCII characters a word holds
// (so SunSpec's "SunS" marker and text points are recognisable at a glance).
import type { RegisterReading } from '../api/contract';

export interface RegisterRow {
  /** 0-based wire address. */
  address: number;
  value: number;
  /** Two's complement reading, for registers that hold int16. */
  signed: number;
  hex: string;
  /** Printable ASCII of the high and low byte; '·' for anything else. */
  text: string;
}

export const toHex = (word: number): string =>
  `0x${word.toString(16).toUpperCase().padStart(4, '0')}`;

const printable = (byte: number): string =>
  byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';

export function registerRows(reading: RegisterReading): RegisterRow[] {
  return reading.values.map((value, i) => ({
    address: reading.address + i,
    value,
    signed: value >= 0x8000 ? value - 0x10000 : value,
    hex: toHex(value),
    text: printable(value >> 8) + printable(value & 0xff),
  }));
}

/** Unit ids typed as `1-10, 126, 200-204`; null when the text is not such a list. */
export function parseUnitIdList(text: string): number[] | null {
  const ids: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d{1,3})(?:\s*-\s*(\d{1,3}))?$/.exec(part);
    if (!match) return null;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to > 247 || to < from) return null;
    for (let id = from; id <= to; id++) if (!ids.includes(id)) ids.push(id);
  }
  return ids.length > 0 ? ids : null;
}

// Which reads fetch a set of profile points: points of one table (function code) are merged
// into one read while the merged read stays within the device's read limit and the registers
// between two points (which the profile does not list) stay within its gap allowance.
// Points the device refused inside a merged read are "isolated": read alone from then on, so
// one unsupported register no longer takes its neighbours down (Victron's dbus-modbus-client
// learns the same way from exception 02).
//
// drivers/modbus/poll-planner.ts (the general planner, with gap costs and a refusal memory)
// was still uncommitted work when this was written; this small local grouping should give
// way to it once it lands.
import { MAX_READ_BITS } from '../modbus/modbus-request';
import type { ProfilePoint, ReadFunction } from './profile-types';

export interface ReadRange {
  function: ReadFunction;
  address: number;
  /** Registers (function 3/4) or bits (function 1/2). */
  count: number;
  points: ProfilePoint[];
}

export interface PlanLimits {
  maxReadRegisters: number;
  maxGapRegisters: number;
}

export function planReads(
  points: readonly ProfilePoint[],
  limits: PlanLimits,
  isolated: ReadonlySet<string> = new Set(),
): ReadRange[] {
  const sorted = [...points].sort((a, b) => a.function - b.function || a.address - b.address);
  const ranges: ReadRange[] = [];
  let current: ReadRange | null = null;
  for (const point of sorted) {
    const limit = point.function <= 2 ? MAX_READ_BITS : limits.maxReadRegisters;
    const end = current ? current.address + current.count : 0;
    const fits =
      current !== null &&
      current.function === point.function &&
      !isolated.has(point.name) &&
      !current.points.some((p) => isolated.has(p.name)) &&
      point.address - end <= limits.maxGapRegisters &&
      point.address + point.size - current.address <= limit;
    if (current && fits) {
      current.count = point.address + point.size - current.address;
      current.points.push(point);
    } else {
      current = {
        function: point.function,
        address: point.address,
        count: point.size,
        points: [point],
      };
      ranges.push(current);
    }
  }
  return ranges;
}

/** "FC4 72–75" for messages. */
export function describeRange(range: ReadRange): string {
  const last = range.address + range.count - 1;
  return `FC${range.function} ${range.address}${last > range.address ? `–${last}` : ''}`;
}

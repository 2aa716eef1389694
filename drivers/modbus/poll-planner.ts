// Pure planning: the register ranges a device's points need → the fewest block reads that
// cover them, within the protocol's limits (125 registers, 2000 bits), carrying a gap of
// unneeded registers only where it is cheaper than another request (poll-cost.ts), and
// never crossing anything the device refused (poll-refusals.ts).
//
// A range that crosses a refusal is unreadable; the others are cut into segments at every
// range start and end, so overlapping ranges are read once and a refusal learned for one
// segment condemns exactly the ranges that contain it. Within one table, left-to-right
// greedy merging gives the fewest blocks: the first block of any valid plan covers a
// prefix of the segments, and greedy takes the longest prefix that is allowed.
import { MAX_READ_BITS } from './modbus-request';
import { DEFAULT_LINK_COST, maxGapBits, maxGapRegs } from './poll-cost';
import type { RefusalCheck } from './poll-refusals';
import {
  isBitTable,
  rangeEnd,
  type PlannedRead,
  type ReadFc,
  type RegisterRange,
  type Span,
} from './poll-types';
import { MAX_READ_REGISTERS } from './unit-client';

export interface PlanOptions {
  /** Largest gap of unneeded registers inside one read (FC3/FC4). */
  maxGapRegs?: number;
  /** Largest gap of unneeded bits inside one read (FC1/FC2). */
  maxGapBits?: number;
  /** At most 125 (the protocol's limit); some devices need less. */
  maxBlockRegs?: number;
  /** At most 2000. */
  maxBlockBits?: number;
  /** What the device refused (RefusalMemory.check). */
  refused?: RefusalCheck;
}

export interface ReadPlan<R extends RegisterRange = RegisterRange> {
  /** By table (FC1, 2, 3, 4), then by address. */
  readonly reads: readonly PlannedRead[];
  /** Ranges that cross something the device refused: not read, their points are unavailable. */
  readonly unreadable: readonly R[];
  /** Ranges no device could serve (outside 0–65535, empty, not integers): a caller bug, reported, not thrown. */
  readonly invalid: readonly R[];
}

const FCS: readonly ReadFc[] = [1, 2, 3, 4];

export function isValidRange(r: RegisterRange): boolean {
  return (
    FCS.includes(r.fc) &&
    Number.isInteger(r.address) &&
    Number.isInteger(r.count) &&
    r.address >= 0 &&
    r.count >= 1 &&
    rangeEnd(r) <= 0x10000
  );
}

export function planReads<R extends RegisterRange>(
  ranges: readonly R[],
  options: PlanOptions = {},
): ReadPlan<R> {
  const refused = options.refused ?? (() => false);
  const invalid = ranges.filter((r) => !isValidRange(r));
  const reads: PlannedRead[] = [];
  const unreadable: R[] = [];
  for (const fc of FCS) {
    const bits = isBitTable(fc);
    const maxBlock = clamp(
      bits ? options.maxBlockBits : options.maxBlockRegs,
      bits ? MAX_READ_BITS : MAX_READ_REGISTERS,
    );
    const maxGap = Math.max(
      0,
      (bits ? options.maxGapBits : options.maxGapRegs) ??
        (bits ? maxGapBits(DEFAULT_LINK_COST) : maxGapRegs(DEFAULT_LINK_COST)),
    );
    const ofTable = ranges.filter((r) => r.fc === fc && isValidRange(r));
    const readable = ofTable.filter((r) => !refused(fc, r.address, rangeEnd(r)));
    unreadable.push(...ofTable.filter((r) => !readable.includes(r)));
    let block: { start: number; end: number; spans: Span[] } | null = null;
    const close = (b: { start: number; end: number; spans: Span[] }): void => {
      reads.push({ fc, address: b.start, count: b.end - b.start, spans: b.spans });
    };
    for (const segment of segmentsOf(readable)) {
      let from = segment.address;
      const end = rangeEnd(segment);
      while (from < end) {
        if (block) {
          const to = Math.min(end, block.start + maxBlock);
          if (to > from && from - block.end <= maxGap && !refused(fc, block.start, to)) {
            block.spans.push(piece(segment, from, to));
            block.end = to;
            from = to;
            continue;
          }
          close(block);
        }
        const to = Math.min(end, from + maxBlock);
        block = { start: from, end: to, spans: [piece(segment, from, to)] };
        from = to;
      }
    }
    if (block) close(block);
  }
  return { reads, unreadable, invalid };
}

/**
 * Halves a read at a span boundary, for bisecting a block the device refused; null when
 * it holds a single span (that span is what the device refuses). It cuts between ranges
 * rather than through one where it can, nearest the middle, so that a boundary learned
 * from the two halves does not condemn a range the device would serve.
 */
export function splitRead(read: PlannedRead): [PlannedRead, PlannedRead] | null {
  const n = read.spans.length;
  if (n < 2) return null;
  let k = Math.ceil(n / 2);
  for (let d = 0; d < n; d++) {
    const candidates = [Math.ceil(n / 2) - d, Math.ceil(n / 2) + d];
    const free = candidates.find((i) => i >= 1 && i < n && !read.spans[i]!.joined);
    if (free !== undefined) {
      k = free;
      break;
    }
  }
  return [hull(read.fc, read.spans.slice(0, k)), hull(read.fc, read.spans.slice(k))];
}

/** The part [from, to) of a segment; a later part of a long segment continues it. */
function piece(segment: Span, from: number, to: number): Span {
  const joined = from === segment.address ? segment.joined === true : true;
  return { address: from, count: to - from, joined };
}

function hull(fc: ReadFc, spans: readonly Span[]): PlannedRead {
  const first = spans[0]!;
  const last = spans[spans.length - 1]!;
  return { fc, address: first.address, count: rangeEnd(last) - first.address, spans };
}

/** The covered registers, sorted, cut at every range start and end. */
function segmentsOf(ranges: readonly RegisterRange[]): Span[] {
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  for (const r of ranges) {
    starts.set(r.address, (starts.get(r.address) ?? 0) + 1);
    ends.set(rangeEnd(r), (ends.get(rangeEnd(r)) ?? 0) + 1);
  }
  const points = [...new Set([...starts.keys(), ...ends.keys()])].sort((a, b) => a - b);
  const segments: Span[] = [];
  let depth = 0;
  points.forEach((point, i) => {
    const ending = ends.get(point) ?? 0;
    // Ranges that cover both the register before `point` and the one at it.
    const through = depth - ending;
    depth += (starts.get(point) ?? 0) - ending;
    const next = points[i + 1];
    if (depth > 0 && next !== undefined)
      segments.push({ address: point, count: next - point, joined: through > 0 });
  });
  return segments;
}

function clamp(value: number | undefined, max: number): number {
  return value === undefined || !Number.isFinite(value)
    ? max
    : Math.max(1, Math.min(max, Math.floor(value)));
}

// Properties of planning and of learning from refusals:
// - every needed register is covered by exactly one planned read, no read exceeds 125
//   registers (2000 bits), no read crosses a learned refusal, gaps stay within the limit;
// - against a device that refuses some registers (and perhaps long reads), re-planning
//   converges: after a bounded number of cycles nothing is refused any more, the request
//   count is stable, exactly the ranges holding a refused register are unreadable (give
//   or take overlapping ranges longer together than the device can read at once), and
//   every range read carries its true words.
// The device here is an in-memory model, not a socket: fast-check runs hundreds of random
// devices and a loopback round trip each would make this file take minutes. The same
// executor runs against the TCP simulator in poll-engine.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRanges, type BlockReadPort } from '../../../drivers/modbus/block-reads';
import { planReads } from '../../../drivers/modbus/poll-planner';
import { RefusalMemory } from '../../../drivers/modbus/poll-refusals';
import type { ReadFc, RegisterRange } from '../../../drivers/modbus/poll-types';
import { exceptionError } from '../../../drivers/modbus/unit-client';

const fcArb = fc.constantFrom<ReadFc>(1, 3, 4);
const rangeArb = fc.record({
  fc: fcArb,
  address: fc.integer({ min: 0, max: 600 }),
  count: fc.integer({ min: 1, max: 6 }),
});
const refusalArb = fc.record({
  fc: fcArb,
  from: fc.integer({ min: 0, max: 610 }),
  length: fc.integer({ min: 0, max: 3 }), // 0 = a boundary
});

const limit = (f: ReadFc) => (f === 1 || f === 2 ? 2000 : 125);
const crosses = (s: number, e: number, from: number, to: number) => s < to && from < e;

describe('planReads properties', () => {
  it('covers each needed register once, within limits, never across a refusal', () => {
    fc.assert(
      fc.property(
        fc.array(rangeArb, { maxLength: 60 }),
        fc.array(refusalArb, { maxLength: 8 }),
        fc.integer({ min: 0, max: 130 }),
        (ranges, refused, maxGap) => {
          const memory = new RefusalMemory();
          for (const x of refused) memory.add(x.fc, x.from, x.from + x.length, 0);
          const plan = planReads(ranges, {
            maxGapRegs: maxGap,
            maxGapBits: maxGap * 16,
            refused: memory.check(0),
          });
          const unreadable = new Set(plan.unreadable);
          for (const read of plan.reads) {
            expect(read.count).toBeLessThanOrEqual(limit(read.fc));
            expect(memory.crosses(read.fc, read.address, read.address + read.count, 0)).toBe(false);
            const gapLimit = read.fc === 1 ? maxGap * 16 : maxGap;
            read.spans.forEach((span, i) => {
              const previous = read.spans[i - 1];
              if (previous)
                expect(span.address - (previous.address + previous.count)).toBeLessThanOrEqual(
                  gapLimit,
                );
            });
          }
          for (const range of ranges) {
            const selfRefused = refused.some(
              (x) =>
                x.fc === range.fc &&
                crosses(range.address, range.address + range.count, x.from, x.from + x.length),
            );
            expect(unreadable.has(range)).toBe(selfRefused);
            if (unreadable.has(range)) continue;
            for (let a = range.address; a < range.address + range.count; a++) {
              const covering = plan.reads.filter(
                (b) => b.fc === range.fc && b.address <= a && a < b.address + b.count,
              );
              expect(covering).toHaveLength(1);
              expect(
                covering[0]!.spans.some((s) => s.address <= a && a < s.address + s.count),
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A device that refuses (02) reads touching `missing`, and (03) reads longer than `maxRead`. */
function device(missing: Set<number>, maxRead: number) {
  const log: { fc: ReadFc; address: number; count: number; ok: boolean }[] = [];
  const word = (fc: ReadFc, a: number) => (fc * 1000 + a) & 0xffff;
  const port: BlockReadPort = {
    read: async (f, address, count) => {
      const touches = Array.from({ length: count }, (_, i) => address + i).some((a) =>
        missing.has(f * 100_000 + a),
      );
      const tooLong = f >= 3 && count > maxRead;
      log.push({ fc: f, address, count, ok: !touches && !tooLong });
      if (tooLong) return { ok: false, error: exceptionError(3) };
      if (touches) return { ok: false, error: exceptionError(2) };
      if (f <= 2)
        return {
          ok: true,
          value: Array.from({ length: count }, (_, i) => (address + i) % 3 === 0),
        };
      return {
        ok: true,
        value: Uint16Array.from({ length: count }, (_, i) => word(f, address + i)),
      };
    },
  };
  return { port, log, word };
}

/** Length of the hull of the ranges that overlap `range`, directly or through others. */
function clusterLength(ranges: readonly RegisterRange[], range: RegisterRange): number {
  let from = range.address;
  let to = range.address + range.count;
  for (let grew = true; grew;) {
    grew = false;
    for (const r of ranges) {
      if (r.fc !== range.fc || !(r.address < to && from < r.address + r.count)) continue;
      if (r.address < from || r.address + r.count > to) {
        from = Math.min(from, r.address);
        to = Math.max(to, r.address + r.count);
        grew = true;
      }
    }
  }
  return to - from;
}

describe('learning from refusals', () => {
  it('converges to stable plans that read exactly the readable ranges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rangeArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.record({ fc: fcArb, address: fc.integer({ min: 0, max: 610 }) }), {
          maxLength: 10,
        }),
        fc.constantFrom(125, 125, 60, 17, 4),
        fc.integer({ min: 0, max: 125 }),
        async (ranges, holes, maxRead, maxGap) => {
          const missing = new Set(holes.map((h) => h.fc * 100_000 + h.address));
          const sim = device(missing, maxRead);
          const memory = new RefusalMemory();
          const options = { maxGapRegs: maxGap, maxGapBits: maxGap * 16 };
          // Each refused read teaches one new span or gap: at most one per range and per gap.
          const bound = 2 * ranges.length + 2;
          let cycles = 0;
          let learned = Infinity;
          let requests = 0;
          while (learned > 0) {
            expect(++cycles).toBeLessThanOrEqual(bound);
            const outcome = await readRanges(sim.port, ranges, memory, options, () => 0);
            if (!outcome.ok) throw new Error(outcome.error.message);
            learned = outcome.value.learned;
            requests = outcome.value.requests;
          }
          sim.log.length = 0;
          const stable = await readRanges(sim.port, ranges, memory, options, () => 0);
          if (!stable.ok) throw new Error(stable.error.message);
          expect(stable.value.requests).toBe(requests);
          expect(stable.value.learned).toBe(0);
          expect(sim.log.every((entry) => entry.ok)).toBe(true);
          const unreadable = new Set(stable.value.unreadable);
          for (const range of ranges) {
            const holed = Array.from({ length: range.count }, (_, i) => range.address + i).some(
              (a) => missing.has(range.fc * 100_000 + a),
            );
            const tooLong = range.fc >= 3 && clusterLength(ranges, range) > maxRead;
            // A cluster of overlapping ranges longer than the device reads at once may lose
            // ranges to a boundary learned inside it; everything else is exact.
            if (!tooLong) expect(unreadable.has(range)).toBe(holed);
            if (holed || unreadable.has(range)) continue;
            if (range.fc === 1) {
              expect(stable.value.values.bits(range)).toEqual(
                Array.from({ length: range.count }, (_, i) => (range.address + i) % 3 === 0),
              );
            } else {
              expect(Array.from(stable.value.values.words(range as RegisterRange)!)).toEqual(
                Array.from({ length: range.count }, (_, i) =>
                  sim.word(range.fc, range.address + i),
                ),
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

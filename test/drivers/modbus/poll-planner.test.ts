// The planner from range lists alone: merging, limits, gaps, refusals, bad input.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LINK_COST,
  linkCostFor,
  maxGapBits,
  maxGapRegs,
  serialLinkCost,
  TCP_LINK_COST,
} from '../../../drivers/modbus/poll-cost';
import { planReads, splitRead } from '../../../drivers/modbus/poll-planner';
import { RefusalMemory } from '../../../drivers/modbus/poll-refusals';
import type { ReadFc, RegisterRange } from '../../../drivers/modbus/poll-types';

const r = (address: number, count = 1, fc: ReadFc = 3): RegisterRange => ({ fc, address, count });
const blocks = (ranges: RegisterRange[], options = {}) =>
  planReads(ranges, options).reads.map((b) => [b.fc, b.address, b.count]);

describe('planReads', () => {
  it('merges ranges whose gap is cheaper than a request, in one table at a time', () => {
    const ranges = [r(110, 2), r(100), r(103), r(5, 1, 4), r(7, 1, 4), r(200, 4)];
    expect(blocks(ranges, { maxGapRegs: 6 })).toEqual([
      [3, 100, 12],
      [3, 200, 4],
      [4, 5, 3],
    ]);
    expect(blocks(ranges, { maxGapRegs: 0 })).toEqual([
      [3, 100, 1],
      [3, 103, 1],
      [3, 110, 2],
      [3, 200, 4],
      [4, 5, 1],
      [4, 7, 1],
    ]);
  });

  it('never exceeds 125 registers or 2000 bits, and cuts long ranges at the limit', () => {
    expect(blocks([r(0), r(124), r(125)], { maxGapRegs: 125 })).toEqual([
      [3, 0, 125],
      [3, 125, 1],
    ]);
    expect(blocks([r(10, 300)])).toEqual([
      [3, 10, 125],
      [3, 135, 125],
      [3, 260, 50],
    ]);
    expect(blocks([r(0, 1, 1), r(1999, 1, 1), r(2000, 1, 1)], { maxGapBits: 2000 })).toEqual([
      [1, 0, 2000],
      [1, 2000, 1],
    ]);
    expect(blocks([r(0), r(50)], { maxGapRegs: 125, maxBlockRegs: 40 })).toEqual([
      [3, 0, 1],
      [3, 50, 1],
    ]);
  });

  it('reads overlapping ranges once, in spans cut where any range starts or ends', () => {
    const plan = planReads([r(10, 4), r(12, 4), r(16, 2)], { maxGapRegs: 0 });
    expect(plan.reads).toEqual([
      {
        fc: 3,
        address: 10,
        count: 8,
        spans: [
          { address: 10, count: 2, joined: false },
          { address: 12, count: 2, joined: true },
          { address: 14, count: 2, joined: true },
          { address: 16, count: 2, joined: false },
        ],
      },
    ]);
    // A refused register condemns only the ranges that hold it.
    const refusals = new RefusalMemory();
    refusals.add(3, 10, 12, 0);
    const after = planReads([r(10, 4), r(12, 4)], { refused: refusals.check(0) });
    expect(after.unreadable).toEqual([r(10, 4)]);
    expect(after.reads.map((b) => [b.address, b.count])).toEqual([[12, 4]]);
  });

  it('does not merge across a refused register or boundary, and reports refused ranges', () => {
    const refusals = new RefusalMemory();
    refusals.add(3, 105, 106, 0); // a register the device lacks
    refusals.add(3, 120, 120, 0); // a boundary: both sides readable, not across
    const ranges = [r(100), r(104, 2), r(110), r(119), r(120)];
    const plan = planReads(ranges, { maxGapRegs: 125, refused: refusals.check(0) });
    expect(plan.reads.map((b) => [b.address, b.count])).toEqual([
      [100, 1],
      [110, 10],
      [120, 1],
    ]);
    expect(plan.unreadable).toEqual([r(104, 2)]);
  });

  it('reports invalid ranges instead of throwing', () => {
    const bad = [r(-1), r(0, 0), r(65535, 2), r(1.5), { fc: 5 as ReadFc, address: 0, count: 1 }];
    const plan = planReads([...bad, r(7)]);
    expect(plan.invalid).toEqual(bad);
    expect(plan.reads).toHaveLength(1);
  });
});

describe('splitRead', () => {
  it('cuts between ranges rather than through one', () => {
    const [read] = planReads([r(0), r(10, 6), r(14, 6), r(30)], { maxGapRegs: 20 }).reads;
    expect(read!.spans.map((s) => [s.address, s.joined])).toEqual([
      [0, false],
      [10, false],
      [14, true],
      [16, true],
      [30, false],
    ]);
    // The middle cut (before 16) would split range 14..19; the nearest free cut is before 30.
    expect(splitRead(read!)?.map((h) => [h.address, h.count])).toEqual([
      [0, 20],
      [30, 1],
    ]);
  });

  it('halves at a span boundary, down to single spans', () => {
    const [read] = planReads([r(0), r(4), r(8), r(12, 3)], { maxGapRegs: 10 }).reads;
    const halves = splitRead(read!);
    expect(halves?.map((h) => [h.address, h.count, h.spans.length])).toEqual([
      [0, 5, 2],
      [8, 7, 2],
    ]);
    expect(splitRead(splitRead(halves![0])![0])).toBeNull();
  });
});

describe('link cost', () => {
  it('merges any gap on TCP, about 14 registers at 9600 baud, more at higher rates', () => {
    expect(maxGapRegs(TCP_LINK_COST)).toBe(125);
    expect(maxGapRegs(DEFAULT_LINK_COST)).toBe(14);
    expect(maxGapRegs(serialLinkCost(115200))).toBe(67);
    expect(maxGapRegs(serialLinkCost(1200))).toBe(10);
    expect(maxGapBits(DEFAULT_LINK_COST)).toBe(236);
    const rtu = linkCostFor({
      kind: 'modbus-rtu',
      path: '/dev/ttyUSB0',
      baudRate: 19200,
      parity: 'even',
      stopBits: 1,
      dataBits: 8,
      unitId: 1,
    });
    expect(maxGapRegs(rtu)).toBe(18);
    expect(
      maxGapRegs(linkCostFor({ kind: 'modbus-rtuovertcp', host: 'gw', port: 502, unitId: 1 })),
    ).toBe(15);
  });
});

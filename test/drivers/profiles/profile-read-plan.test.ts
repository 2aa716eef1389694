// Grouping profile points into reads: one read per table while the gap and size limits
// allow, never across tables, and refused points read alone.
import { describe, expect, it } from 'vitest';
import { describeRange, planReads } from '../../../drivers/profiles/profile-read-plan';
import type { ProfilePoint } from '../../../drivers/profiles/profile-types';
import { point } from './support/profiles';

const limits = { maxReadRegisters: 125, maxGapRegisters: 10 };
const f32 = (name: string, address: number, fc: 3 | 4 = 4): ProfilePoint =>
  point({ name, address, function: fc, type: 'float32', unit: 'W' });
const shape = (points: ProfilePoint[], l = limits, isolated?: Set<string>) =>
  planReads(points, l, isolated).map((r) => [
    r.function,
    r.address,
    r.count,
    r.points.map((p) => p.name),
  ]);

describe('planReads', () => {
  it('merges points of one table across small gaps, in address order', () => {
    expect(shape([f32('c', 20), f32('a', 0), f32('b', 12)])).toEqual([[4, 0, 22, ['a', 'b', 'c']]]);
  });

  it('starts a new read after a gap larger than the allowance', () => {
    expect(shape([f32('a', 0), f32('b', 13)])).toEqual([
      [4, 0, 2, ['a']],
      [4, 13, 2, ['b']],
    ]);
    expect(shape([f32('a', 0), f32('b', 2)], { ...limits, maxGapRegisters: 0 })).toEqual([
      [4, 0, 4, ['a', 'b']],
    ]);
  });

  it('keeps each read within the device limit', () => {
    const points = Array.from({ length: 40 }, (_, i) => f32(`p${i}`, i * 2));
    const reads = planReads(points, { maxReadRegisters: 30, maxGapRegisters: 10 });
    expect(reads.map((r) => r.count)).toEqual([30, 30, 20]);
    expect(reads.flatMap((r) => r.points)).toHaveLength(40);
  });

  it('never merges across function codes', () => {
    expect(shape([f32('a', 0, 3), f32('b', 2, 4)])).toEqual([
      [3, 0, 2, ['a']],
      [4, 2, 2, ['b']],
    ]);
  });

  it('reads isolated points alone and merges the rest', () => {
    const points = [f32('a', 0), f32('b', 2), f32('c', 4), f32('d', 6)];
    expect(shape(points, limits, new Set(['b']))).toEqual([
      [4, 0, 2, ['a']],
      [4, 2, 2, ['b']],
      [4, 4, 4, ['c', 'd']],
    ]);
  });

  it('reads bits in bit-sized blocks', () => {
    const coil = (name: string, address: number) =>
      point({ name, address, function: 1, type: 'bool', unit: undefined });
    expect(shape([coil('x', 3), coil('y', 0)])).toEqual([[1, 0, 4, ['y', 'x']]]);
  });

  it('describes a read for messages', () => {
    const [read] = planReads([f32('a', 72), f32('b', 74)], limits);
    expect(describeRange(read!)).toBe('FC4 72–75');
    const [single] = planReads([point({ address: 9, type: 'int16' })], limits);
    expect(describeRange(single!)).toBe('FC3 9');
  });
});

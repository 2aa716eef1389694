// Slow-class timing and refusal expiry, from plain numbers.
import { describe, expect, it } from 'vitest';
import { RefusalMemory } from '../../../drivers/modbus/poll-refusals';
import { PollSchedule } from '../../../drivers/modbus/poll-schedule';
import type { PollClass } from '../../../drivers/modbus/poll-types';

function run(schedule: PollSchedule, times: number[], failAt: number[] = []): boolean[] {
  return times.map((t, i) => {
    const due = schedule.due(t);
    schedule.completed(failAt.includes(i) ? new Set<PollClass>() : due, t);
    return due.has('slow');
  });
}

describe('PollSchedule', () => {
  it('reads slow on the first cycle and on every Nth after', () => {
    const slow = run(new PollSchedule({ everyCycles: 3, everyMs: 1e9 }), [0, 1, 2, 3, 4, 5, 6]);
    expect(slow).toEqual([true, false, false, true, false, false, true]);
  });

  it('reads slow when M ms have passed, whichever comes first', () => {
    const slow = run(
      new PollSchedule({ everyCycles: 100, everyMs: 1000 }),
      [0, 400, 999, 1000, 1500, 2100],
    );
    expect(slow).toEqual([true, false, false, true, false, true]);
  });

  it('keeps slow due after a failed cycle, and from scratch after reset', () => {
    const schedule = new PollSchedule({ everyCycles: 5, everyMs: 1e9 });
    expect(run(schedule, [0, 1, 2], [0])).toEqual([true, true, false]);
    schedule.reset();
    expect(run(schedule, [3])).toEqual([true]);
  });

  it('survives nonsense policies', () => {
    const slow = run(new PollSchedule({ everyCycles: -4, everyMs: NaN }), [0, 1, 2]);
    expect(slow).toEqual([true, true, true]);
  });
});

describe('RefusalMemory', () => {
  it('forgets learned refusals after the TTL, never permanent ones', () => {
    const memory = new RefusalMemory(1000);
    expect(memory.add(3, 10, 12, 0)).toBe(true);
    expect(memory.add(3, 10, 12, 10)).toBe(false);
    memory.add(3, 50, 51, 0, true);
    expect(memory.crosses(3, 0, 11, 500)).toBe(true);
    expect(memory.crosses(4, 0, 11, 500)).toBe(false);
    expect(memory.crosses(3, 0, 11, 1010)).toBe(false);
    expect(memory.crosses(3, 50, 51, 1e9)).toBe(true);
  });

  it('treats an empty span as a boundary that only reads across it cross', () => {
    const memory = new RefusalMemory();
    memory.add(3, 20, 20, 0);
    expect(memory.crosses(3, 10, 20, 0)).toBe(false);
    expect(memory.crosses(3, 20, 30, 0)).toBe(false);
    expect(memory.crosses(3, 19, 21, 0)).toBe(true);
  });
});

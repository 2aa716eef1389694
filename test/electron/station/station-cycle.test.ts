// The station cycle's timing and failure handling, with real timers: it runs just after the
// boundaries the poll loops use, waits for their readings (bounded), survives a failing
// step, and a stop while it waits for readings means no further step.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/station/station-clock';
import { guard, startStationCycle } from '../../../electron/station/station-cycle';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('station cycle', () => {
  it('steps just after each boundary, after the polls settle, and goes on after a failing step', async () => {
    const stepsMs: number[] = [];
    const lines: string[] = [];
    const stop = startStationCycle({
      cycleMs: 200,
      clock: systemClock,
      settle: () => sleep(20),
      log: (line) => lines.push(line),
      step: () => {
        stepsMs.push(Date.now());
        if (stepsMs.length === 2) throw new Error('bad snapshot');
      },
    });
    await sleep(1100);
    stop();
    expect(stepsMs.length).toBeGreaterThanOrEqual(4);
    expect(lines).toEqual(['cycle: bad snapshot']);
    // 5 ms after the boundary plus the 20 ms settle; timers run late on a busy machine.
    const phases = stepsMs.map((t) => t % 200);
    expect(phases.filter((p) => p >= 20 && p < 120).length).toBeGreaterThanOrEqual(
      Math.ceil(phases.length * 0.6),
    );
  });

  it('waits for the polls at most 40 % of a cycle', async () => {
    const stepsMs: number[] = [];
    let settleStartMs = 0;
    const stop = startStationCycle({
      cycleMs: 500,
      clock: systemClock,
      settle: (deadlineMs) => {
        settleStartMs = Date.now();
        return sleep(Math.min(deadlineMs, 10_000)); // a device that never answers
      },
      log: () => {},
      step: () => stepsMs.push(Date.now()),
    });
    await sleep(1200);
    stop();
    expect(stepsMs.length).toBeGreaterThanOrEqual(1);
    expect(stepsMs[0]! - settleStartMs).toBeLessThan(500);
  });

  it('does nothing more once stopped while waiting for readings', async () => {
    let steps = 0;
    const stop = startStationCycle({
      cycleMs: 100,
      clock: { nowMs: () => 0 }, // on a boundary: the first cycle is 105 ms away
      settle: () => sleep(50),
      log: () => {},
      step: () => steps++,
    });
    await sleep(130); // inside the settle wait
    stop();
    await sleep(200);
    expect(steps).toBe(0);
  });

  it('guard logs a failure under its label instead of throwing', () => {
    const lines: string[] = [];
    guard(
      'market',
      (l) => lines.push(l),
      () => {
        throw new Error('no tariffs');
      },
    );
    expect(lines).toEqual(['market: no tariffs']);
  });
});

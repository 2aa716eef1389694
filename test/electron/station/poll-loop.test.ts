// The poll loop's timing: polls at the boundaries of its interval (so the control cycle,
// on the same boundaries, sees fresh readings), a kick polls at once for a waiting
// setpoint, and a kick during a poll is not lost. The poller here is a stand-in that only
// records when it was asked to poll: timing is what is under test, not Modbus (the
// station tests poll real simulators through this same loop).
import { afterEach, describe, expect, it } from 'vitest';
import type { DevicePoller } from '../../../core/points/device-poller';
import type { DeviceStatus } from '../../../core/points/snapshot';
import {
  startPollLoop,
  untilNextBoundary,
  type PollLoop,
} from '../../../electron/station/poll-loop';
import { systemClock } from '../../../electron/station/station-clock';

const status: DeviceStatus = {
  id: 'd1',
  state: 'ok',
  lastGoodReadMs: null,
  latencyMs: null,
  errorCount: 0,
  lastError: null,
  identity: null,
};

function timedPoller(pollMs: number): DevicePoller & { startsMs: number[]; endsMs: number[] } {
  const startsMs: number[] = [];
  const endsMs: number[] = [];
  return {
    deviceId: 'd1',
    startsMs,
    endsMs,
    async poll() {
      startsMs.push(Date.now());
      await new Promise((r) => setTimeout(r, pollMs));
      endsMs.push(Date.now());
      return { deviceId: 'd1', tsMs: Date.now(), values: {} };
    },
    status: () => status,
    close: async () => {},
  };
}

/** A clock standing on a boundary: the next one is always a whole interval (5 s) away. */
const AT_BOUNDARY = { nowMs: () => 0 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let loop: PollLoop | undefined;
afterEach(async () => {
  await loop?.stop();
  loop = undefined;
});

describe('untilNextBoundary', () => {
  it('counts to the next multiple of the interval, never 0', () => {
    expect(untilNextBoundary(10_250, 1000)).toBe(750);
    expect(untilNextBoundary(10_000, 1000)).toBe(1000);
    expect(untilNextBoundary(10_999, 1000)).toBe(1);
    expect(untilNextBoundary(7, 5000)).toBe(4993);
  });
});

describe('poll loop', () => {
  it('polls at the boundaries of its interval after the first poll', async () => {
    const poller = timedPoller(5);
    loop = startPollLoop(
      poller,
      200,
      systemClock,
      () => {},
      () => {},
    );
    await sleep(1100);
    const later = poller.startsMs.slice(1);
    expect(later.length).toBeGreaterThanOrEqual(3);
    // Timers fire late on a busy machine (never early): most polls start just after a
    // boundary, where start-to-start timing would drift through every phase.
    const nearBoundary = later.filter((startMs) => startMs % 200 < 80);
    expect(nearBoundary.length).toBeGreaterThanOrEqual(Math.ceil(later.length * 0.6));
  });

  it('a slow poll skips the boundaries it overran instead of stacking polls', async () => {
    const poller = timedPoller(250);
    loop = startPollLoop(
      poller,
      100,
      systemClock,
      () => {},
      () => {},
    );
    await sleep(1000);
    for (let i = 1; i < poller.startsMs.length; i++)
      expect(poller.startsMs[i]!).toBeGreaterThanOrEqual(poller.endsMs[i - 1]!);
    expect(poller.startsMs.length).toBeLessThanOrEqual(4);
  });

  it('a kick while idle polls at once instead of at the next boundary', async () => {
    const poller = timedPoller(5);
    loop = startPollLoop(
      poller,
      5000,
      AT_BOUNDARY,
      () => {},
      () => {},
    );
    await sleep(100);
    expect(poller.startsMs).toHaveLength(1);
    const kickedMs = Date.now();
    loop.kick();
    await sleep(1000);
    expect(poller.startsMs).toHaveLength(2);
    expect(poller.startsMs[1]! - kickedMs).toBeLessThan(1000); // not the 5 s boundary
  });

  it('a kick during a poll starts another poll right after it (the setpoint may have missed its write phase)', async () => {
    const poller = timedPoller(100);
    loop = startPollLoop(
      poller,
      5000,
      AT_BOUNDARY,
      () => {},
      () => {},
    );
    await sleep(30);
    expect(loop.inFlight()).not.toBeNull();
    loop.kick();
    await sleep(1200);
    expect(poller.startsMs).toHaveLength(2);
    expect(poller.startsMs[1]! - poller.endsMs[0]!).toBeLessThan(1000); // not the 5 s boundary
    expect(loop.inFlight()).toBeNull();
  });
});

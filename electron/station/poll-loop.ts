import type { DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import type { DevicePoller } from '../../core/points/device-poller';
import type { Clock } from './station-clock';

export interface PollLoop {
  /** The device's driver, for setpoints (sent first in its next poll). */
  readonly poller: DevicePoller;
  /**
   * Polls now instead of at the next boundary, e.g. because a setpoint waits in the
   * poller's write queue; a poll in flight is followed at once by another.
   */
  kick(): void;
  /** The poll in flight (resolves when its results are delivered), or null when idle. */
  inFlight(): Promise<void> | null;
  /** Stops scheduling, waits for the poll in flight, closes the poller. */
  stop(): Promise<void>;
}

/**
 * Polls one device at every multiple of intervalMs on the station clock, so all devices
 * with the same interval are read together and the control cycle (aligned to the same
 * boundaries, see station.ts) sees one fresh set of readings instead of values up to one
 * interval old. A slow poll skips the boundaries it overran instead of stacking up. Results
 * go to the callbacks; a poller that throws counts as a failed poll, never as a dead loop.
 */
export function startPollLoop(
  poller: DevicePoller,
  intervalMs: number,
  clock: Clock,
  onReading: (reading: DeviceReading) => void,
  onStatus: (status: DeviceStatus) => void,
): PollLoop {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  let kicked = false;
  let stopped = false;

  const schedule = (): void => {
    if (stopped) return;
    if (kicked) {
      kicked = false;
      tick();
      return;
    }
    timer = setTimeout(tick, untilNextBoundary(clock.nowMs(), intervalMs));
  };
  const tick = (): void => {
    timer = undefined;
    inFlight = poller
      .poll()
      .catch(() => null)
      .then((reading) => {
        inFlight = null;
        if (stopped) return;
        if (reading) onReading(reading);
        onStatus(poller.status());
        schedule();
      });
  };
  tick();

  return {
    poller,
    kick() {
      if (stopped) return;
      if (inFlight) {
        kicked = true;
        return;
      }
      clearTimeout(timer);
      tick();
    },
    inFlight: () => inFlight,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      await poller.close();
    },
  };
}

/** Time to the next multiple of intervalMs, never 0 (a poll that just ended waits a round). */
export function untilNextBoundary(nowMs: number, intervalMs: number): number {
  const into = ((nowMs % intervalMs) + intervalMs) % intervalMs;
  return intervalMs - into;
}

import type { DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import type { DevicePoller } from '../../core/points/device-poller';
import type { Clock } from './station-clock';

export interface PollLoop {
  /** The device's driver, for setpoints (sent first in its next poll). */
  readonly poller: DevicePoller;
  /** Stops scheduling, waits for the poll in flight, closes the poller. */
  stop(): Promise<void>;
}

/**
 * Polls one device every intervalMs (measured start to start; a slow poll delays the next
 * one instead of stacking up). Results go to the callbacks; a poller that throws counts as
 * a failed poll, never as a dead loop.
 */
export function startPollLoop(
  poller: DevicePoller,
  intervalMs: number,
  clock: Clock,
  onReading: (reading: DeviceReading) => void,
  onStatus: (status: DeviceStatus) => void,
): PollLoop {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = (): void => {
    const startedMs = clock.nowMs();
    inFlight = poller
      .poll()
      .catch(() => null)
      .then((reading) => {
        if (stopped) return;
        if (reading) onReading(reading);
        onStatus(poller.status());
        timer = setTimeout(tick, Math.max(0, intervalMs - (clock.nowMs() - startedMs)));
      });
  };
  tick();

  return {
    poller,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      await poller.close();
    },
  };
}

// The station's cycle timing: it runs on the same boundaries as the poll loops
// (poll-loop.ts), just after them, and waits for their readings, so control acts on
// telemetry fresh by milliseconds rather than up to a cycle old; its writes go out at once
// (DeviceManager.apply polls the device straight away). A change in the field reaches a
// setpoint at the device within one cycle plus the bus time.
import { SITE_POINT_DEVICE } from '../../core/points/point-names';
import type { Snapshot } from '../../core/points/snapshot';
import type { Site } from '../../core/site/site-types';
import { untilNextBoundary } from './poll-loop';
import type { Clock } from './station-clock';

/** The cycle starts this long after the polls of the same boundary have gone out. */
const AFTER_POLLS_MS = 5;
/** Polls slower than this share of the cycle are not waited for (their data is older). */
const SETTLE_SHARE = 0.4;

export interface CycleDeps {
  cycleMs: number;
  clock: Clock;
  /** Resolves when the polls in flight have delivered, or after deadlineMs. */
  settle(deadlineMs: number): Promise<void>;
  /** One cycle's work; may throw (logged, the next cycle runs anyway). */
  step(): void;
  log(line: string): void;
}

/** Starts the cycle; the returned function stops it (a cycle waiting on polls then does nothing). */
export function startStationCycle(deps: CycleDeps): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<void> => {
    await deps.settle(deps.cycleMs * SETTLE_SHARE);
    if (stopped) return;
    guard('cycle', deps.log, deps.step);
    schedule();
  };
  const schedule = (): void => {
    if (stopped) return;
    const delayMs = untilNextBoundary(deps.clock.nowMs(), deps.cycleMs) + AFTER_POLLS_MS;
    timer = setTimeout(() => void run(), delayMs);
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Runs one part of a cycle (market, control, alarms, …): a failure is logged under its
 * label and never stops the parts after it or the cycles after this one.
 */
export function guard(label: string, log: (line: string) => void, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    log(`${label}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Points of removed devices linger in the snapshot builder; nobody should see them again. */
export function withoutRemovedDevices(snapshot: Snapshot, site: Site): Snapshot {
  const ids = new Set(site.devices.map((d) => d.id));
  const points = Object.fromEntries(
    Object.entries(snapshot.points).filter(([key]) => {
      const device = key.slice(0, key.indexOf('.'));
      return device === SITE_POINT_DEVICE || ids.has(device);
    }),
  );
  const states = Object.fromEntries(Object.entries(snapshot.devices).filter(([id]) => ids.has(id)));
  return { ...snapshot, points, devices: states };
}

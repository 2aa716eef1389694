import { SITE_POINT_DEVICE } from '../../core/points/point-names';
import type { Snapshot } from '../../core/points/snapshot';
import type { TelemetrySample, TelemetryStore } from '../../core/telemetry/telemetry-store';

const MAINTAIN_EVERY_MS = 60_000;

/**
 * Feeds snapshots into the telemetry store: each point once per new reading (a device
 * polled every 5 s is stored every 5 s, not five times), stale values never. Site totals
 * are stored at every snapshot so charts have a continuous series.
 */
export class TelemetryRecorder {
  private readonly lastStoredMs = new Map<string, number>();
  private lastMaintainMs = 0;

  constructor(
    private readonly store: TelemetryStore,
    private readonly log: (line: string) => void,
  ) {}

  record(snapshot: Snapshot): void {
    const byTime = new Map<number, TelemetrySample[]>();
    for (const [key, reading] of Object.entries(snapshot.points)) {
      if (reading.stale || reading.value === null || reading.tsMs === null) continue;
      if (this.lastStoredMs.get(key) === reading.tsMs) continue;
      this.lastStoredMs.set(key, reading.tsMs);
      const tsMs = key.startsWith(`${SITE_POINT_DEVICE}.`) ? snapshot.tsMs : reading.tsMs;
      const samples = byTime.get(tsMs) ?? [];
      samples.push({ key, unit: reading.unit, value: reading.value });
      byTime.set(tsMs, samples);
    }
    try {
      for (const [tsMs, samples] of byTime) this.store.append(tsMs, samples);
      if (snapshot.tsMs - this.lastMaintainMs >= MAINTAIN_EVERY_MS) {
        this.lastMaintainMs = snapshot.tsMs;
        this.store.maintain(snapshot.tsMs);
      }
    } catch (error) {
      // Telemetry is best effort: a full disk must not stop the station from controlling.
      this.log(`telemetry: could not store samples: ${(error as Error).message}`);
    }
  }
}

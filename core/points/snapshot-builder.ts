// Keeps the latest reading of every point and turns them into the frozen Snapshot that the
// UI, telemetry and (later) the control cycle consume.
import { computeMemberFlows, computeSiteFlows } from '../power/site-flows';
import type { Site } from '../site/site-types';
import { POINT_UNITS, SITE_POINT_DEVICE, pointId, type PointName } from './point-names';
import type { DeviceReading, DeviceStatus, PointReading, Snapshot } from './snapshot';

/** A reading is stale after this many missed polls (and never sooner than MIN_STALE_MS). */
export const STALE_AFTER_POLLS = 3;
export const MIN_STALE_MS = 3000;

interface Latest {
  value: number | null;
  unit: string;
  tsMs: number;
  staleAfterMs: number;
}

export class SnapshotBuilder {
  private readonly latest = new Map<string, Latest>();
  private readonly statuses = new Map<string, DeviceStatus>();

  constructor(private site: Site) {}

  setSite(site: Site): void {
    this.site = site;
  }

  record(reading: DeviceReading): void {
    const device = this.site.devices.find((d) => d.id === reading.deviceId);
    if (!device) return;
    const staleAfterMs = Math.max(MIN_STALE_MS, STALE_AFTER_POLLS * device.pollIntervalMs);
    for (const [name, value] of Object.entries(reading.values)) {
      const unit = POINT_UNITS[name as PointName];
      if (!unit || value === undefined) continue;
      this.latest.set(pointId(reading.deviceId, name), {
        value,
        unit,
        tsMs: reading.tsMs,
        staleAfterMs,
      });
    }
  }

  setStatus(status: DeviceStatus): void {
    this.statuses.set(status.id, status);
  }

  build(nowMs: number): Snapshot {
    const points: Record<string, PointReading> = {};
    for (const [id, latest] of this.latest) {
      const deviceId = id.slice(0, id.indexOf('.'));
      const offline = this.statuses.get(deviceId)?.state === 'offline';
      points[id] = {
        value: latest.value,
        unit: latest.unit,
        tsMs: latest.tsMs,
        stale: offline || nowMs - latest.tsMs > latest.staleAfterMs,
      };
    }
    const lookup = (id: string): PointReading | undefined => points[id];
    const flows = computeSiteFlows(this.site.devices, lookup);
    for (const [name, value] of Object.entries(flows)) {
      points[pointId(SITE_POINT_DEVICE, name)] = {
        value,
        unit: name === 'socPct' ? '%' : 'W',
        tsMs: value === null ? null : nowMs,
        stale: value === null,
      };
    }
    const devices: Record<string, DeviceStatus> = {};
    for (const device of this.site.devices) {
      devices[device.id] = this.statuses.get(device.id) ?? {
        id: device.id,
        state: device.enabled ? 'connecting' : 'disabled',
        lastGoodReadMs: null,
        latencyMs: null,
        errorCount: 0,
        lastError: null,
        identity: null,
      };
    }
    const members = computeMemberFlows(
      this.site.members.map((m) => m.id),
      this.site.devices,
      lookup,
    );
    return { tsMs: nowMs, points, devices, flows, members };
  }
}

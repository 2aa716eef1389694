// Polls one SunSpec device: discovers its model map once (again after a reboot changed
// it), then each poll reads the models its role needs and maps them onto canonical points.
// Issue 3 replaces the per-model reads with a planner that merges blocks across models.
import type { DevicePoller } from '../../core/points/device-poller';
import type { PointName } from '../../core/points/point-names';
import type { DeviceIdentity, DeviceReading, DeviceStatus } from '../../core/points/snapshot';
import type { DeviceConfig } from '../../core/site/site-types';
import type { ModbusUnit } from '../modbus/modbus-unit';
import { discoverSunspec, readIdentity, readModel, type SunspecMap } from '../sunspec/discovery';
import type { DecodedModel } from '../sunspec/model-types';
import { modelsUsed, SUNSPEC_CANONICAL_MAP, type CanonicalMap } from './sunspec-canonical-map';

export class SunspecPoller implements DevicePoller {
  readonly deviceId: string;
  private readonly map: CanonicalMap;
  private sunspec: SunspecMap | null = null;
  private identity: DeviceIdentity | null = null;
  /** A failure above the wire (no SunSpec map, undecodable model): the unit answers but is useless. */
  private problem: string | null = null;
  private problemCount = 0;

  constructor(
    device: DeviceConfig,
    private readonly unit: ModbusUnit,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.deviceId = device.id;
    this.map = SUNSPEC_CANONICAL_MAP[device.role];
  }

  async poll(): Promise<DeviceReading | null> {
    if (!this.sunspec && !(await this.discover())) return null;
    const sunspec = this.sunspec;
    if (!sunspec) return null;
    const wanted = modelsUsed(this.map);
    const decoded = new Map<number, DecodedModel>();
    for (const entry of sunspec.models) {
      if (!wanted.has(entry.id) || decoded.has(entry.id)) continue;
      const model = await readModel(this.unit, entry);
      if (!model.ok) {
        if (model.error.code === 'stale_map') this.sunspec = null;
        return this.fail(model.error.message);
      }
      decoded.set(entry.id, model.value);
    }
    this.problem = null;
    return { deviceId: this.deviceId, tsMs: this.nowMs(), values: this.canonical(decoded) };
  }

  status(): DeviceStatus {
    const health = this.unit.health();
    const degradedByProblem = this.problem !== null && health.state === 'ok';
    return {
      id: this.deviceId,
      state:
        health.lastGoodMs === null && health.errorCount === 0 && !this.problem
          ? 'connecting'
          : degradedByProblem
            ? 'degraded'
            : health.state,
      lastGoodReadMs: this.problem ? null : health.lastGoodMs,
      latencyMs: health.lastLatencyMs === null ? null : Math.round(health.lastLatencyMs * 10) / 10,
      errorCount: health.errorCount + this.problemCount,
      lastError: this.problem ?? (health.lastError ? health.lastError.message : null),
      identity: this.identity,
    };
  }

  async close(): Promise<void> {
    // The link is shared with other units and closed by its pool.
  }

  private async discover(): Promise<boolean> {
    const found = await discoverSunspec(this.unit);
    if (!found.ok) return this.fail(found.error.message) !== null;
    this.sunspec = found.value;
    const identity = await readIdentity(this.unit, found.value);
    if (identity.ok) {
      const { manufacturer, model, serialNumber, version } = identity.value;
      this.identity = { manufacturer, model, serialNumber, version };
    }
    return true;
  }

  private fail(message: string): null {
    this.problem = message;
    this.problemCount++;
    return null;
  }

  private canonical(
    decoded: ReadonlyMap<number, DecodedModel>,
  ): Partial<Record<PointName, number | null>> {
    const values: Partial<Record<PointName, number | null>> = {};
    for (const [name, sources] of Object.entries(this.map) as [
      PointName,
      CanonicalMap[PointName],
    ][]) {
      for (const source of sources ?? []) {
        const model = source.modelIds.map((id) => decoded.get(id)).find((m) => m !== undefined);
        const value = model?.points[source.point];
        if (typeof value === 'number' || value === null) {
          values[name] = value;
          if (value !== null) break;
        }
      }
    }
    return values;
  }
}

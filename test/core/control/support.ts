// Builders for control tests: a small site and snapshots from plain per-device values, with
// the site flows computed by the station's own code (core/power/site-flows.ts).
import { defaultControlConfig, type ControlConfig } from '../../../core/control/control-config';
import { buildControlSnapshot, type ControlSnapshot } from '../../../core/control/control-snapshot';
import { POINT_UNITS, type PointName } from '../../../core/points/point-names';
import type { DeviceState, PointReading, Snapshot } from '../../../core/points/snapshot';
import { computeMemberFlows, computeSiteFlows } from '../../../core/power/site-flows';
import type { DeviceConfig, DeviceRole, Site } from '../../../core/site/site-types';

export const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

export function device(id: string, role: DeviceRole, memberId: string | null = null): DeviceConfig {
  return {
    id,
    name: id,
    url: `modbus-tcp://127.0.0.1:1502?unit=1`,
    role,
    memberId,
    pollIntervalMs: 1000,
    enabled: true,
  };
}

/** Import limit 10 kW, export limit 5 kW; alice is an ordinary household, clinic critical. */
export function makeSite(devices: DeviceConfig[]): Site {
  return {
    schemaVersion: 1,
    id: 'test-site',
    name: 'Test site',
    timezone: 'UTC',
    location: null,
    tariffs: {
      currency: 'EUR',
      minorUnitDigits: 2,
      feedInMinorPerKWh: 8,
      retailMinorPerKWh: 30,
      gridFeeMinorPerKWh: 2,
    },
    market: { intervalMinutes: 15 },
    grid: { importLimitW: 10_000, exportLimitW: 5_000 },
    feeders: [{ id: 'main', name: 'Main', parentId: null, linkCapacityWh: null }],
    members: [
      {
        id: 'alice',
        name: 'Alice',
        kind: 'household',
        feederId: 'main',
        critical: false,
        prepaid: false,
      },
      {
        id: 'clinic',
        name: 'Clinic',
        kind: 'community',
        feederId: 'main',
        critical: true,
        prepaid: false,
      },
    ],
    devices,
  };
}

/** grid meter, one battery, one PV inverter, three loads (community pool, alice, clinic). */
export const SITE = makeSite([
  device('grid', 'grid-meter'),
  device('bat1', 'battery'),
  device('pv1', 'pv-inverter'),
  device('load-pool', 'switchable-load'),
  device('load-alice', 'switchable-load', 'alice'),
  device('load-clinic', 'switchable-load', 'clinic'),
]);

export type Values = Record<string, Partial<Record<PointName, number | null>>>;

export interface SnapshotOptions {
  /** Device ids or point ids (`bat1.socPct`) whose readings are stale. */
  stale?: string[];
  states?: Record<string, DeviceState>;
}

export function makeSnapshot(
  site: Site,
  nowMs: number,
  values: Values,
  opts: SnapshotOptions = {},
): Snapshot {
  const stale = new Set(opts.stale ?? []);
  const points: Record<string, PointReading> = {};
  for (const [deviceId, readings] of Object.entries(values)) {
    for (const [name, value] of Object.entries(readings)) {
      const id = `${deviceId}.${name}`;
      points[id] = {
        value: value ?? null,
        unit: POINT_UNITS[name as PointName],
        tsMs: nowMs,
        stale: stale.has(deviceId) || stale.has(id),
      };
    }
  }
  const lookup = (id: string) => points[id];
  const devices: Snapshot['devices'] = {};
  for (const d of site.devices) {
    devices[d.id] = {
      id: d.id,
      state: opts.states?.[d.id] ?? 'ok',
      lastGoodReadMs: nowMs,
      latencyMs: 5,
      errorCount: 0,
      lastError: null,
      identity: null,
    };
  }
  return {
    tsMs: nowMs,
    points,
    devices,
    flows: computeSiteFlows(site.devices, lookup),
    members: computeMemberFlows(
      site.members.map((m) => m.id),
      site.devices,
      lookup,
    ),
  };
}

export function view(
  site: Site,
  nowMs: number,
  values: Values,
  opts: SnapshotOptions = {},
): ControlSnapshot {
  return buildControlSnapshot(makeSnapshot(site, nowMs, values, opts), site, nowMs);
}

export function config(overrides: Partial<ControlConfig> = {}): ControlConfig {
  return { ...defaultControlConfig(SITE), ...overrides };
}

/** A healthy grid at the meter: 230 V, 50 Hz, with the given power (> 0 import). */
export const gridAt = (powerW: number) => ({ powerW, voltageV: 230, frequencyHz: 50 });

/** A battery with rated power, SoC and capacity 10 kWh. */
export const batteryAt = (powerW: number, socPct: number, ratedPowerW = 5000) => ({
  powerW,
  socPct,
  ratedPowerW,
  capacityWh: 10_000,
});

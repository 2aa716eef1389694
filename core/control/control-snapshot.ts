// The frozen view the control cycle decides on: one per cycle, built from the station's
// Snapshot, the Site and the cycle's time. Every value here is fresh and plausible or null:
// a stale reading, a NaN, an Infinity or a negative capacity becomes null, so no strategy
// and no envelope check can mistake garbage for a measurement.
import { pointId } from '../points/point-names';
import type { DeviceState, Snapshot } from '../points/snapshot';
import type { DeviceRole, Site } from '../site/site-types';

/** One device as control sees it. Powers in W (signs as in point-names.ts). */
export interface ControlDevice {
  id: string;
  role: DeviceRole;
  memberId: string | null;
  /** The owning member is critical (shed last); false for community assets. */
  critical: boolean;
  state: DeviceState;
  /** Enabled in the site and polled successfully ('ok' or 'degraded'): writes may go out. */
  online: boolean;
  /** No fresh power reading: control must not act on this device's telemetry. */
  stale: boolean;
  powerW: number | null;
  socPct: number | null;
  capacityWh: number | null;
  ratedPowerW: number | null;
  /** BMS limits (charge and discharge), W, >= 0; null when absent or not fresh. */
  maxChargeW: number | null;
  maxDischargeW: number | null;
  /** Current active power limit in % (PV inverters). */
  powerLimitPct: number | null;
  voltageV: number | null;
  frequencyHz: number | null;
  /** What a battery inverter says of the grid (gridConnected): true connected, false islanded. */
  gridConnected: boolean | null;
}

/** Site flows in W, from fresh data only (null otherwise); grid > 0 import. */
export interface ControlSiteView {
  gridW: number | null;
  pvW: number | null;
  loadW: number | null;
  batteryW: number | null;
  socPct: number | null;
  /** At the (first) grid meter: the grid side of the connection point. */
  gridVoltageV: number | null;
  gridFrequencyHz: number | null;
  /** The grid meter is online and its voltage and frequency are fresh. */
  gridMeterFresh: boolean;
  /**
   * From the battery inverters' fresh gridConnected: true when one of them reports the
   * microgrid islanded (the one that opened the connection point and forms the grid knows;
   * the others may not watch the breaker), false when those that report all say connected,
   * null when none online reports it. Never derived from silence: an inverter that stops
   * answering counts as not reporting.
   */
  inverterIslanded: boolean | null;
}

export interface ControlSnapshot {
  nowMs: number;
  devices: readonly ControlDevice[];
  byId: Readonly<Record<string, ControlDevice>>;
  site: ControlSiteView;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function freshValue(snapshot: Snapshot, deviceId: string, name: string): number | null {
  const reading = snapshot.points[pointId(deviceId, name)];
  if (!reading || reading.stale || !isNum(reading.value)) return null;
  return reading.value;
}

const nonNegative = (v: number | null): number | null => (v !== null && v >= 0 ? v : null);
const percent = (v: number | null): number | null => (v !== null && v >= 0 && v <= 100 ? v : null);
const finite = (v: number | null | undefined): number | null => (isNum(v) ? v : null);
/** A flag point: 1 true, 0 false, anything else (a misread register) not known. */
const flag = (v: number | null): boolean | null => (v === 1 ? true : v === 0 ? false : null);

function inverterIslanded(devices: readonly ControlDevice[]): boolean | null {
  const reports = devices
    .filter((d) => d.role === 'battery' && d.online && d.gridConnected !== null)
    .map((d) => d.gridConnected);
  if (reports.length === 0) return null;
  return reports.includes(false);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export function buildControlSnapshot(
  snapshot: Snapshot,
  site: Site,
  nowMs: number,
): ControlSnapshot {
  const critical = new Map(site.members.map((m) => [m.id, m.critical]));
  const devices: ControlDevice[] = site.devices.map((config) => {
    const state: DeviceState = config.enabled
      ? (snapshot.devices[config.id]?.state ?? 'connecting')
      : 'disabled';
    const value = (name: string): number | null => freshValue(snapshot, config.id, name);
    const powerW = value('powerW');
    // PV never produces negative power; a negative reading is a wiring or sign error.
    const plausiblePowerW = config.role === 'pv-inverter' ? nonNegative(powerW) : powerW;
    return {
      id: config.id,
      role: config.role,
      memberId: config.memberId,
      critical: config.memberId !== null && critical.get(config.memberId) === true,
      state,
      online: state === 'ok' || state === 'degraded',
      stale: plausiblePowerW === null,
      powerW: plausiblePowerW,
      socPct: percent(value('socPct')),
      capacityWh: nonNegative(value('capacityWh')),
      ratedPowerW: nonNegative(value('ratedPowerW')),
      maxChargeW: nonNegative(value('maxChargeW')),
      maxDischargeW: nonNegative(value('maxDischargeW')),
      powerLimitPct: percent(value('powerLimitPct')),
      voltageV: nonNegative(value('voltageV')),
      frequencyHz: nonNegative(value('frequencyHz')),
      gridConnected: flag(value('gridConnected')),
    };
  });
  const byId: Record<string, ControlDevice> = {};
  for (const device of devices) byId[device.id] = device;
  const meter = devices.find((d) => d.role === 'grid-meter');
  const flows = snapshot.flows;
  const view: ControlSnapshot = {
    nowMs,
    devices,
    byId,
    site: {
      gridW: finite(flows.gridW),
      pvW: nonNegative(finite(flows.pvW)),
      loadW: finite(flows.loadW),
      batteryW: finite(flows.batteryW),
      socPct: percent(finite(flows.socPct)),
      gridVoltageV: meter?.voltageV ?? null,
      gridFrequencyHz: meter?.frequencyHz ?? null,
      gridMeterFresh:
        meter !== undefined &&
        meter.online &&
        meter.voltageV !== null &&
        meter.frequencyHz !== null,
      inverterIslanded: inverterIslanded(devices),
    },
  };
  return deepFreeze(view);
}

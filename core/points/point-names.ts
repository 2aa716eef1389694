// Canonical points: every driver (Modbus, SunSpec, OPC UA) maps what a device offers onto
// these names, so core/ never knows which protocol a value came from.
//
// Sign conventions, stated once for the whole station:
// - grid power:    > 0 import from the grid,        < 0 export to the grid
// - battery power: > 0 discharge (power to the site), < 0 charge
// - PV power:      >= 0
// - household meter power: > 0 the household draws from the microgrid, < 0 it feeds in
//
// Flags are numbers too (1 yes, 0 no) with the unit 'bool', so every point fits the same
// snapshot, telemetry and history; null still means "not known".

export const POINT_UNITS = {
  powerW: 'W',
  energyImportWh: 'Wh',
  energyExportWh: 'Wh',
  energyProducedWh: 'Wh',
  voltageV: 'V',
  frequencyHz: 'Hz',
  socPct: '%',
  capacityWh: 'Wh',
  ratedPowerW: 'W',
  maxChargeW: 'W',
  maxDischargeW: 'W',
  powerLimitPct: '%',
  /**
   * As the battery inverter sees it: 1 the microgrid is connected to the utility grid at its
   * connection point, 0 it is islanded (the inverter forms the grid behind an open breaker).
   */
  gridConnected: 'bool',
} as const;

export type PointName = keyof typeof POINT_UNITS;

/** Aggregated site flows are stored as points of this pseudo device. */
export const SITE_POINT_DEVICE = 'site';

export const SITE_FLOW_POINTS = ['pvW', 'loadW', 'batteryW', 'gridW', 'socPct'] as const;
export type SiteFlowPoint = (typeof SITE_FLOW_POINTS)[number];

/** Point ids are `<deviceId>.<pointName>`; device ids are kebab-case so the dot is free. */
export function pointId(deviceId: string, name: string): string {
  return `${deviceId}.${name}`;
}

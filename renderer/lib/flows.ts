// Turning signed flows into words. Signs (core/points/point-names.ts): grid > 0 import,
// battery > 0 discharge, household meter > 0 draws from the microgrid.
import type { SiteFlows } from '../api/contract';

/** Below this magnitude a flow counts as "idle": meters jitter by a few watts at rest. */
export const IDLE_W = 10;

export type GridDirection = 'import' | 'export' | 'idle';
export type BatteryDirection = 'discharge' | 'charge' | 'idle';
export type MemberDirection = 'draw' | 'feed' | 'idle';

export function gridDirection(gridW: number): GridDirection {
  if (Math.abs(gridW) < IDLE_W) return 'idle';
  return gridW > 0 ? 'import' : 'export';
}

export function batteryDirection(batteryW: number): BatteryDirection {
  if (Math.abs(batteryW) < IDLE_W) return 'idle';
  return batteryW > 0 ? 'discharge' : 'charge';
}

export function memberDirection(netW: number): MemberDirection {
  if (Math.abs(netW) < IDLE_W) return 'idle';
  return netW > 0 ? 'draw' : 'feed';
}

export const NO_FLOWS: SiteFlows = {
  pvW: null,
  loadW: null,
  batteryW: null,
  gridW: null,
  socPct: null,
};

/** What may be shown as live: everything is unavailable when the data itself is not live. */
export function displayFlows(flows: SiteFlows | undefined, live: boolean): SiteFlows {
  return live && flows ? flows : NO_FLOWS;
}

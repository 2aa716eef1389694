import type { PointName } from './point-names';

/** Health of one device as seen by its link poller. */
export type DeviceState = 'connecting' | 'ok' | 'degraded' | 'offline' | 'disabled';

export interface DeviceIdentity {
  manufacturer: string | null;
  model: string | null;
  serialNumber: string | null;
  version: string | null;
}

export interface DeviceStatus {
  id: string;
  state: DeviceState;
  /** UTC ms of the last poll in which every planned read succeeded. */
  lastGoodReadMs: number | null;
  /** Round trip of the last successful poll in ms. */
  latencyMs: number | null;
  /** Failed polls since the station started. */
  errorCount: number;
  lastError: string | null;
  identity: DeviceIdentity | null;
}

/** One poll's result for one device, as produced by a driver. */
export interface DeviceReading {
  deviceId: string;
  tsMs: number;
  /** null = the device reports the point as not implemented (SunSpec sentinel). */
  values: Partial<Record<PointName, number | null>>;
}

export interface PointReading {
  value: number | null;
  unit: string;
  /** UTC ms when the value was read; null if never read. */
  tsMs: number | null;
  /** True when the value is older than its device's stale limit: show "unavailable". */
  stale: boolean;
}

/** Site power flows in W (signs as in point-names.ts); null when not derivable from fresh data. */
export interface SiteFlows {
  pvW: number | null;
  loadW: number | null;
  batteryW: number | null;
  gridW: number | null;
  socPct: number | null;
}

export interface MemberFlow {
  memberId: string;
  /** Net power at the member's meter: > 0 draws, < 0 feeds in; null if stale or unmetered. */
  netW: number | null;
  /** Rooftop PV production in W; null if the member has no PV or it is stale. */
  pvW: number | null;
}

export interface Snapshot {
  tsMs: number;
  points: Record<string, PointReading>;
  devices: Record<string, DeviceStatus>;
  flows: SiteFlows;
  members: MemberFlow[];
}

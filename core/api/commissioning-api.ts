// The commissioning part of the station contract: adding and changing devices at run time,
// scanning a link for unit ids, and the technician's tools (decoded SunSpec points, raw
// registers, a test write with read-back). Types only; station-api.ts lists the methods.
import type { DeviceIdentity } from '../points/snapshot';
import type { DeviceConfig, DeviceRole, OpcuaDeviceSettings, Site } from '../site/site-types';

/** What a technician enters for a device. The station decides `enabled` (see SiteState). */
export interface DeviceInput {
  /** Kebab-case id, unique in the site. */
  id: string;
  name: string;
  /** Endpoint URL, e.g. `modbus-tcp://192.168.1.20:502?unit=3`. */
  url: string;
  role: DeviceRole;
  memberId: string | null;
  pollIntervalMs: number;
  /** Device profile for devices without SunSpec; absent: SunSpec discovery. */
  profile?: string;
  /** opc.tcp:// devices: security, user and which node feeds which point. */
  opcua?: OpcuaDeviceSettings;
  /**
   * Password of `opcua.username`. Stored in the data directory (never in the site, never in
   * an answer); needed when the section names a user.
   */
  opcuaPassword?: string;
}

/**
 * Fields of a device that may change; `profile: null` removes the profile, `opcua: null`
 * the OPC UA section; `opcuaPassword: null` deletes the stored password.
 */
export type DeviceChanges = Partial<
  Omit<DeviceInput, 'id' | 'profile' | 'opcua' | 'opcuaPassword'>
> & {
  profile?: string | null;
  opcua?: OpcuaDeviceSettings | null;
  opcuaPassword?: string | null;
};

/**
 * The running site and which devices wait for their first good read. A device is stored
 * with `enabled: false` until the station has read it once; only then is it enabled and
 * counted in the site totals (Home Assistant's "enable after a first good read").
 */
export interface SiteState {
  site: Site;
  verifyingIds: string[];
  /** False while the demo runs: changes last until the station stops. */
  persistent: boolean;
}

export interface DeviceChangeResult {
  device: DeviceConfig;
  /** True while the device waits for its first good read. */
  verifying: boolean;
  /** What the device reported when it was identified; null if not identified now. */
  identity: DeviceIdentity | null;
}

/**
 * A register map for devices without SunSpec (a file in resources/profiles/), as
 * `profiles.list` offers it for the device form.
 */
export interface ProfileSummary {
  /** What a device's `profile` names, e.g. `eastron-sdm630`. */
  id: string;
  manufacturer: string;
  model: string;
  description: string;
  /** Device roles the map serves; the station refuses it for any other role. */
  roles: DeviceRole[];
  /** Unit id the station uses when the device URL has no `unit=`. */
  defaultUnitId: number;
}

/** A device of the site, or a bare endpoint URL for a unit not added yet. */
export type DeviceTarget = { deviceId: string } | { url: string };

export interface ScanRequest {
  /** Any URL on the link; its `unit=` is ignored. */
  url: string;
  /** Unit ids to probe, in this order; default: the typical ones first, then 1–247. */
  unitIds?: number[];
  /** Wait per unit before it counts as absent. */
  timeoutMs?: number;
}

export interface SunspecModelSummary {
  id: number;
  /** Short name from the SunSpec tables (`inverter`); null for vendor models. */
  name: string | null;
  label: string | null;
  /** Register address of the model's ID register (0-based). */
  address: number;
  lengthRegs: number;
}

export interface FoundUnit {
  unitId: number;
  /** Device URL of this unit, ready for `devices.add`. */
  url: string;
  identity: DeviceIdentity | null;
  /** Address of the `SunS` marker; null when the unit answered without SunSpec. */
  baseAddress: number | null;
  models: SunspecModelSummary[];
  /** Why the unit is listed but not usable as is (e.g. no SunSpec marker). */
  problem: string | null;
  /** A device of the site already at this endpoint or with this serial number. */
  existingDeviceId: string | null;
}

export type ScanState = 'running' | 'done' | 'cancelled' | 'failed';

/** Pushed as the `scan` event after every probed unit, and answered by scan.get. */
export interface ScanStatus {
  scanId: string;
  url: string;
  /** The physical link (`modbus-tcp://host:port`): one scan at a time per link. */
  link: string;
  state: ScanState;
  totalCount: number;
  doneCount: number;
  /** Unit being probed now; null when none. */
  currentUnitId: number | null;
  found: FoundUnit[];
  error: string | null;
  startedAtMs: number;
  finishedAtMs: number | null;
}

export interface SunspecPointValue {
  /** Point name; points inside repeating groups carry their path: `module[1].DCA`. */
  name: string;
  /** Scaled value; strings for text points; null when not implemented. */
  value: number | string | null;
  units: string | null;
  type: string;
  /** Enum: the symbol of the value; bitfield: the symbols of the set bits, `+`-joined. */
  symbol: string | null;
  /** A read-write point: `sunspec.write` accepts it. */
  writable: boolean;
}

export interface SunspecModelPoints extends SunspecModelSummary {
  points: SunspecPointValue[];
  /** Why this model could not be decoded; the other models are still shown. */
  error: string | null;
}

export interface SunspecReading {
  url: string;
  baseAddress: number;
  models: SunspecModelPoints[];
  readAtMs: number;
}

export type RegisterFunction = 3 | 4;

export type RegisterQuery = DeviceTarget & {
  /** 0-based wire address (manual "40001" = 0 for FC3). */
  address: number;
  /** 1–125 registers. */
  count: number;
  function: RegisterFunction;
};

export interface RegisterReading {
  url: string;
  function: RegisterFunction;
  address: number;
  values: number[];
  readAtMs: number;
}

export type PointWriteRequest = DeviceTarget & {
  /** SunSpec model id, e.g. 123. */
  model: number;
  /** Point of that model, e.g. `WMaxLimPct` (`module[1].DCA` inside a repeating group). */
  point: string;
  /** Engineering value in the point's units (scaled), or an enum symbol such as `CONNECT`. */
  value: number | string;
};

/** What a write would do, checked against the device without writing anything. */
export interface PointWritePlan {
  url: string;
  model: number;
  point: string;
  units: string | null;
  /** Register address of the point (0-based) and the words that would go there (FC16). */
  address: number;
  words: number[];
  previousValue: number | string | null;
  requestedValue: number | string | null;
}

export interface PointWriteResult extends PointWritePlan {
  /** What the device reports after the write; devices may clamp or round. */
  readBackValue: number | string | null;
  /** The read-back equals the requested value. */
  confirmed: boolean;
}

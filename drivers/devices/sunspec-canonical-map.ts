// Which SunSpec points feed which canonical point, per device role. Sources are tried in
// order (`model:point` with fallbacks, as evcc does), so a battery that offers model 802
// reports its SoC from there and one with only model 124 from ChaState.
//
// Meter sign: SunSpec meter models (201–204) report W > 0 for power delivered to the
// site (import). That matches the station's convention for the grid meter and household
// meters; vendors that invert it need a quirk in their profile (issue 3).
//
// Grid connection (gridConnected, battery inverters): model 122 ECPConn says whether the
// electrical connection point (the site's breaker to the utility) is closed. Model 701's
// ConnSt is not used: it is the DER's own connection, so a battery inverter that tripped
// or was switched off reads DISCONNECTED while the site is still on the grid. Its DERMode
// is, as a fallback: GRID_FORMING alone is "the DER is providing the grid", an island.
import type { PointName } from '../../core/points/point-names';
import type { DeviceRole } from '../../core/site/site-types';

export interface PointSource {
  modelIds: readonly number[];
  point: string;
  /** Turns the decoded value (a bitfield's raw bits) into the canonical one; null: not known. */
  decode?: (value: number) => number | null;
}

/**
 * Model 122 ECPConn → 1 connected, 0 disconnected. Bit 0 is CONNECTED, as the model's own
 * text says ("disconnected=0 connected=1") and as pysunspec's ECPCONN_CONNECTED = 1 << 0
 * reads it; the JSON model's symbol list (DISCONNECTED = 0, CONNECTED = 1, as if bit
 * numbers) disagrees with that text. A value with bit 0 clear and other bits set matches
 * neither reading: not known, so it can never start island mode.
 */
export function ecpConnected(bits: number): number | null {
  if (bits === 0) return 0;
  return (bits & 1) === 1 ? 1 : null;
}

/** Model 701 DERMode → 1 grid-following (part of a larger grid), 0 forming the grid alone. */
export function derModeConnected(bits: number): number | null {
  const GRID_FOLLOWING = 1 << 0;
  const GRID_FORMING = 1 << 1;
  if ((bits & GRID_FOLLOWING) !== 0) return 1;
  return (bits & GRID_FORMING) !== 0 ? 0 : null;
}

export type CanonicalMap = Partial<Record<PointName, readonly PointSource[]>>;

const METERS = [201, 202, 203, 204, 211, 212, 213, 214];
const INVERTERS = [101, 102, 103, 111, 112, 113];

const meter: CanonicalMap = {
  powerW: [{ modelIds: METERS, point: 'W' }],
  voltageV: [{ modelIds: METERS, point: 'PhV' }],
  frequencyHz: [{ modelIds: METERS, point: 'Hz' }],
  energyImportWh: [{ modelIds: METERS, point: 'TotWhImp' }],
  energyExportWh: [{ modelIds: METERS, point: 'TotWhExp' }],
};

export const SUNSPEC_CANONICAL_MAP: Record<DeviceRole, CanonicalMap> = {
  'grid-meter': meter,
  'household-meter': meter,
  'switchable-load': meter,
  'pv-inverter': {
    powerW: [{ modelIds: INVERTERS, point: 'W' }],
    energyProducedWh: [{ modelIds: INVERTERS, point: 'WH' }],
    voltageV: [{ modelIds: INVERTERS, point: 'PhVphA' }],
    frequencyHz: [{ modelIds: INVERTERS, point: 'Hz' }],
    ratedPowerW: [{ modelIds: [120], point: 'WRtg' }],
    powerLimitPct: [{ modelIds: [123], point: 'WMaxLimPct' }],
  },
  battery: {
    powerW: [{ modelIds: INVERTERS, point: 'W' }],
    socPct: [
      { modelIds: [802], point: 'SoC' },
      { modelIds: [124], point: 'ChaState' },
    ],
    capacityWh: [
      { modelIds: [802], point: 'WHRtg' },
      { modelIds: [120], point: 'WHRtg' },
    ],
    maxChargeW: [
      { modelIds: [802], point: 'WChaRteMax' },
      { modelIds: [124], point: 'WChaMax' },
    ],
    maxDischargeW: [
      { modelIds: [802], point: 'WDisChaRteMax' },
      { modelIds: [120], point: 'WMaxDisChaRte' },
    ],
    ratedPowerW: [{ modelIds: [120], point: 'WRtg' }],
    frequencyHz: [{ modelIds: INVERTERS, point: 'Hz' }],
    gridConnected: [
      { modelIds: [122], point: 'ECPConn', decode: ecpConnected },
      { modelIds: [701], point: 'DERMode', decode: derModeConnected },
    ],
  },
};

/** The model ids a role's map can use, to read only those models each poll. */
export function modelsUsed(map: CanonicalMap): Set<number> {
  const ids = new Set<number>();
  for (const sources of Object.values(map))
    for (const s of sources ?? []) s.modelIds.forEach((id) => ids.add(id));
  return ids;
}

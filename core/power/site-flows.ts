// Site power flows from the latest fresh readings. A flow is null as soon as one device it
// depends on is stale: the operator sees "unavailable", never a partial sum posing as live.
// Balance at the site (signs in points/point-names.ts): load = PV + battery + grid.
import type { DeviceConfig } from '../site/site-types';
import type { MemberFlow, PointReading, SiteFlows } from '../points/snapshot';
import { pointId } from '../points/point-names';

type Lookup = (id: string) => PointReading | undefined;

function fresh(lookup: Lookup, id: string): number | null {
  const reading = lookup(id);
  return reading && !reading.stale ? reading.value : null;
}

/** Sum of one point over devices; null if there are no devices or any value is missing. */
function sumOf(devices: readonly DeviceConfig[], point: string, lookup: Lookup): number | null {
  if (devices.length === 0) return null;
  let total = 0;
  for (const device of devices) {
    const value = fresh(lookup, pointId(device.id, point));
    if (value === null) return null;
    total += value;
  }
  return total;
}

export function computeSiteFlows(devices: readonly DeviceConfig[], lookup: Lookup): SiteFlows {
  const active = devices.filter((d) => d.enabled);
  const byRole = (role: DeviceConfig['role']): DeviceConfig[] =>
    active.filter((d) => d.role === role);
  const pv = byRole('pv-inverter');
  const batteries = byRole('battery');
  const gridMeter = byRole('grid-meter');

  const pvW = pv.length === 0 ? 0 : sumOf(pv, 'powerW', lookup);
  const batteryW = batteries.length === 0 ? 0 : sumOf(batteries, 'powerW', lookup);
  const gridW = sumOf(gridMeter, 'powerW', lookup);
  const loadW = pvW === null || batteryW === null || gridW === null ? null : pvW + batteryW + gridW;
  return { pvW, loadW, batteryW, gridW, socPct: combinedSoc(batteries, lookup) };
}

/** State of charge of all batteries together, weighted by capacity where known. */
function combinedSoc(batteries: readonly DeviceConfig[], lookup: Lookup): number | null {
  if (batteries.length === 0) return null;
  let weighted = 0;
  let weights = 0;
  for (const battery of batteries) {
    const soc = fresh(lookup, pointId(battery.id, 'socPct'));
    if (soc === null) return null;
    const capacity = fresh(lookup, pointId(battery.id, 'capacityWh')) ?? 1;
    weighted += soc * capacity;
    weights += capacity;
  }
  return weights > 0 ? Math.round((weighted / weights) * 10) / 10 : null;
}

export function computeMemberFlows(
  memberIds: readonly string[],
  devices: readonly DeviceConfig[],
  lookup: Lookup,
): MemberFlow[] {
  return memberIds.map((memberId) => {
    const own = devices.filter((d) => d.enabled && d.memberId === memberId);
    const meters = own.filter((d) => d.role === 'household-meter');
    const pv = own.filter((d) => d.role === 'pv-inverter');
    return {
      memberId,
      netW: sumOf(meters, 'powerW', lookup),
      pvW: sumOf(pv, 'powerW', lookup),
    };
  });
}

// Secondary control while islanded: the grid-forming battery carries whatever the site does
// not balance, so the station keeps the battery able to do so.
//   Energy: at or below shedSocPct the non-critical loads go off; at or below
//           criticalShedSocPct the critical ones too.
//   Power:  while the batteries supply more than powerMarginPct of their discharge limit,
//           loads go off one by one: non-critical first (site order), critical only when all
//           non-critical are off and it is still too much.
//   So a critical load is never shed while the batteries' energy and power can serve it.
//   Restore: one load per restoreStepS, critical first (then the last shed first), once SoC
//           is restoreHysteresisPct above its shed threshold and the power it drew when shed
//           fits under the limit. Nothing is shed or restored this cycle if the batteries
//           cannot be seen (stale): the last decisions stand.
//   PV:     at or above pvCurtailSocPct the PV limits steer the battery toward 0 W (cut what
//           it is charging, give back what it is discharging); below, curtailment is released
//           by what the batteries can still absorb.
import { batteryLimits, controllableBatteries } from './battery-limits';
import type { ControlConfig } from './control-config';
import type { ControlDevice, ControlSnapshot } from './control-snapshot';
import type { IslandEvent, ShedLoad, ShedReason } from './island-types';
import { controllablePv, pvLimitsForChange } from './pv-curtailment';
import type { PvLimitSetpoint } from './setpoint-types';

/** PV changes smaller than this are not worth a write. */
const PV_DEADBAND_W = 100;

export interface IslandLoadStep {
  shed: ShedLoad[];
  events: IslandEvent[];
  lastStepMs: number | null;
  pvLimits: PvLimitSetpoint[];
}

/** Capacity-weighted SoC of the batteries (plain mean where capacity is unknown). */
export function combinedSocPct(batteries: readonly ControlDevice[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const b of batteries) {
    if (b.socPct === null) continue;
    const w = b.capacityWh !== null && b.capacityWh > 0 ? b.capacityWh : 1;
    weighted += b.socPct * w;
    weights += w;
  }
  return weights > 0 ? weighted / weights : null;
}

export function manageIslandLoads(
  snapshot: ControlSnapshot,
  config: ControlConfig,
  shedBefore: readonly ShedLoad[],
  lastStepMs: number | null,
): IslandLoadStep {
  const nowMs = snapshot.nowMs;
  const island = config.island;
  const batteries = controllableBatteries(snapshot.devices);
  const socPct = combinedSocPct(batteries);
  if (batteries.length === 0 || socPct === null) {
    return { shed: [...shedBefore], events: [], lastStepMs, pvLimits: [] };
  }
  const limits = batteries.map((b) => batteryLimits(b, config.soc));
  const availableW =
    (limits.reduce((sum, l) => sum + l.maxDischargeW, 0) * island.powerMarginPct) / 100;
  const absorbW = limits.reduce((sum, l) => sum + l.maxChargeW, 0);
  let supplyingW = batteries.reduce((sum, b) => sum + (b.powerW ?? 0), 0);

  const shed = [...shedBefore];
  const events: IslandEvent[] = [];
  const isShed = (id: string): boolean => shed.some((s) => s.deviceId === id);
  // Shedding order: non-critical before critical, each in site order.
  const loads = snapshot.devices.filter((d) => d.role === 'switchable-load');
  const order = [...loads.filter((d) => !d.critical), ...loads.filter((d) => d.critical)];
  const shedOne = (load: ControlDevice, reason: ShedReason): void => {
    const powerW = Math.max(0, load.powerW ?? 0);
    shed.push({
      deviceId: load.id,
      memberId: load.memberId,
      critical: load.critical,
      powerW,
      shedMs: nowMs,
    });
    events.push({
      kind: 'load_shed',
      atMs: nowMs,
      reason,
      deviceId: load.id,
      memberId: load.memberId,
      critical: load.critical,
    });
    supplyingW -= powerW;
  };

  for (const load of order) {
    if (isShed(load.id)) continue;
    if (socPct <= island.criticalShedSocPct) shedOne(load, 'soc_critical');
    else if (!load.critical && socPct <= island.shedSocPct) shedOne(load, 'soc_low');
  }
  for (const load of order) {
    if (supplyingW <= availableW) break;
    if (!isShed(load.id)) shedOne(load, 'power_overload');
  }

  let stepMs = events.length > 0 ? nowMs : lastStepMs;
  const stepDue = stepMs === null || nowMs - stepMs >= island.restoreStepS * 1000;
  if (events.length === 0 && stepDue) {
    const candidates = [...shed].reverse().sort((a, b) => Number(b.critical) - Number(a.critical));
    const next = candidates.find((s) => {
      const device = snapshot.byId[s.deviceId];
      const thresholdPct = s.critical ? island.criticalShedSocPct : island.shedSocPct;
      return (
        device !== undefined &&
        device.online &&
        !device.stale &&
        socPct >= thresholdPct + island.restoreHysteresisPct &&
        supplyingW + s.powerW <= availableW
      );
    });
    if (next) {
      shed.splice(shed.indexOf(next), 1);
      events.push({
        kind: 'load_restored',
        atMs: nowMs,
        reason: 'energy_recovered',
        deviceId: next.deviceId,
        memberId: next.memberId,
        critical: next.critical,
      });
      stepMs = nowMs;
    }
  }

  const changeW = socPct >= island.pvCurtailSocPct ? supplyingW : absorbW;
  const pvLimits =
    Math.abs(changeW) >= PV_DEADBAND_W
      ? pvLimitsForChange(controllablePv(snapshot.devices), changeW)
      : [];
  return { shed, events, lastStepMs: stepMs, pvLimits };
}

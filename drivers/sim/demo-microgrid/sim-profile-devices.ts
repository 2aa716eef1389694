// The demo's devices without SunSpec: a vendor's own register map, served from its device
// profile by drivers/sim/profile-device.ts, so the station polls a non-SunSpec device in
// the demo exactly as it would an Eastron meter on site. Values come from the physics
// state on every tick; a map without some value (the SDM120 has no phase list) skips it.
import type { DeviceConfig } from '../../../core/site/site-types';
import type { DeviceProfile, PointValue } from '../../profiles/profile-types';
import { ProfileDevice } from '../profile-device';
import type { DemoState } from '../demo/demo-state';
import { meterValues, phaseValues, type MeterValues } from './demo-meter-values';

/** Lifetime reading of the simulated meters before the demo began, as on the SunSpec ones. */
const COUNTER_BASE_WH = 1_000_000;

export interface ProfileSimDevice {
  readonly config: DeviceConfig;
  readonly device: ProfileDevice;
  update(state: DemoState): void;
}

/** A simulated meter speaking `profile`; null for roles the demo has no profile sim for. */
export function createProfileSimDevice(
  config: DeviceConfig,
  profile: DeviceProfile,
): ProfileSimDevice | null {
  if (!profile.roles.includes(config.role))
    throw new Error(
      `demo device "${config.id}": profile "${profile.id}" does not serve ${config.role}`,
    );
  if (config.role !== 'grid-meter' && config.role !== 'household-meter') return null;
  const device = new ProfileDevice(profile);
  const names = new Set(profile.points.map((p) => p.name));
  return {
    config,
    device,
    update(state) {
      const values = meterValues(config, state);
      if (!values) return;
      const known = Object.entries(meterPoints(values)).filter(([name]) => names.has(name));
      const set = device.setAll(Object.fromEntries(known));
      if (!set.ok) throw new Error(`demo simulator "${config.id}": ${set.error.message}`);
    },
  };
}

/** A meter's values under the point names the shipped meter profiles use. */
function meterPoints(v: MeterValues): Record<string, PointValue> {
  const phase = phaseValues(v);
  return {
    powerW: v.powerW,
    voltageV: v.voltageV,
    frequencyHz: v.frequencyHz,
    energyImportWh: COUNTER_BASE_WH + v.energyImportWh,
    energyExportWh: COUNTER_BASE_WH + v.energyExportWh,
    currentA: phase.currentA * 3,
    ...Object.fromEntries(
      [1, 2, 3].flatMap((n) => [
        [`voltageL${n}V`, v.voltageV],
        [`currentL${n}A`, phase.currentA],
        [`powerL${n}W`, phase.powerW],
      ]),
    ),
  };
}

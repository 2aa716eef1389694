// What a simulated meter of the demo shows, whatever register map it speaks (SunSpec or a
// device profile): the grid connection, a household's net power behind its meter, or a
// community member's own loads. Signs as in core/points/point-names.ts.
import type { DeviceConfig } from '../../../core/site/site-types';
import type { DemoState } from '../demo/demo-state';

export interface MeterValues {
  powerW: number;
  voltageV: number;
  frequencyHz: number;
  energyImportWh: number;
  energyExportWh: number;
}

/** Null for a device that is no meter of the demo. */
export function meterValues(device: DeviceConfig, state: DemoState): MeterValues | null {
  if (device.role === 'grid-meter') return state.grid;
  if (device.role !== 'household-meter') return null;
  // Meters inside the microgrid see the island's voltage while the grid is out.
  const supply = {
    voltageV: state.grid.outage ? 230 : state.grid.voltageV,
    frequencyHz: state.grid.outage ? 50 : state.grid.frequencyHz,
  };
  const household = state.households[device.id];
  if (household)
    return {
      ...supply,
      powerW: household.netW,
      energyImportWh: household.energyImportWh,
      energyExportWh: household.energyExportWh,
    };
  const community = device.memberId === null ? undefined : state.community[device.memberId];
  return {
    ...supply,
    powerW: community?.loadW ?? 0,
    energyImportWh: community?.energyImportWh ?? 0,
    energyExportWh: 0,
  };
}

/** Per-phase values of a balanced three-phase load, as a meter lists them. */
export function phaseValues(v: MeterValues): { powerW: number; currentA: number } {
  const powerW = v.powerW / 3;
  return { powerW, currentA: v.voltageV > 0 ? Math.abs(powerW) / v.voltageV : 0 };
}

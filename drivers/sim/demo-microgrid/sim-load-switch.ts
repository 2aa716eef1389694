// A switchable load of the demo, served in the microgrid-load-switch profile's map
// (resources/profiles/microgrid-load-switch.json): coil 0 switches it (FC1 read, FC5/FC15
// write), input registers 0–3 report power now, rated power and energy drawn. A write
// switches the load in the physics at once; every write, accepted or not, is reported.
import type { DeviceConfig } from '../../../core/site/site-types';
import type { DeviceProfile } from '../../profiles/profile-types';
import type { DemoPhysics } from '../demo/demo-physics';
import { ILLEGAL_VALUE, type HandlerResult, type ModbusUnitHandler } from '../modbus-unit-handler';
import { ProfileDevice } from '../profile-device';
import type { SimControlContext } from './sim-control-handler';
import type { ProfileSimDevice } from './sim-profile-devices';

export const LOAD_SWITCH_PROFILE = 'microgrid-load-switch';
/** The simulated contactor has seen some use before the demo began; 0 would read as unset. */
const COUNTER_BASE_WH = 1_000;

export function createLoadSwitchSim(
  config: DeviceConfig,
  profile: DeviceProfile,
  physics: DemoPhysics,
  context: SimControlContext,
): { sim: ProfileSimDevice; handler: ModbusUnitHandler } {
  const device = new ProfileDevice(profile);
  device.onWrite((name, value) => {
    if (name === 'switchOn') physics.setLoadSwitch(config.id, value === true);
  });
  const sim: ProfileSimDevice = {
    config,
    device,
    update(state) {
      const load = state.switchableLoads[config.id];
      if (!load) return;
      const set = device.setAll({
        switchOn: load.on,
        powerW: load.powerW,
        ratedPowerW: load.ratedPowerW,
        energyImportWh: COUNTER_BASE_WH + load.energyWh,
      });
      if (!set.ok) throw new Error(`demo simulator "${config.id}": ${set.error.message}`);
    },
  };
  const report = <T>(
    result: HandlerResult<T>,
    values: Record<string, number | boolean>,
  ): HandlerResult<T> => {
    const refused = result.ok ? null : result.error.exceptionCode;
    context.record({
      simMs: context.simNowMs(),
      deviceId: config.id,
      target: `profile:${profile.id}`,
      values,
      accepted: result.ok,
      exceptionCode: refused,
      violation: refused === ILLEGAL_VALUE ? 'value outside the point’s range' : null,
      withoutRevert: false,
    });
    return result;
  };
  const handler: ModbusUnitHandler = {
    readCoils: (address, count) => device.readCoils(address, count),
    readInputRegisters: (address, count) => device.readInputRegisters(address, count),
    writeCoils(address, values) {
      context.sync();
      const asked = Object.fromEntries(
        values.map((v, i) => [pointName(profile, 1, address + i), v]),
      );
      return report(device.writeCoils(address, values), asked);
    },
    writeRegisters(address, values) {
      context.sync();
      const asked = Object.fromEntries(values.map((v, i) => [`@${address + i}`, v]));
      return report(device.writeRegisters(address, values), asked);
    },
  };
  return { sim, handler };
}

function pointName(profile: DeviceProfile, fc: number, address: number): string {
  return (
    profile.points.find((p) => p.function === fc && p.address === address)?.name ?? `@${address}`
  );
}

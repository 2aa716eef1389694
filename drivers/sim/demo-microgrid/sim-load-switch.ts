// A switchable load of the demo, served in the microgrid-load-switch profile's map
// (resources/profiles/microgrid-load-switch.json): coil 0 switches it (FC1 read, FC5/FC15
// write), holding register 0 (offRevertS) says after how many seconds a switched-off load
// switches itself back on (0 = stays off), input registers 0–3 report power now, rated
// power and energy drawn. A write acts on the physics at once; every write, accepted or
// not, is reported.
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
  const offRevertS = (): number => {
    const value = device.get('offRevertS');
    return typeof value === 'number' ? value : 0;
  };
  device.set('offRevertS', 0);
  let lastWithoutRevert = false;
  device.onWrite((name, value) => {
    if (name !== 'switchOn') return;
    const revertS = offRevertS();
    physics.setLoadSwitch(config.id, value === true, {
      revertAfterMs: revertS > 0 ? revertS * 1000 : null,
    });
    // Shedding that never ends on its own would outlive a crashed station.
    lastWithoutRevert = value !== true && revertS === 0;
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
    const withoutRevert = result.ok && lastWithoutRevert;
    lastWithoutRevert = false;
    context.record({
      simMs: context.simNowMs(),
      deviceId: config.id,
      target: `profile:${profile.id}`,
      values,
      accepted: result.ok,
      exceptionCode: refused,
      violation: refused === ILLEGAL_VALUE ? 'value outside the point’s range' : null,
      withoutRevert,
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
      const asked = Object.fromEntries(
        values.map((v, i) => [pointName(profile, 3, address + i), v]),
      );
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

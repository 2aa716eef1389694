// The demo microgrid on a manual clock with its switchable loads, on free loopback ports,
// and the station's own pollers for its devices: each test drives poll → write → step in
// lockstep, as a scenario does.
import { join } from 'node:path';
import ModbusRTU from 'modbus-serial';
import { afterEach } from 'vitest';
import { parseDeviceUrl } from '../../../../../core/site/device-url';
import { ProfilePoller } from '../../../../../drivers/devices/profile-poller';
import { SunspecPoller } from '../../../../../drivers/devices/sunspec-poller';
import { ModbusLink } from '../../../../../drivers/modbus/modbus-link';
import { tcpConnector } from '../../../../../drivers/modbus/tcp-connector';
import { loadDemoResources } from '../../../../../drivers/sim/demo/demo-resources';
import {
  startDemoMicrogrid,
  type DemoMicrogrid,
} from '../../../../../drivers/sim/demo-microgrid/demo-microgrid';
import { PROJECT_ROOT } from '../../../../support/station-process';

const resources = loadDemoResources(join(PROJECT_ROOT, 'resources', 'demo'), undefined, {
  switchableLoads: true,
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

export interface Lockstep {
  demo: DemoMicrogrid;
  sunspec(deviceId: string): Promise<SunspecPoller>;
  profile(deviceId: string): ProfilePoller;
  /** A bare modbus-serial client on the device's port and unit. */
  raw(deviceId: string): Promise<ModbusRTU>;
}

function endpoint(demo: DemoMicrogrid, deviceId: string) {
  const device = demo.site.devices.find((d) => d.id === deviceId);
  const url = device && parseDeviceUrl(device.url);
  if (!device || !url?.ok || url.value.kind !== 'modbus-tcp') throw new Error(`no ${deviceId}`);
  return { device, port: url.value.port, unitId: url.value.unitId };
}

export async function startLockstep(startSimMs: number): Promise<Lockstep> {
  const demo = await startDemoMicrogrid({
    site: resources.site,
    physics: resources.physics,
    profiles: resources.profiles,
    basePort: 0,
    clock: 'manual',
    startSimMs,
  });
  cleanups.push(() => demo.stop());
  const linkFor = (port: number): ModbusLink => {
    const link = new ModbusLink(tcpConnector('127.0.0.1', port), { timeoutMs: 1000 });
    cleanups.unshift(() => link.close());
    return link;
  };
  return {
    demo,
    async sunspec(deviceId) {
      const { device, port, unitId } = endpoint(demo, deviceId);
      const poller = new SunspecPoller(device, linkFor(port).unit(unitId), () => demo.simNowMs);
      if ((await poller.poll()) === null) throw new Error(`${deviceId}: first poll failed`);
      return poller;
    },
    profile(deviceId) {
      const { device, port, unitId } = endpoint(demo, deviceId);
      const profile = resources.profiles.get(device.profile ?? '');
      if (!profile) throw new Error(`${deviceId} has no profile`);
      return new ProfilePoller(device, profile, linkFor(port).unit(unitId), {
        nowMs: () => demo.simNowMs,
      });
    },
    async raw(deviceId) {
      const { port, unitId } = endpoint(demo, deviceId);
      const client = new ModbusRTU();
      await client.connectTCP('127.0.0.1', { port });
      client.setID(unitId);
      client.setTimeout(1000);
      cleanups.unshift(
        () =>
          new Promise<void>((resolve) =>
            client.isOpen ? client.close(() => resolve()) : resolve(),
          ),
      );
      return client;
    },
  };
}

/** Register address of a SunSpec point in a demo device's image. */
export function pointAddress(
  demo: DemoMicrogrid,
  deviceId: string,
  modelId: number,
  offset: number,
): number {
  const model = demo.devices.get(deviceId)?.image.models.find((m) => m.id === modelId);
  if (!model) throw new Error(`${deviceId} has no model ${modelId}`);
  return model.address + 2 + offset;
}

// The embedded demo microgrid: the physics model, its devices as SunSpec register images
// or, for devices with a profile, in their vendor's own register map, and one Modbus TCP
// server per port of the demo site (a gateway port serves several unit ids), all on
// loopback. The station polls it exactly as it would poll real hardware.
import { parseDeviceUrl } from '../../../core/site/device-url';
import type { DeviceConfig, Site } from '../../../core/site/site-types';
import { createDemoPhysics, type DemoPhysics } from '../demo/demo-physics';
import type { DemoPhysicsConfig } from '../demo/demo-physics-config';
import { createSimClock } from '../demo/sim-clock';
import type { DemoState } from '../demo/demo-state';
import { ModbusTcpServer } from '../modbus-tcp-server';
import type { DeviceProfile } from '../../profiles/profile-types';
import type { ModbusUnitHandler } from '../modbus-unit-handler';
import { createProfileSimDevice, type ProfileSimDevice } from './sim-profile-devices';
import { createSimDevice, type SimDevice } from './sim-sunspec-devices';
import { sunspecUnitHandler } from './sunspec-unit-handler';

export interface DemoMicrogridOptions {
  site: Site;
  physics: DemoPhysicsConfig;
  /** Profiles of the site's devices that name one (DemoResources.profiles). */
  profiles?: ReadonlyMap<string, DeviceProfile>;
  /**
   * Where the simulators listen: undefined keeps the ports in the site file (1502…),
   * 0 picks free ports, any other number shifts the site's ports to start there.
   */
  basePort?: number;
  host?: string;
  /** Simulated time runs this many times faster than real time. */
  speed?: number;
  seed?: number;
  /** Simulated UTC ms at start; default: now, so the demo shows today's sun. */
  startSimMs?: number;
  /** Real-time ms between physics steps (and register updates). */
  tickMs?: number;
  nowRealMs?: () => number;
}

export interface DemoEndpoint {
  deviceId: string;
  name: string;
  role: DeviceConfig['role'];
  url: string;
  /** The device's register map when it is not SunSpec. */
  profile?: string;
}

export interface DemoMicrogrid {
  /** The demo site with device URLs pointing at the running simulators. */
  readonly site: Site;
  readonly endpoints: readonly DemoEndpoint[];
  readonly speed: number;
  readonly physics: DemoPhysics;
  /** The SunSpec devices, by device id. */
  readonly devices: ReadonlyMap<string, SimDevice>;
  /** The devices served from a profile, by device id. */
  readonly profileDevices: ReadonlyMap<string, ProfileSimDevice>;
  state(): DemoState;
  stop(): Promise<void>;
}

export async function startDemoMicrogrid(options: DemoMicrogridOptions): Promise<DemoMicrogrid> {
  const now = options.nowRealMs ?? Date.now;
  const speed = options.speed ?? 1;
  const host = options.host ?? '127.0.0.1';
  const startSimMs = options.startSimMs ?? Math.floor(now());
  const physics = createDemoPhysics({
    site: options.site,
    physics: options.physics,
    seed: options.seed ?? 1,
    startSimMs,
  });
  const clock = createSimClock({ startSimMs, speed, nowRealMs: now() });
  const state0 = physics.state();

  const byPort = new Map<number, { device: DeviceConfig; unitId: number }[]>();
  for (const device of options.site.devices) {
    const endpoint = parseDeviceUrl(device.url);
    if (!endpoint.ok || endpoint.value.kind !== 'modbus-tcp') continue;
    const list = byPort.get(endpoint.value.port) ?? [];
    list.push({ device, unitId: endpoint.value.unitId });
    byPort.set(endpoint.value.port, list);
  }
  const lowestPort = Math.min(...byPort.keys());
  const servers: ModbusTcpServer[] = [];
  const devices = new Map<string, SimDevice>();
  const profileDevices = new Map<string, ProfileSimDevice>();
  const urls = new Map<string, string>();
  /** Creates a device's simulator and returns what answers its unit id, if anything. */
  const simulate = (device: DeviceConfig, unitId: number): ModbusUnitHandler | null => {
    if (device.profile !== undefined) {
      const profile = options.profiles?.get(device.profile);
      if (!profile)
        throw new Error(`demo device "${device.id}": profile "${device.profile}" not loaded`);
      const sim = createProfileSimDevice(device, profile);
      sim?.update(state0);
      if (sim) profileDevices.set(device.id, sim);
      return sim?.device ?? null;
    }
    const sim = createSimDevice(device, unitId, state0, options.site.grid.importLimitW * 2);
    sim?.update(state0);
    if (sim) devices.set(device.id, sim);
    return sim ? sunspecUnitHandler(sim.image) : null;
  };
  try {
    for (const [sitePort, list] of byPort) {
      const server = new ModbusTcpServer({ unknownUnit: 'ignore' });
      for (const { device, unitId } of list) {
        const handler = simulate(device, unitId);
        if (handler) server.setUnit(unitId, handler);
      }
      const wanted =
        options.basePort === undefined
          ? sitePort
          : options.basePort === 0
            ? 0
            : options.basePort + (sitePort - lowestPort);
      const port = await server.listen({ host, port: wanted });
      servers.push(server);
      for (const { device, unitId } of list)
        urls.set(device.id, `modbus-tcp://${host}:${port}?unit=${unitId}`);
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }

  let latest = state0;
  const timer = setInterval(() => {
    latest = physics.step(clock.simNowMs(now()));
    for (const sim of devices.values()) sim.update(latest);
    for (const sim of profileDevices.values()) sim.update(latest);
  }, options.tickMs ?? 250);

  const site: Site = {
    ...options.site,
    devices: options.site.devices.map((d) => ({ ...d, url: urls.get(d.id) ?? d.url })),
  };
  return {
    site,
    endpoints: site.devices.map((d) => ({
      deviceId: d.id,
      name: d.name,
      role: d.role,
      url: d.url,
      ...(d.profile === undefined ? {} : { profile: d.profile }),
    })),
    speed,
    physics,
    devices,
    profileDevices,
    state: () => latest,
    async stop() {
      clearInterval(timer);
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

// The embedded demo microgrid: the physics model, its devices as SunSpec register images
// or, for devices with a profile, in their vendor's own register map, and one Modbus TCP
// server per port of the demo site (a gateway port serves several unit ids), all on
// loopback. The station polls it exactly as it would poll real hardware, and its control
// writes (model 123/124, load switches) act on the physics.
//
// Two clocks: 'real-time' steps the physics on a timer (simulated time = real time ×
// speed), 'manual' only when the caller says step(ms), so a scenario can run a simulated
// day in seconds with the station's control cycle in lockstep and identical results.
import { parseDeviceUrl } from '../../../core/site/device-url';
import type { DeviceConfig, Site } from '../../../core/site/site-types';
import { createDemoPhysics, type DemoPhysics } from '../demo/demo-physics';
import type { DemoPhysicsConfig } from '../demo/demo-physics-config';
import {
  createDemoRecorder,
  type DemoRecorder,
  type ReceivedWrite,
  type RecorderLimits,
} from '../demo/demo-recorder';
import { createSimClock } from '../demo/sim-clock';
import type { DemoState } from '../demo/demo-state';
import { ModbusTcpServer, type ModbusFault } from '../modbus-tcp-server';
import type { DeviceProfile } from '../../profiles/profile-types';
import type { ModbusUnitHandler } from '../modbus-unit-handler';
import { controlledUnitHandler, type SimControlContext } from './sim-control-handler';
import { createLoadSwitchSim, LOAD_SWITCH_PROFILE } from './sim-load-switch';
import { createProfileSimDevice, type ProfileSimDevice } from './sim-profile-devices';
import { batteryControl, pvControl, type SunspecControl } from './sim-sunspec-controls';
import { createSimDevice, type SimDevice } from './sim-sunspec-devices';
import { sunspecUnitHandler } from './sunspec-unit-handler';

export type DemoClockMode = 'real-time' | 'manual';

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
  /** Real-time ms between physics steps (and register updates); real-time clock only. */
  tickMs?: number;
  nowRealMs?: () => number;
  /** 'real-time' (default): a timer steps the physics; 'manual': only step()/advanceTo() do. */
  clock?: DemoClockMode;
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
  /** The devices served from a profile, by device id (switchable loads included). */
  readonly profileDevices: ReadonlyMap<string, ProfileSimDevice>;
  readonly clock: DemoClockMode;
  /** Simulated UTC ms the physics has reached. */
  readonly simNowMs: number;
  state(): DemoState;
  /**
   * Manual clock only: advances simulated time by `ms` (integer > 0), refreshes every
   * register and returns the state. Throws with the real-time clock.
   */
  step(ms: number): DemoState;
  /** Manual clock only: advances to `simMs` (not before now), as step does. */
  advanceTo(simMs: number): DemoState;
  /** Cuts (true) or restores (false) the grid now; the registers show it at once. */
  setOutage(outage: boolean): void;
  /** An outage from `startMs` to `endMs` in simulated UTC ms (null: until setOutage(false)). */
  scheduleOutage(startMs: number, endMs: number | null): void;
  /** Makes a device misbehave on the wire (no-reply = offline); null heals it. */
  setDeviceFault(deviceId: string, fault: ModbusFault | null): void;
  /**
   * Starts measuring from now: every physics segment and every control write received.
   * Limits default to the site's grid limits and the battery's SoC window.
   */
  startRecording(limits?: Partial<RecorderLimits>): DemoRecorder;
  stop(): Promise<void>;
}

export async function startDemoMicrogrid(options: DemoMicrogridOptions): Promise<DemoMicrogrid> {
  const now = options.nowRealMs ?? Date.now;
  const speed = options.speed ?? 1;
  const clockMode = options.clock ?? 'real-time';
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
  const controls: SunspecControl[] = [];
  const wire = new Map<string, { server: ModbusTcpServer; unitId: number }>();
  const urls = new Map<string, string>();
  const recorders = new Set<DemoRecorder>();
  let latest = state0;
  const refresh = (): DemoState => {
    latest = physics.state();
    for (const sim of devices.values()) sim.update(latest);
    for (const sim of profileDevices.values()) sim.update(latest);
    for (const control of controls) control.reflect(latest);
    return latest;
  };
  const syncRealTime = (): void => {
    if (clockMode === 'real-time') physics.step(clock.simNowMs(now()));
  };
  const context: SimControlContext = {
    sync: syncRealTime,
    simNowMs: () => physics.simNowMs,
    record: (write: ReceivedWrite) => recorders.forEach((r) => r.recordWrite(write)),
  };
  /** Creates a device's simulator and returns what answers its unit id, if anything. */
  const simulate = (device: DeviceConfig, unitId: number): ModbusUnitHandler | null => {
    if (device.profile === LOAD_SWITCH_PROFILE) {
      const profile = options.profiles?.get(device.profile);
      if (!profile)
        throw new Error(`demo device "${device.id}": profile "${device.profile}" not loaded`);
      const { sim, handler } = createLoadSwitchSim(device, profile, physics, context);
      sim.update(state0);
      profileDevices.set(device.id, sim);
      return handler;
    }
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
    if (!sim) return null;
    sim.update(state0);
    devices.set(device.id, sim);
    const control =
      device.role === 'pv-inverter'
        ? pvControl(sim.image, device.id, physics)
        : device.role === 'battery'
          ? batteryControl(sim.image, physics, state0.battery)
          : null;
    if (!control) return sunspecUnitHandler(sim.image);
    controls.push(control);
    return controlledUnitHandler(sim.image, device.id, control, context);
  };
  try {
    for (const [sitePort, list] of byPort) {
      const server = new ModbusTcpServer({ unknownUnit: 'ignore' });
      for (const { device, unitId } of list) {
        const handler = simulate(device, unitId);
        if (handler) server.setUnit(unitId, handler);
        wire.set(device.id, { server, unitId });
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

  const timer =
    clockMode === 'real-time'
      ? setInterval(() => {
          syncRealTime();
          refresh();
        }, options.tickMs ?? 250)
      : null;
  const advanceTo = (simMs: number): DemoState => {
    if (clockMode !== 'manual')
      throw new Error('step()/advanceTo() need the manual clock (clock: "manual")');
    physics.step(simMs);
    return refresh();
  };
  const batteryLimits = state0.battery;

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
    clock: clockMode,
    get simNowMs() {
      return physics.simNowMs;
    },
    state: () => latest,
    step(ms) {
      if (!Number.isSafeInteger(ms) || ms <= 0)
        throw new RangeError(`step must be a positive integer of ms, got ${ms}`);
      return advanceTo(physics.simNowMs + ms);
    },
    advanceTo,
    setOutage(outage) {
      syncRealTime();
      physics.setOutage(outage);
      refresh();
    },
    scheduleOutage(startMs, endMs) {
      syncRealTime();
      physics.scheduleOutage(startMs, endMs);
    },
    setDeviceFault(deviceId, fault) {
      const at = wire.get(deviceId);
      if (!at) throw new RangeError(`the demo serves no device "${deviceId}" over Modbus TCP`);
      at.server.setFault(at.unitId, fault);
    },
    startRecording(limits = {}) {
      syncRealTime();
      const recorder = createDemoRecorder(physics, {
        importLimitW: options.site.grid.importLimitW,
        exportLimitW: options.site.grid.exportLimitW,
        socMinLimitPct: batteryLimits.minSocPct,
        socMaxLimitPct: batteryLimits.maxSocPct,
        ...limits,
      });
      recorders.add(recorder);
      const stopRecorder = recorder.stop;
      return {
        ...recorder,
        get writes() {
          return recorder.writes;
        },
        stop() {
          stopRecorder();
          recorders.delete(recorder);
        },
      };
    },
    async stop() {
      if (timer) clearInterval(timer);
      recorders.forEach((r) => r.stop());
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

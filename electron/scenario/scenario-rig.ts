// The station's real parts around the demo microgrid for one scenario run: the demo on a
// manual clock with its switchable loads, on free loopback ports; one LinkPool (one queue
// per port, as in the station) and the same pollers runtime.ts builds (SunspecPoller,
// profile pollers from their factory). Every clock the station's parts read is the
// simulated one, so stale limits, slow-point schedules and health follow simulated time.
import { join } from 'node:path';
import type { DevicePoller } from '../../core/points/device-poller';
import { parseDeviceUrl } from '../../core/site/device-url';
import type { DeviceConfig, Site } from '../../core/site/site-types';
import { SunspecPoller } from '../../drivers/devices/sunspec-poller';
import { sunspecQuirkOptions } from '../../drivers/devices/sunspec-quirk-options';
import { LinkPool } from '../../drivers/modbus/link-pool';
import { createProfilePoller } from '../../drivers/profiles/profile-poller-factory';
import { loadDemoResources } from '../../drivers/sim/demo/demo-resources';
import {
  startDemoMicrogrid,
  type DemoMicrogrid,
} from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { PROJECT_ROOT } from '../station/project-root';
import type { ScenarioDefinition } from './scenario-types';

const DEMO_DIR = join(PROJECT_ROOT, 'resources', 'demo');
const PROFILES_DIR = join(PROJECT_ROOT, 'resources', 'profiles');

/**
 * Real-time wait for one reply. Loopback answers in well under a millisecond, but on a
 * loaded 2-core machine (a full test run) a reply took more than 250 ms and failed a write
 * that had nothing wrong with it. A silent device costs this much wall time per attempt
 * (simulated time stands still meanwhile; retries back off, ~20 attempts in 15 minutes).
 */
export const SCENARIO_TIMEOUT_MS = 1000;

export interface ScenarioRig {
  demo: DemoMicrogrid;
  /** The demo site as the station runs it (URLs on the chosen ports, scenario limits). */
  site: Site;
  pollers: DevicePoller[];
  stop(): Promise<void>;
}

export async function startScenarioRig(scenario: ScenarioDefinition): Promise<ScenarioRig> {
  const resources = loadDemoResources(DEMO_DIR, PROFILES_DIR, { switchableLoads: true });
  const site: Site = {
    ...resources.site,
    grid: { ...resources.site.grid, ...scenario.grid },
  };
  const physics = withInitialSoc(resources.physics, scenario.initialSocPct);
  const demo = await startDemoMicrogrid({
    site,
    physics,
    profiles: resources.profiles,
    basePort: 0,
    clock: 'manual',
    startSimMs: scenario.startSimMs,
  });
  demo.physics.setWeather(scenario.weather);
  const simNowMs = (): number => demo.simNowMs;
  const pool = new LinkPool({ timeoutMs: SCENARIO_TIMEOUT_MS, now: simNowMs });
  const pollers = demo.site.devices.map((device) => createPoller(device, pool, simNowMs));
  return {
    demo,
    site: demo.site,
    pollers,
    async stop() {
      await Promise.all(pollers.map((p) => p.close()));
      await pool.closeAll();
      await demo.stop();
    },
  };
}

/** As runtime.ts createPoller, on the simulated clock; the demo serves Modbus TCP only. */
function createPoller(device: DeviceConfig, pool: LinkPool, nowMs: () => number): DevicePoller {
  if (device.profile) {
    const made = createProfilePoller(device, device.profile, PROFILES_DIR, pool, { nowMs });
    if (!made.ok) throw new Error(`scenario: ${device.id}: ${made.error.message}`);
    return made.value;
  }
  const endpoint = parseDeviceUrl(device.url);
  if (!endpoint.ok) throw new Error(`scenario: ${device.id}: ${endpoint.error.message}`);
  const unit = pool.unit(endpoint.value);
  if (!unit.ok) throw new Error(`scenario: ${device.id}: ${unit.error.message}`);
  return new SunspecPoller(device, unit.value, nowMs, sunspecQuirkOptions());
}

function withInitialSoc<T extends { devices: Record<string, { kind: string }> }>(
  physics: T,
  socPct: number | undefined,
): T {
  if (socPct === undefined) return physics;
  const devices = Object.fromEntries(
    Object.entries(physics.devices).map(([id, d]) => [
      id,
      d.kind === 'battery' ? { ...d, initialSocPct: socPct } : d,
    ]),
  );
  return { ...physics, devices };
}

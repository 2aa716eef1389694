// Composition root of the station under plain Node and in Electron's main process: real
// drivers, the demo microgrid when no site is configured, storage in the data directory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevicePoller } from '../../core/points/device-poller';
import type { DeviceStatus } from '../../core/points/snapshot';
import { parseDeviceUrl } from '../../core/site/device-url';
import type { DeviceConfig, Site } from '../../core/site/site-types';
import { SunspecPoller } from '../../drivers/devices/sunspec-poller';
import { sunspecQuirkOptions } from '../../drivers/devices/sunspec-quirk-options';
import { LinkPool } from '../../drivers/modbus/link-pool';
import { OpcuaPollers } from '../../drivers/opcua/opcua-poller-lazy';
import { ProfileCatalog } from '../../drivers/profiles/profile-catalog';
import { createProfilePoller } from '../../drivers/profiles/profile-poller-factory';
import { loadDemoResources } from '../../drivers/sim/demo/demo-resources';
import { startDemoMicrogrid } from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { createOpcuaTools } from './commissioning-opcua';
import { createCommissioningTools } from './commissioning-tools';
import type { KeyProtection } from './ledger-keys';
import { stationMarketRules } from './market-rules';
import { PROJECT_ROOT } from './project-root';
import { createStation, type Station } from './station';

export interface RuntimeOptions {
  dataDir: string;
  site?: Site;
  /** Run the demo even if a site is stored. */
  forceDemo?: boolean;
  speed?: number;
  log?: (line: string) => void;
  sqliteNativeBinding?: string;
  snapshotIntervalMs?: number;
  ledgerKeyProtection?: KeyProtection;
}

export const DEMO_DIR = join(PROJECT_ROOT, 'resources', 'demo');
export const PROFILES_DIR = join(PROJECT_ROOT, 'resources', 'profiles');

export function stationVersion(): string {
  return (
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

export async function startRuntime(options: RuntimeOptions): Promise<Station> {
  const demo = loadDemoResources(DEMO_DIR, PROFILES_DIR);
  const pool = new LinkPool();
  const opcua = new OpcuaPollers({ dataDir: options.dataDir });
  const opcuaTools = createOpcuaTools(options.dataDir);
  const station = await createStation({
    dataDir: options.dataDir,
    site: options.site,
    forceDemo: options.forceDemo,
    demo: {
      site: demo.site,
      start: async (site) => {
        const running = await startDemoMicrogrid({
          site,
          physics: demo.physics,
          profiles: demo.profiles,
          basePort: 0,
          speed: options.speed ?? 1,
        });
        return { site: running.site, speed: running.speed, stop: () => running.stop() };
      },
    },
    createPoller: (device) => createPoller(device, pool, opcua),
    profiles: new ProfileCatalog(PROFILES_DIR),
    commissioning: createCommissioningTools(pool),
    opcua: opcuaTools,
    marketRules: stationMarketRules,
    ledgerKeyProtection: options.ledgerKeyProtection,
    log: options.log,
    version: stationVersion(),
    sqliteNativeBinding: options.sqliteNativeBinding,
    snapshotIntervalMs: options.snapshotIntervalMs,
    onStop: async () => {
      await Promise.all([pool.closeAll(), opcua.closeAll(), opcuaTools.close()]);
    },
  });
  return station;
}

function createPoller(device: DeviceConfig, pool: LinkPool, opcua: OpcuaPollers): DevicePoller {
  // One session per OPC UA server, PKI in <dataDir>/pki, password in <dataDir>/secrets.
  if (device.url.startsWith('opc.tcp:')) return opcua.createPoller(device);
  if (device.profile) {
    const poller = createProfilePoller(device, device.profile, PROFILES_DIR, pool);
    return poller.ok ? poller.value : unsupported(device, poller.error.message);
  }
  const endpoint = parseDeviceUrl(device.url);
  if (!endpoint.ok) return unsupported(device, endpoint.error.message);
  const unit = pool.unit(endpoint.value);
  if (!unit.ok) return unsupported(device, unit.error.message);
  return new SunspecPoller(device, unit.value, Date.now, sunspecQuirkOptions());
}

/** A device the station cannot poll (a bad URL, a profile that does not load): shown offline with the reason. */
function unsupported(device: DeviceConfig, reason: string): DevicePoller {
  const status: DeviceStatus = {
    id: device.id,
    state: 'offline',
    lastGoodReadMs: null,
    latencyMs: null,
    errorCount: 0,
    lastError: reason,
    identity: null,
  };
  return {
    deviceId: device.id,
    poll: async () => null,
    status: () => status,
    close: async () => {},
  };
}

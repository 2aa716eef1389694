// Loads the demo site and its physics from resources/demo/, and the device profiles its
// non-SunSpec devices name from resources/profiles/. The directories are passed in: where
// resources live differs between a checkout, tests and a packaged app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfile } from '../../profiles/profile-loader';
import type { DeviceProfile } from '../../profiles/profile-types';
import { parseSiteJson } from '../../../core/site/site-schema';
import type { Site } from '../../../core/site/site-types';
import {
  DemoPhysicsConfigError,
  parseDemoPhysicsConfig,
  type DemoPhysicsConfig,
} from './demo-physics-config';
import { resolveDemoTopology } from './demo-topology';

export const DEMO_SITE_FILE = 'demo-site.json';
export const DEMO_PHYSICS_FILE = 'demo-physics.json';

export interface DemoSiteAndPhysics {
  site: Site;
  physics: DemoPhysicsConfig;
}

export interface DemoResources extends DemoSiteAndPhysics {
  /** The profiles the demo site's devices name, by id. */
  profiles: ReadonlyMap<string, DeviceProfile>;
}

/** Parses both files' text and checks they fit together; throws an Error naming file and field. */
export function parseDemoResources(siteText: string, physicsText: string): DemoSiteAndPhysics {
  const site = parseSiteJson(siteText);
  if (!site.ok) throw new Error(`${DEMO_SITE_FILE}: ${site.error.message}`);
  let physicsJson: unknown;
  try {
    physicsJson = JSON.parse(physicsText);
  } catch (cause) {
    throw new DemoPhysicsConfigError(
      '',
      `${DEMO_PHYSICS_FILE} is not valid JSON: ${(cause as Error).message}`,
    );
  }
  const physics = parseDemoPhysicsConfig(physicsJson);
  resolveDemoTopology(site.value, physics);
  return { site: site.value, physics };
}

/** `profilesDir` defaults to the `profiles` folder next to `dir`, as in resources/. */
export function loadDemoResources(
  dir: string,
  profilesDir = join(dir, '..', 'profiles'),
): DemoResources {
  const parsed = parseDemoResources(
    readFileSync(join(dir, DEMO_SITE_FILE), 'utf8'),
    readFileSync(join(dir, DEMO_PHYSICS_FILE), 'utf8'),
  );
  const profiles = new Map<string, DeviceProfile>();
  for (const device of parsed.site.devices) {
    if (device.profile === undefined || profiles.has(device.profile)) continue;
    const loaded = loadProfile(profilesDir, device.profile);
    if (!loaded.ok)
      throw new Error(`${DEMO_SITE_FILE}: device "${device.id}": ${loaded.error.message}`);
    profiles.set(device.profile, loaded.value);
  }
  return { ...parsed, profiles };
}

// Loads the demo site and its physics from resources/demo/, and the device profiles its
// non-SunSpec devices name from resources/profiles/. The directories are passed in: where
// resources live differs between a checkout, tests and a packaged app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
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
/**
 * The switchable loads (site devices and their physics) live in a file of their own, so a
 * caller that needs the demo without them (21 devices instead of 25) can leave them out.
 */
export const DEMO_SWITCHABLE_LOADS_FILE = 'demo-switchable-loads.json';

export interface DemoLoadOptions {
  /**
   * Adds the loads of demo-switchable-loads.json to the site and the physics (default
   * true: island load shedding needs something to shed).
   */
  switchableLoads?: boolean;
}

export interface DemoSiteAndPhysics {
  site: Site;
  physics: DemoPhysicsConfig;
}

export interface DemoResources extends DemoSiteAndPhysics {
  /** The profiles the demo site's devices name, by id. */
  profiles: ReadonlyMap<string, DeviceProfile>;
}

/** Parses both files' text and checks they fit together; throws an Error naming file and field. */
export function parseDemoResources(
  siteText: string,
  physicsText: string,
  loadsText?: string,
): DemoSiteAndPhysics {
  if (loadsText !== undefined) {
    const merged = mergeSwitchableLoads(siteText, physicsText, loadsText);
    siteText = merged.siteText;
    physicsText = merged.physicsText;
  }
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
  options: DemoLoadOptions = {},
): DemoResources {
  const parsed = parseDemoResources(
    readFileSync(join(dir, DEMO_SITE_FILE), 'utf8'),
    readFileSync(join(dir, DEMO_PHYSICS_FILE), 'utf8'),
    (options.switchableLoads ?? true)
      ? readFileSync(join(dir, DEMO_SWITCHABLE_LOADS_FILE), 'utf8')
      : undefined,
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

/** Shape only; the merged site and physics are then validated by their own schemas. */
const loadsFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  devices: z.array(z.record(z.string(), z.unknown())),
  physics: z.record(z.string(), z.unknown()),
});

function mergeSwitchableLoads(
  siteText: string,
  physicsText: string,
  loadsText: string,
): { siteText: string; physicsText: string } {
  const parse = (text: string, file: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new Error(`${file} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
  };
  const loads = loadsFileSchema.safeParse(parse(loadsText, DEMO_SWITCHABLE_LOADS_FILE));
  if (!loads.success)
    throw new Error(
      `${DEMO_SWITCHABLE_LOADS_FILE}: ${loads.error.issues[0]?.message ?? 'invalid'}`,
    );
  const site = parse(siteText, DEMO_SITE_FILE) as { devices?: unknown[] };
  const physics = parse(physicsText, DEMO_PHYSICS_FILE) as { devices?: Record<string, unknown> };
  return {
    siteText: JSON.stringify({
      ...site,
      devices: [...(site.devices ?? []), ...loads.data.devices],
    }),
    physicsText: JSON.stringify({
      ...physics,
      devices: { ...physics.devices, ...loads.data.physics },
    }),
  };
}

// Loads the demo site and its physics from resources/demo/. The directory is passed in:
// where resources live differs between a checkout, tests and a packaged app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

export interface DemoResources {
  site: Site;
  physics: DemoPhysicsConfig;
}

/** Parses both files' text and checks they fit together; throws an Error naming file and field. */
export function parseDemoResources(siteText: string, physicsText: string): DemoResources {
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

export function loadDemoResources(dir: string): DemoResources {
  return parseDemoResources(
    readFileSync(join(dir, DEMO_SITE_FILE), 'utf8'),
    readFileSync(join(dir, DEMO_PHYSICS_FILE), 'utf8'),
  );
}

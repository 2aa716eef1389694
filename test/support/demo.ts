import { join } from 'node:path';
import { loadDemoResources } from '../../drivers/sim/demo/demo-resources';
import {
  startDemoMicrogrid,
  type DemoMicrogrid,
} from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { PROJECT_ROOT } from './station-process';

/** The demo microgrid on free loopback ports with simulated time paused at `simMs`, so values hold still between reads. */
export function startPausedDemo(simMs: number): Promise<DemoMicrogrid> {
  const demo = loadDemoResources(join(PROJECT_ROOT, 'resources', 'demo'));
  return startDemoMicrogrid({
    site: demo.site,
    physics: demo.physics,
    profiles: demo.profiles,
    basePort: 0,
    speed: 0,
    startSimMs: simMs,
  });
}

// Joins the Site (who is connected where) with the demo physics (how big things are) and
// refuses combinations the model cannot balance, before the first step rather than during.
import type { DeviceConfig, Site } from '../../../core/site/site-types';
import {
  DemoPhysicsConfigError,
  type BatteryPhysics,
  type DemoPhysicsConfig,
  type HouseholdPhysics,
  type PvPhysics,
} from './demo-physics-config';
import { resolveSwitchableLoads, type DemoSwitchableLoad } from './demo-switchable-loads';

export interface DemoHousehold {
  meterId: string;
  memberId: string;
  /** The member is critical (medical equipment, shelter): recorded apart when unserved. */
  critical: boolean;
  physics: HouseholdPhysics;
  /** Rooftop PV behind this meter, as indices into DemoTopology.pv: the meter sees load minus PV. */
  pvIndices: number[];
}

export interface DemoPv {
  id: string;
  memberId: string;
  physics: PvPhysics;
}

export interface DemoTopology {
  gridMeterId: string;
  battery: { id: string; physics: BatteryPhysics };
  households: DemoHousehold[];
  pv: DemoPv[];
  communityLoads: {
    memberId: string;
    critical: boolean;
    nightPowerW: number;
    basePowerW: number;
  }[];
  /** Loads the station may switch off, each behind a household meter or a community load. */
  switchableLoads: DemoSwitchableLoad[];
  latitudeDeg: number;
  longitudeDeg: number;
  timezone: string;
}

export function resolveDemoTopology(site: Site, config: DemoPhysicsConfig): DemoTopology {
  const byRole = (role: DeviceConfig['role']): DeviceConfig[] =>
    site.devices.filter((d) => d.role === role);
  const gridMeter = single(byRole('grid-meter'), 'grid-meter');
  const batteryDevice = single(byRole('battery'), 'battery');

  for (const [id, physics] of Object.entries(config.devices)) {
    const device = site.devices.find((d) => d.id === id);
    if (!device)
      throw new DemoPhysicsConfigError(devicePath(id), 'no device with this id in the site');
    const expected = {
      pv: 'pv-inverter',
      'household-load': 'household-meter',
      battery: 'battery',
      'switchable-load': 'switchable-load',
    }[physics.kind];
    if (device.role !== expected) {
      throw new DemoPhysicsConfigError(
        `${devicePath(id)}.kind`,
        `"${physics.kind}" needs a ${expected} device, site has role ${device.role}`,
      );
    }
  }
  const physicsOf = <K extends string>(device: DeviceConfig, kind: K) => {
    const physics = config.devices[device.id];
    if (physics?.kind !== kind)
      throw new DemoPhysicsConfigError(
        devicePath(device.id),
        `missing "${kind}" physics for ${device.role} "${device.id}"`,
      );
    return physics as Extract<DemoPhysicsConfig['devices'][string], { kind: K }>;
  };

  // A meter of a community member reads that member's own loads (hall, street lights),
  // which the physics models as communityLoads; every other meter is a household's.
  const isCommunity = (d: DeviceConfig): boolean =>
    site.members.some((m) => m.id === d.memberId && m.kind === 'community');
  const meters = byRole('household-meter');
  const communityMeters = meters.filter(isCommunity);
  const households = meters
    .filter((d) => !isCommunity(d))
    .map((meter): DemoHousehold => {
      const member = site.members.find((m) => m.id === meter.memberId);
      if (!member)
        throw new DemoPhysicsConfigError(
          devicePath(meter.id),
          `household meter needs a member, got ${String(meter.memberId)}`,
        );
      return {
        meterId: meter.id,
        memberId: member.id,
        critical: member.critical,
        physics: physicsOf(meter, 'household-load'),
        pvIndices: [],
      };
    });
  const pv = byRole('pv-inverter').map((device, index): DemoPv => {
    const meters = households.filter((h) => h.memberId === device.memberId);
    // The model puts rooftop PV behind exactly one household meter; anything else has no
    // defined place in the power balance.
    const meter = meters.length === 1 ? meters[0] : undefined;
    if (!meter) {
      throw new DemoPhysicsConfigError(
        devicePath(device.id),
        `PV must belong to a member with exactly one household meter (found ${meters.length})`,
      );
    }
    meter.pvIndices.push(index);
    return { id: device.id, memberId: meter.memberId, physics: physicsOf(device, 'pv') };
  });

  const communityLoads = Object.entries(config.communityLoads).map(([memberId, load]) => {
    const member = site.members.find((m) => m.id === memberId);
    if (member?.kind !== 'community') {
      throw new DemoPhysicsConfigError(
        `communityLoads[${JSON.stringify(memberId)}]`,
        'no member of kind "community" with this id',
      );
    }
    return {
      memberId,
      critical: member.critical,
      nightPowerW: load.nightPowerW,
      basePowerW: load.basePowerW,
    };
  });
  checkCommunityMeters(communityMeters, config);

  return {
    gridMeterId: gridMeter.id,
    battery: { id: batteryDevice.id, physics: physicsOf(batteryDevice, 'battery') },
    households,
    pv,
    communityLoads,
    switchableLoads: resolveSwitchableLoads(
      byRole('switchable-load'),
      households,
      communityLoads,
      (d) => physicsOf(d, 'switchable-load'),
    ),
    // Without a location the demo still needs a sun; central Europe is as good as any.
    latitudeDeg: site.location?.latitudeDeg ?? 50,
    longitudeDeg: site.location?.longitudeDeg ?? 10,
    timezone: site.timezone,
  };
}

/** Each community meter reads its member's whole communityLoads entry: one meter, no physics of its own. */
function checkCommunityMeters(meters: DeviceConfig[], config: DemoPhysicsConfig): void {
  const seen = new Set<string>();
  for (const meter of meters) {
    const memberId = meter.memberId ?? '';
    const fail = (message: string): never => {
      throw new DemoPhysicsConfigError(devicePath(meter.id), message);
    };
    if (!Object.hasOwn(config.communityLoads, memberId))
      fail(`meters community member "${memberId}", which has no communityLoads entry`);
    if (seen.has(memberId)) fail(`community member "${memberId}" already has a meter`);
    if (config.devices[meter.id])
      fail("a community meter reads its member's communityLoads and takes no device physics");
    seen.add(memberId);
  }
}

function single(devices: DeviceConfig[], role: string): DeviceConfig {
  const [first, ...rest] = devices;
  if (!first || rest.length > 0) {
    throw new DemoPhysicsConfigError(
      'devices',
      `the demo needs exactly one ${role} device in the site, found ${devices.length}`,
    );
  }
  return first;
}

function devicePath(id: string): string {
  return `devices[${JSON.stringify(id)}]`;
}

// Loads the station can switch (heat pumps, water heaters, EV chargers): each hangs behind
// its member's meter, so switching one off lowers that member's demand by its power. The
// model needs to know whose demand that is, so a load must belong to a member with exactly
// one household meter or to a community member with its own loads.
import type { DeviceConfig } from '../../../core/site/site-types';
import { DemoPhysicsConfigError, type SwitchableLoadPhysics } from './demo-physics-config';

export interface DemoSwitchableLoad {
  id: string;
  memberId: string;
  critical: boolean;
  /** Drawn while on, integer W. */
  powerW: number;
  /** Index into DemoTopology.households, or null when it adds to a community load. */
  householdIndex: number | null;
  /** Index into DemoTopology.communityLoads, or null when behind a household meter. */
  communityIndex: number | null;
}

interface Owner {
  memberId: string;
  critical: boolean;
}

export function resolveSwitchableLoads(
  devices: readonly DeviceConfig[],
  households: readonly Owner[],
  communityLoads: readonly Owner[],
  physicsOf: (device: DeviceConfig) => SwitchableLoadPhysics,
): DemoSwitchableLoad[] {
  return devices.map((device) => {
    const physics = physicsOf(device);
    const inHouseholds = indicesOf(households, device.memberId);
    const inCommunity = indicesOf(communityLoads, device.memberId);
    const [index] = [...inHouseholds, ...inCommunity];
    if (index === undefined || inHouseholds.length + inCommunity.length !== 1) {
      throw new DemoPhysicsConfigError(
        `devices[${JSON.stringify(device.id)}]`,
        'a switchable load must belong to a member with exactly one household meter or community load',
      );
    }
    const owner = inHouseholds.length === 1 ? households[index] : communityLoads[index];
    return {
      id: device.id,
      memberId: owner?.memberId ?? '',
      critical: owner?.critical ?? false,
      powerW: physics.powerW,
      householdIndex: inHouseholds.length === 1 ? index : null,
      communityIndex: inCommunity.length === 1 ? index : null,
    };
  });
}

function indicesOf(owners: readonly Owner[], memberId: string | null): number[] {
  const found: number[] = [];
  owners.forEach((o, i) => {
    if (o.memberId === memberId) found.push(i);
  });
  return found;
}

/** Household and community demand with the loads that are on added to their owners. */
export function withSwitchedLoads(
  loads: readonly DemoSwitchableLoad[],
  on: readonly boolean[],
  householdLoadW: readonly number[],
  communityLoadW: readonly number[],
): { householdLoadW: number[]; communityLoadW: number[] } {
  const households = [...householdLoadW];
  const community = [...communityLoadW];
  loads.forEach((load, i) => {
    if (!on[i]) return;
    if (load.householdIndex !== null)
      households[load.householdIndex] = (households[load.householdIndex] ?? 0) + load.powerW;
    if (load.communityIndex !== null)
      community[load.communityIndex] = (community[load.communityIndex] ?? 0) + load.powerW;
  });
  return { householdLoadW: households, communityLoadW: community };
}

// The feeder tree as the market sees it: each feeder's link to its parent carries at most
// `linkCapacityWh` per interval (null = unlimited). Flows are those of local trades:
// flowWh[f] > 0 means the subtree below link f sends energy up to the parent, < 0 that it
// receives. Imports and exports with the utility are not counted: the capacities are the
// share of each link given to the local market, as exchanges allocate cross-zonal capacity.
import type { Feeder, Member } from '../site/site-types';
import { fail, ok, type Result } from '../result';

export type FeederLink = Pick<Feeder, 'id' | 'parentId' | 'linkCapacityWh'>;
export type FeederMember = Pick<Member, 'id' | 'feederId'>;

export interface MarketNetwork {
  feederIds: readonly string[];
  /** Parent feeder index per feeder, -1 at the root(s). */
  parent: Int32Array;
  depth: Int32Array;
  /** Capacity of the link to the parent in Wh; Infinity for unlimited and at roots. */
  capacityWh: Float64Array;
  memberFeeder: ReadonlyMap<string, number>;
}

/** Checks the tree (known parents, no cycles, capacities whole Wh ≥ 0, members on known feeders). */
export function buildNetwork(
  feeders: readonly FeederLink[],
  members: readonly FeederMember[],
): Result<MarketNetwork> {
  const index = new Map<string, number>();
  for (const [i, f] of feeders.entries()) {
    if (index.has(f.id)) return problem('duplicate_feeder', `feeders[${i}].id`, 'duplicate id');
    index.set(f.id, i);
  }
  const parent = new Int32Array(feeders.length).fill(-1);
  const capacityWh = new Float64Array(feeders.length).fill(Infinity);
  for (const [i, f] of feeders.entries()) {
    if (f.parentId !== null) {
      const p = index.get(f.parentId);
      if (p === undefined)
        return problem('unknown_feeder', `feeders[${i}].parentId`, `no feeder "${f.parentId}"`);
      parent[i] = p;
    }
    const cap = f.linkCapacityWh;
    if (cap !== null) {
      if (!Number.isInteger(cap) || cap < 0)
        return problem('bad_capacity', `feeders[${i}].linkCapacityWh`, 'must be whole Wh ≥ 0');
      if (f.parentId !== null) capacityWh[i] = cap;
    }
  }
  const depth = new Int32Array(feeders.length).fill(-1);
  for (let i = 0; i < feeders.length; i++) {
    // Walk up until a feeder of known depth; more steps than feeders means a cycle.
    const path: number[] = [];
    let f = i;
    while (f !== -1 && depth[f] === -1) {
      if (path.length > feeders.length)
        return problem('feeder_cycle', `feeders[${i}].parentId`, 'feeders form a cycle');
      path.push(f);
      f = parent[f] ?? -1;
    }
    let d = f === -1 ? -1 : (depth[f] ?? 0);
    for (let k = path.length - 1; k >= 0; k--) depth[path[k] ?? 0] = ++d;
  }
  const memberFeeder = new Map<string, number>();
  for (const [i, m] of members.entries()) {
    const f = index.get(m.feederId);
    if (f === undefined)
      return problem('unknown_feeder', `members[${i}].feederId`, `no feeder "${m.feederId}"`);
    memberFeeder.set(m.id, f);
  }
  return ok({ feederIds: feeders.map((f) => f.id), parent, depth, capacityWh, memberFeeder });
}

function problem(code: string, path: string, message: string) {
  return fail({ code, path, message: `${path}: ${message}` });
}

/**
 * Link flows during one clearing. A trade from feeder `from` to feeder `to` goes up the
 * links from `from` to the lowest common ancestor (flow +e) and down the links to `to`
 * (flow −e); a link's room in a direction is capacity ∓ flow, so counterflows free room.
 */
export class LinkFlows {
  readonly flowWh: Float64Array;
  constructor(readonly network: MarketNetwork) {
    this.flowWh = new Float64Array(network.parent.length);
  }

  /** Most energy a trade from → to can add without any link over capacity. */
  roomWh(from: number, to: number): number {
    let room = Infinity;
    this.walk(from, to, (link, up) => {
      const cap = this.network.capacityWh[link] ?? Infinity;
      const flow = this.flowWh[link] ?? 0;
      const r = up ? cap - flow : cap + flow;
      if (r < room) room = r;
    });
    return room;
  }

  /** Links on the path whose room is exactly `roomWh`: the ones that limit a trade. */
  limitingLinks(from: number, to: number, roomWh: number): number[] {
    const links: number[] = [];
    this.walk(from, to, (link, up) => {
      const cap = this.network.capacityWh[link] ?? Infinity;
      const flow = this.flowWh[link] ?? 0;
      if ((up ? cap - flow : cap + flow) === roomWh) links.push(link);
    });
    return links;
  }

  add(from: number, to: number, energyWh: number): void {
    this.walk(from, to, (link, up) => {
      this.flowWh[link] = (this.flowWh[link] ?? 0) + (up ? energyWh : -energyWh);
    });
  }

  private walk(from: number, to: number, visit: (link: number, up: boolean) => void): void {
    const { parent, depth } = this.network;
    let a = from;
    let b = to;
    // Feeder f stands for the link f → parent(f).
    while ((depth[a] ?? 0) > (depth[b] ?? 0)) {
      visit(a, true);
      a = parent[a] ?? -1;
    }
    while ((depth[b] ?? 0) > (depth[a] ?? 0)) {
      visit(b, false);
      b = parent[b] ?? -1;
    }
    while (a !== b && a !== -1 && b !== -1) {
      visit(a, true);
      visit(b, false);
      a = parent[a] ?? -1;
      b = parent[b] ?? -1;
    }
  }
}

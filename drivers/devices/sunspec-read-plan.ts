// Pure: a discovered SunSpec map and a role's canonical map → the register ranges a poll
// needs, with poll classes: each canonical point's source registers, the scale-factor
// registers they depend on, the ID/L header of every model read (to notice a renumbered
// map), and the identity strings of model 1. The poll engine merges these into blocks
// across models; sunspec-point-values.ts decodes the points from whatever blocks came back.
import type { PointName } from '../../core/points/point-names';
import type { PollClass, PolledRange } from '../modbus/poll-types';
import type { SunspecMap, SunspecModelEntry } from '../sunspec/discovery';
import type { SunspecPointDef } from '../sunspec/model-types';
import type { CanonicalMap } from './sunspec-canonical-map';
import { IDENTITY_POLL_CLASS } from './sunspec-poll-classes';

/** One `model:point` source of a canonical point, placed in this device's map. */
export interface SourceRead {
  readonly modelId: number;
  readonly point: SunspecPointDef;
  /** Null when the device's model is shorter than the point's offset (older revision): reads as null. */
  readonly range: PolledRange | null;
  /** The scale-factor register, a fixed exponent, or null when the SF lies past L (the value reads as null). */
  readonly sf: PolledRange | number | null;
  /** PointSource.decode: from the decoded value to the canonical one. */
  readonly decode?: (value: number) => number | null;
}

export interface CanonicalRead {
  readonly name: PointName;
  /** In fallback order; the first non-null value wins. */
  readonly sources: readonly SourceRead[];
}

export interface HeaderRead {
  readonly entry: SunspecModelEntry;
  readonly range: PolledRange;
}

export const IDENTITY_POINTS = ['Mn', 'Md', 'Vr', 'SN'] as const;
export type IdentityPoint = (typeof IDENTITY_POINTS)[number];

export interface SunspecReadPlan {
  /** Every range once, with the fastest class any user of it needs. */
  readonly ranges: readonly PolledRange[];
  readonly points: readonly CanonicalRead[];
  readonly headers: readonly HeaderRead[];
  /** Model 1's identity strings, or null when the device has no common model. */
  readonly identity: Readonly<Partial<Record<IdentityPoint, SourceRead>>> | null;
}

const holding = (address: number, count: number, pollClass: PollClass): PolledRange => ({
  fc: 3,
  address,
  count,
  pollClass,
});

/** The register of a top-level point of `entry`, or null when it lies past the model's L. */
function place(entry: SunspecModelEntry, point: SunspecPointDef, pollClass: PollClass) {
  return point.offset + point.size > entry.length
    ? null
    : holding(entry.address + 2 + point.offset, point.size, pollClass);
}

function sourceRead(
  entry: SunspecModelEntry,
  point: SunspecPointDef,
  pollClass: PollClass,
): SourceRead {
  let sf: PolledRange | number | null = 0;
  if (typeof point.sf === 'number') sf = point.sf;
  else if (typeof point.sf === 'string') {
    const sfPoint = entry.def!.points.find((p) => p.name === point.sf);
    sf = sfPoint ? place(entry, sfPoint, pollClass) : null;
  }
  return { modelId: entry.id, point, range: place(entry, point, pollClass), sf };
}

export function buildReadPlan(
  map: SunspecMap,
  canonical: CanonicalMap,
  classes: Readonly<Record<PointName, PollClass>>,
): SunspecReadPlan {
  const ranges = new Map<string, PolledRange>();
  const used = new Map<SunspecModelEntry, PollClass>();
  const faster = (a: PollClass | undefined, b: PollClass): PollClass =>
    a === 'fast' || b === 'fast' ? 'fast' : 'slow';
  const need = (range: PolledRange | number | null): void => {
    if (range === null || typeof range === 'number') return;
    const key = `${range.address}:${range.count}`;
    ranges.set(key, { ...range, pollClass: faster(ranges.get(key)?.pollClass, range.pollClass) });
  };
  const first = (id: number) => map.models.find((m) => m.id === id && m.def !== null);

  const points: CanonicalRead[] = [];
  for (const [name, sources] of Object.entries(canonical) as [
    PointName,
    CanonicalMap[PointName],
  ][]) {
    const pollClass = classes[name];
    const reads: SourceRead[] = [];
    for (const source of sources ?? []) {
      // As before the planner: the first of the source's models the device has.
      const entry = source.modelIds.map(first).find((e) => e !== undefined);
      const point = entry?.def?.points.find((p) => p.name === source.point);
      if (!entry || !point) continue;
      const read = sourceRead(entry, point, pollClass);
      reads.push(source.decode ? { ...read, decode: source.decode } : read);
      need(read.range);
      need(read.sf);
      used.set(entry, faster(used.get(entry), pollClass));
    }
    if (reads.length > 0) points.push({ name, sources: reads });
  }

  let identity: Partial<Record<IdentityPoint, SourceRead>> | null = null;
  const common = first(1);
  if (common) {
    identity = {};
    for (const name of IDENTITY_POINTS) {
      const point = common.def!.points.find((p) => p.name === name);
      if (!point) continue;
      identity[name] = sourceRead(common, point, IDENTITY_POLL_CLASS);
      need(identity[name].range);
    }
    used.set(common, faster(used.get(common), IDENTITY_POLL_CLASS));
  }

  const headers = [...used].map(([entry, pollClass]) => {
    const range = holding(entry.address, 2, pollClass);
    need(range);
    return { entry, range };
  });
  return { ranges: [...ranges.values()], points, headers, identity };
}

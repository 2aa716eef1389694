// Where each point of a model sits once the number of group repeats is known. Count
// points always live in the model's top level (model-table.ts checks it), so every
// instance of a group has the same length and positions are plain arithmetic: no need
// to materialise thousands of instances to find one register.
import { fail, ok, type Result } from '../../core/result';
import { staticLengthRegs } from './model-table';
import type {
  SunspecBlockDef,
  SunspecGroupDef,
  SunspecModelDef,
  SunspecPointDef,
} from './model-types';
import { decodePointRaw, type Words } from './point-decode';
import { sunspecError, type SunspecError } from './sunspec-error';

/** Repeats of each group; undefined where the caller does not know it. */
export type CountLookup = (group: SunspecGroupDef) => number | undefined;

export function ownLengthRegs(block: SunspecBlockDef): number {
  if ('lengthRegs' in block) return block.lengthRegs;
  const last = block.points[block.points.length - 1];
  return last ? last.offset + last.size : 0;
}

export function fixedCount(group: SunspecGroupDef): number | undefined {
  return typeof group.count === 'number' && group.count > 0 ? group.count : undefined;
}

/** Registers one instance of `block` takes, nested groups included; undefined if a count is unknown. */
export function instanceLengthRegs(
  block: SunspecBlockDef,
  counts: CountLookup,
): number | undefined {
  let total = ownLengthRegs(block);
  for (const g of block.groups) {
    const n = counts(g);
    const length = n === undefined ? undefined : instanceLengthRegs(g, counts);
    if (n === undefined || length === undefined) return undefined;
    total += n * length;
  }
  return total;
}

export function fillerGroup(def: SunspecModelDef): SunspecGroupDef | undefined {
  return def.groups.find((g) => g.count === 0);
}

export function hasVariableGroups(def: SunspecModelDef): boolean {
  const variable = (g: SunspecGroupDef): boolean =>
    typeof g.count === 'string' || g.count === 0 || g.groups.some(variable);
  return def.groups.some(variable);
}

/**
 * Repeats as a device lays them out: counted groups from their count points, the group
 * that fills L from (L − fixed block) / group length.
 */
export function decodeCounts(
  def: SunspecModelDef,
  words: Words,
  lengthRegs: number,
): Result<CountLookup, SunspecError> {
  const counts = new Map<SunspecGroupDef, number>();
  const where = { modelId: def.id };
  const visit = (block: SunspecBlockDef): SunspecError | undefined => {
    for (const g of block.groups) {
      if (typeof g.count === 'string') {
        const counter = def.points.find((p) => p.name === g.count) as SunspecPointDef;
        const n =
          counter.offset < lengthRegs ? decodePointRaw(counter, words, counter.offset) : null;
        if (typeof n !== 'number') {
          return sunspecError(
            'bad_count',
            `model ${def.id}: count point ${g.count} for group ${g.name} is not implemented`,
            where,
          );
        }
        counts.set(g, n);
      }
      const nested = visit(g);
      if (nested) return nested;
    }
    return undefined;
  };
  const problem = visit(def);
  if (problem) return fail(problem);
  const lookup: CountLookup = (g) => counts.get(g) ?? fixedCount(g);
  const filler = fillerGroup(def);
  if (filler) {
    const groupRegs = staticLengthRegs(filler) as number; // model-table.ts guarantees it
    const spare = lengthRegs - def.fixedLengthRegs;
    if (spare < 0 || spare % groupRegs !== 0) {
      return fail(
        sunspecError(
          'length_mismatch',
          `model ${def.id}: L=${lengthRegs} leaves ${spare} registers after the ${def.fixedLengthRegs}-register fixed block, ` +
            `not a whole number of ${groupRegs}-register ${filler.name} groups`,
          where,
        ),
      );
    }
    counts.set(filler, spare / groupRegs);
    return ok(lookup);
  }
  const needed = instanceLengthRegs(def, lookup) as number;
  // A model without repeating groups may be shorter than today's definition (an older
  // revision, or model 1 without its pad): the missing points read as null. Counted
  // groups that do not fit mean the counts or L are wrong.
  if (needed > lengthRegs && counts.size > 0) {
    return fail(
      sunspecError(
        'bad_count',
        `model ${def.id}: its count points need ${needed} registers but L is ${lengthRegs}`,
        where,
      ),
    );
  }
  return ok(lookup);
}

export interface PointLocation {
  readonly point: SunspecPointDef;
  /** Body-relative register offset (0 = first register after the ID/L header). */
  readonly offset: number;
  /** Body-relative offset of the point's scale-factor point, if it names one. */
  readonly sfOffset: number | null;
  /** `module[2].DCA` style name for messages. */
  readonly label: string;
}

/**
 * Finds `path` ("W", "module.DCA", "Crv.Pt.V") in a model; `groupIndex` gives the
 * instance index for each group on the path (missing entries mean 0).
 */
export function locatePoint(
  def: SunspecModelDef,
  path: string,
  groupIndex: readonly number[],
  counts: CountLookup,
): Result<PointLocation, SunspecError> {
  const segments = path.split('.');
  const pointName = segments.pop() as string;
  const where = { modelId: def.id };
  let block: SunspecBlockDef = def;
  let base = 0;
  const label: string[] = [];
  for (const [level, groupName] of segments.entries()) {
    let start = base + ownLengthRegs(block);
    let target: SunspecGroupDef | undefined;
    for (const g of block.groups) {
      if (g.name === groupName) {
        target = g;
        break;
      }
      const n = counts(g);
      const length = instanceLengthRegs(g, counts);
      if (n === undefined || length === undefined) {
        return fail(
          sunspecError(
            'bad_count',
            `model ${def.id}: locating ${path} needs the count of group ${g.name}`,
            where,
          ),
        );
      }
      start += n * length;
    }
    if (!target)
      return fail(
        sunspecError(
          'unknown_point',
          `model ${def.id} has no group ${groupName} (in ${path})`,
          where,
        ),
      );
    const index = groupIndex[level] ?? 0;
    const n = counts(target);
    const length = instanceLengthRegs(target, counts);
    if (n === undefined || length === undefined) {
      return fail(
        sunspecError(
          'bad_count',
          `model ${def.id}: locating ${path} needs the count of group ${target.name}`,
          where,
        ),
      );
    }
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      return fail(
        sunspecError(
          'unknown_point',
          `model ${def.id}: ${groupName} index ${index} is outside 0..${n - 1} (in ${path})`,
          where,
        ),
      );
    }
    base = start + index * length;
    block = target;
    label.push(`${groupName}[${index}]`);
  }
  const point = block.points.find((p) => p.name === pointName);
  if (!point)
    return fail(sunspecError('unknown_point', `model ${def.id} has no point ${path}`, where));
  let sfOffset: number | null = null;
  if (typeof point.sf === 'string') {
    const local = block.points.find((p) => p.name === point.sf);
    const top = def.points.find((p) => p.name === point.sf) as SunspecPointDef;
    sfOffset = local ? base + local.offset : top.offset;
  }
  return ok({
    point,
    offset: base + point.offset,
    sfOffset,
    label: [...label, pointName].join('.'),
  });
}

export interface PlacedPoint {
  readonly point: SunspecPointDef;
  /** Body-relative register offset. */
  readonly offset: number;
  /** Group path and point name, e.g. "Crv.Pt.V". */
  readonly path: string;
  /** Instance index per group on the path. */
  readonly groupIndex: readonly number[];
}

/** Every point of every instance, in register order; counts must all be known. */
export function forEachPoint(
  def: SunspecModelDef,
  counts: CountLookup,
  visit: (placed: PlacedPoint) => void,
): void {
  const walk = (
    block: SunspecBlockDef,
    base: number,
    prefix: string,
    indices: readonly number[],
  ): void => {
    for (const point of block.points) {
      visit({ point, offset: base + point.offset, path: prefix + point.name, groupIndex: indices });
    }
    let cursor = base + ownLengthRegs(block);
    for (const g of block.groups) {
      const n = counts(g) ?? 0;
      const length = instanceLengthRegs(g, counts) ?? 0;
      for (let i = 0; i < n; i++)
        walk(g, cursor + i * length, `${prefix}${g.name}.`, [...indices, i]);
      cursor += n * length;
    }
  };
  walk(def, 0, '', []);
}

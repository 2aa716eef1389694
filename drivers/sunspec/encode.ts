// The inverse of decode.ts: values to a model body (for simulators), and single point
// writes (for the station's control path). A whole-model encode with bad values is a
// bug in the simulator's setup and throws; a point write is operator input and returns
// a Result.
import { fail, ok, type Result } from '../../core/result';
import {
  fillerGroup,
  fixedCount,
  instanceLengthRegs,
  locatePoint,
  ownLengthRegs,
  type CountLookup,
} from './layout';
import type {
  SunspecBlockDef,
  SunspecGroupDef,
  SunspecInput,
  SunspecModelDef,
  SunspecValues,
} from './model-types';
import { encodePointValue } from './point-encode';
import { sunspecError, type SunspecError } from './sunspec-error';

export interface EncodeOptions {
  /** Repeats of the group that fills L (e.g. MPPT modules of model 160). */
  repeats?: number;
  /** Scale-factor values to use where `values` does not give the SF point. */
  scaleFactors?: Readonly<Record<string, number | null>>;
}

type Points = NonNullable<SunspecValues['points']>;

function has(points: Points | undefined, name: string): boolean {
  return points !== undefined && Object.hasOwn(points, name) && points[name] !== undefined;
}

function checkNames(
  def: SunspecModelDef,
  block: SunspecBlockDef,
  values: SunspecValues,
  where: string,
): void {
  for (const name of Object.keys(values.points ?? {})) {
    if (!block.points.some((p) => p.name === name))
      throw new RangeError(`model ${def.id}: no point ${where}${name}`);
  }
  for (const name of Object.keys(values.groups ?? {})) {
    if (!block.groups.some((g) => g.name === name))
      throw new RangeError(`model ${def.id}: no group ${where}${name}`);
  }
}

/** Counts: from count points when given, else from the longest array of instances. */
function encodeCounts(
  def: SunspecModelDef,
  values: SunspecValues,
  options: EncodeOptions,
): CountLookup {
  const counts = new Map<SunspecGroupDef, number>();
  const longest = new Map<SunspecGroupDef, number>();
  const visit = (block: SunspecBlockDef, v: SunspecValues | undefined): void => {
    for (const g of block.groups) {
      const instances = v?.groups?.[g.name] ?? [];
      longest.set(g, Math.max(longest.get(g) ?? 0, instances.length));
      for (const instance of instances) visit(g, instance);
    }
  };
  visit(def, values);
  const filler = fillerGroup(def);
  if (options.repeats !== undefined && !filler)
    throw new RangeError(`model ${def.id} has no group that repeats to fill L`);
  for (const [g, n] of longest) {
    if (g === filler) counts.set(g, options.repeats ?? n);
    if (typeof g.count !== 'string') continue;
    const given = values.points?.[g.count];
    counts.set(g, typeof given === 'number' ? given : n);
  }
  return (g) => counts.get(g) ?? fixedCount(g) ?? 0;
}

/** Count points left out get the number of repeats, so the image is self-consistent. */
function withCountPoints(def: SunspecModelDef, values: SunspecValues, counts: CountLookup): Points {
  const points: Record<string, SunspecInput | undefined> = { ...values.points };
  const filler = fillerGroup(def);
  const walk = (block: SunspecBlockDef): void => {
    for (const g of block.groups) {
      if (typeof g.count === 'string' && !has(points, g.count)) points[g.count] = counts(g);
      walk(g);
    }
  };
  walk(def);
  // Models such as 160 carry the number of repeats in a `count` point as well.
  const countPoint = def.points.find((p) => p.type === 'count');
  if (filler && countPoint && !has(points, countPoint.name))
    points[countPoint.name] = counts(filler);
  return points;
}

/**
 * Encodes a model body (without the ID/L header) of exactly the length the values
 * need. Missing or null points get their "not implemented" sentinel; scale-factor points
 * left out take `options.scaleFactors`, else 0, so scaled values need no boilerplate.
 * Throws RangeError on values that do not fit.
 */
export function encodeModel(
  def: SunspecModelDef,
  values: SunspecValues,
  options: EncodeOptions = {},
): Uint16Array {
  const counts = encodeCounts(def, values, options);
  const top: SunspecValues = {
    points: withCountPoints(def, values, counts),
    groups: values.groups ?? {},
  };
  const words = new Uint16Array(instanceLengthRegs(def, counts) as number);
  const sfFor = (
    name: string,
    local: Points | undefined,
    block: SunspecBlockDef,
  ): number | null => {
    const source = block.points.some((p) => p.name === name) ? local : top.points;
    const given = has(source, name) ? source?.[name] : options.scaleFactors?.[name];
    if (given === undefined) return 0;
    return typeof given === 'number' ? given : null;
  };
  const encodeBlock = (
    block: SunspecBlockDef,
    v: SunspecValues,
    base: number,
    where: string,
  ): void => {
    checkNames(def, block, v, where);
    for (const point of block.points) {
      const value =
        point.type === 'sunssf' && !has(v.points, point.name)
          ? sfFor(point.name, v.points, block)
          : v.points?.[point.name];
      const sf = typeof point.sf === 'string' ? sfFor(point.sf, v.points, block) : null;
      const encoded = encodePointValue(point, value, sf, `model ${def.id} ${where}${point.name}`);
      if (!encoded.ok) throw new RangeError(encoded.error.message);
      words.set(encoded.value, base + point.offset);
    }
    let cursor = base + ownLengthRegs(block);
    for (const g of block.groups) {
      const n = counts(g) ?? 0;
      const length = instanceLengthRegs(g, counts) as number;
      const instances = v.groups?.[g.name] ?? [];
      if (instances.length > n)
        throw new RangeError(
          `model ${def.id}: ${instances.length} ${where}${g.name} given, count is ${n}`,
        );
      for (let i = 0; i < n; i++)
        encodeBlock(g, instances[i] ?? {}, cursor + i * length, `${where}${g.name}[${i}].`);
      cursor += n * length;
    }
  };
  encodeBlock(def, top, 0, '');
  return words;
}

export interface PointWrite {
  /** Body-relative offset: add the model's address + 2 for the register address. */
  readonly offset: number;
  readonly words: Uint16Array;
}

/**
 * Words to write one point. `sfValue` is the device's current value of the point's SF
 * point. `groupIndex` selects the instance for points inside groups ("module.DCA");
 * `counts` gives count-point values (e.g. { NCrv: 3, NPt: 4 }) for models whose group
 * positions depend on them.
 */
export function encodePointWrite(
  def: SunspecModelDef,
  pointName: string,
  value: SunspecInput,
  sfValue: number | null,
  groupIndex: number | readonly number[] = [],
  counts: Readonly<Record<string, number>> = {},
): Result<PointWrite, SunspecError> {
  const lookup: CountLookup = (g) =>
    // The L-filling group is last, so its repeats never move other registers.
    g.count === 0
      ? Number.MAX_SAFE_INTEGER
      : typeof g.count === 'string'
        ? counts[g.count]
        : g.count;
  const indices = typeof groupIndex === 'number' ? [groupIndex] : groupIndex;
  const located = locatePoint(def, pointName, indices, lookup);
  if (!located.ok) return located;
  const { point, offset, label } = located.value;
  if (point.access !== 'rw') {
    return fail(
      sunspecError('read_only', `model ${def.id}: ${label} is read-only`, { modelId: def.id }),
    );
  }
  const encoded = encodePointValue(point, value, sfValue, `model ${def.id} ${label}`);
  if (!encoded.ok) return fail({ ...encoded.error, modelId: def.id });
  return ok({ offset, words: Uint16Array.from(encoded.value) });
}

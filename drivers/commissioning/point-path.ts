// Naming one point of a model as a technician types it: "WMaxLimPct", or "module[1].DCA"
// for a point inside a repeating group. Resolved against the model table alone, so that
// unknown and read-only points are refused before anything is sent to a device.
import { fail, ok, type Result } from '../../core/result';
import type { SunspecBlockDef, SunspecModelDef, SunspecPointDef } from '../sunspec/model-types';
import { commissioningError, type CommissioningError } from './commissioning-error';

export interface PointPath {
  /** Group and point names without indices, e.g. "module.DCA" (what locatePoint takes). */
  path: string;
  /** One index per group on the path. */
  groupIndex: number[];
  /** As written back for people: "module[1].DCA". */
  label: string;
}

export interface ResolvedPoint extends PointPath {
  point: SunspecPointDef;
  /** The model or group the point sits in (its scale factor may live there). */
  block: SunspecBlockDef;
}

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d{1,5})\])?$/;
const MAX_LISTED = 12;

const unknown = (message: string) => fail(commissioningError('unknown_point', message));

export function parsePointPath(text: string): Result<PointPath, CommissioningError> {
  const names: string[] = [];
  const groupIndex: number[] = [];
  const segments = text.trim().split('.');
  for (const [i, segment] of segments.entries()) {
    const match = SEGMENT.exec(segment);
    const last = i === segments.length - 1;
    if (!match || (last && match[2] !== undefined) || (!last && match[2] === undefined)) {
      return unknown(
        `"${text}" is not a point name; write e.g. WMaxLimPct, or module[0].DCA inside a repeating group`,
      );
    }
    names.push(match[1]!);
    if (!last) groupIndex.push(Number(match[2]));
  }
  const label = names.map((n, i) => (i < groupIndex.length ? `${n}[${groupIndex[i]}]` : n));
  return ok({ path: names.join('.'), groupIndex, label: label.join('.') });
}

function writableNames(block: SunspecBlockDef): string {
  const names = block.points.filter((p) => p.access === 'rw').map((p) => p.name);
  if (names.length === 0) return 'it has no writable points';
  const listed = names.slice(0, MAX_LISTED).join(', ');
  return `writable: ${listed}${names.length > MAX_LISTED ? ', …' : ''}`;
}

/** The point's definition, or why there is none. Read-only points resolve too. */
export function resolvePoint(
  def: SunspecModelDef,
  text: string,
): Result<ResolvedPoint, CommissioningError> {
  const parsed = parsePointPath(text);
  if (!parsed.ok) return parsed;
  const names = parsed.value.path.split('.');
  const pointName = names.pop() as string;
  let block: SunspecBlockDef = def;
  for (const name of names) {
    const group: SunspecBlockDef | undefined = block.groups.find((g) => g.name === name);
    if (!group) return unknown(`model ${def.id} (${def.name}) has no group ${name}`);
    block = group;
  }
  const point = block.points.find((p) => p.name === pointName);
  if (!point) {
    // A top-level name that lives in a group: say so rather than "no such point".
    const inGroup = def.groups.find((g) => g.points.some((p) => p.name === pointName));
    const hint = inGroup
      ? `it is in the repeating group ${inGroup.name}: write ${inGroup.name}[0].${pointName}`
      : writableNames(block);
    return unknown(`model ${def.id} (${def.name}) has no point ${parsed.value.label} (${hint})`);
  }
  return ok({ ...parsed.value, point, block });
}

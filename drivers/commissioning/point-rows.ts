// A decoded model as a flat list of rows for people and scripts: one row per point and
// group instance ("module[1].DCA"), scaled values with their units, and enum and bitfield
// values named by their symbols. Pads carry nothing and are left out.
import type {
  DecodedGroup,
  DecodedModel,
  SunspecBlockDef,
  SunspecModelDef,
  SunspecPointDef,
  SunspecValue,
} from '../sunspec/model-types';

export interface PointRow {
  /** Point name with group instances, e.g. "W" or "module[1].DCA". */
  path: string;
  /** Scaled value; null when the device does not implement the point. */
  value: SunspecValue;
  units: string | null;
  type: SunspecPointDef['type'];
  access: 'r' | 'rw';
  /** Enum: the symbol of the value; bitfield: the symbols of the bits set, "+"-joined. */
  symbol: string | null;
}

/** Symbol name(s) for an enum or bitfield value, null when none applies. */
export function symbolOf(point: SunspecPointDef, value: SunspecValue): string | null {
  if (typeof value !== 'number' || !point.symbols) return null;
  const entries = Object.entries(point.symbols);
  if (point.type === 'enum16' || point.type === 'enum32')
    return entries.find(([, v]) => v === value)?.[0] ?? null;
  if (point.type === 'bitfield16' || point.type === 'bitfield32') {
    // Bit numbers up to 31: test with division, since `1 << 31` is negative in JS.
    const set = entries.filter(([, bit]) => Math.floor(value / 2 ** bit) % 2 === 1);
    return set.length > 0 ? set.map(([name]) => name).join('+') : null;
  }
  return null;
}

function blockRows(block: SunspecBlockDef, decoded: DecodedGroup, prefix: string): PointRow[] {
  const rows: PointRow[] = [];
  for (const point of block.points) {
    if (point.type === 'pad') continue;
    const value = decoded.points[point.name] ?? null;
    rows.push({
      path: prefix + point.name,
      value,
      units: point.units,
      type: point.type,
      access: point.access,
      symbol: symbolOf(point, value),
    });
  }
  for (const group of block.groups) {
    const instances = decoded.groups[group.name] ?? [];
    instances.forEach((instance, i) =>
      rows.push(...blockRows(group, instance, `${prefix}${group.name}[${i}].`)),
    );
  }
  return rows;
}

export function modelRows(def: SunspecModelDef, decoded: DecodedModel): PointRow[] {
  return blockRows(def, decoded, '');
}

/** The value at `path` ("W", "module.DCA") and group indices in a decoded model. */
export function valueAt(
  decoded: DecodedModel,
  path: string,
  groupIndex: readonly number[],
): SunspecValue {
  const segments = path.split('.');
  const name = segments.pop() as string;
  let block: DecodedGroup | undefined = decoded;
  segments.forEach((group, level) => {
    block = block?.groups[group]?.[groupIndex[level] ?? 0];
  });
  return (block as DecodedGroup | undefined)?.points[name] ?? null;
}

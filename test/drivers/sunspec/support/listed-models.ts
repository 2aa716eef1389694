// Every SunSpec model issue 3 lists as needed by a microgrid, with plain deterministic
// values in each point (and two instances of each repeating group), for wire tests.
import type { ImageModelSpec } from '../../../../drivers/sunspec/device-image';
import { getModelDef } from '../../../../drivers/sunspec/model-table';
import type {
  SunspecBlockDef,
  SunspecInput,
  SunspecValues,
} from '../../../../drivers/sunspec/model-types';

export const LISTED_MODEL_IDS = [
  1, 101, 102, 103, 111, 112, 113, 120, 121, 122, 123, 124, 160, 201, 202, 203, 204, 211, 212, 213,
  214, 701, 702, 703, 704, 705, 713, 714, 802,
] as const;

const COUNT_INSTANCES = 2;

function pointValue(
  type: string,
  symbols: Readonly<Record<string, number>> | null,
  seed: number,
): SunspecInput | undefined {
  switch (type) {
    case 'int16':
    case 'int32':
    case 'int64':
      return ((seed * 37) % 2000) - 1000;
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return (seed * 53) % 30000;
    case 'acc16':
    case 'acc32':
    case 'acc64':
      return 1 + ((seed * 71) % 30000);
    case 'enum16':
    case 'enum32':
      return symbols ? Object.values(symbols)[seed % Object.values(symbols).length] : 1;
    case 'bitfield16':
    case 'bitfield32':
      return 5;
    case 'float32':
      return 1.5 * (seed % 7);
    case 'float64':
      return 2.25 * (seed % 5);
    case 'string':
      return `S${seed}`;
    case 'sunssf':
      return 0;
    default:
      return undefined; // count (derived from instances), pad, addresses: left unset
  }
}

/** Points that hold a group's instance count: the encoder sets them from the instances. */
function countPoints(block: SunspecBlockDef): Set<string> {
  const names = new Set<string>();
  const visit = (b: SunspecBlockDef): void =>
    b.groups.forEach((g) => {
      if (typeof g.count === 'string') names.add(g.count);
      visit(g);
    });
  visit(block);
  return names;
}

function valuesFor(
  block: SunspecBlockDef,
  seed: number,
  counts = countPoints(block),
): SunspecValues {
  const points: Record<string, SunspecInput> = {};
  block.points.forEach((p, i) => {
    if (counts.has(p.name)) return;
    const v = pointValue(p.type, p.symbols, seed + i);
    if (v !== undefined) points[p.name] = v;
  });
  const groups: Record<string, SunspecValues[]> = {};
  for (const g of block.groups) {
    const n = typeof g.count === 'number' && g.count > 0 ? g.count : COUNT_INSTANCES;
    groups[g.name] = Array.from({ length: n }, (_, k) =>
      valuesFor(g, seed + 100 * (k + 1), counts),
    );
  }
  return { points, groups };
}

export function listedModelSpecs(): ImageModelSpec[] {
  return LISTED_MODEL_IDS.map((id, i) => {
    const def = getModelDef(id);
    if (!def) throw new Error(`model ${id} missing from resources/sunspec/models.json`);
    const fills = def.groups.some((g) => g.count === 0);
    return { id, values: valuesFor(def, i + 1), ...(fills ? { repeats: COUNT_INSTANCES } : {}) };
  });
}

// Which registers of a simulated SunSpec device accept writes, and what a write touched.
// A real device refuses writes to read-only registers and to half of a 32-bit value;
// the simulator does the same, so the station's write path is tested against refusals.
import { exceptionError, type ModbusError } from '../modbus/unit-client';
import { forEachPoint, type CountLookup } from './layout';
import type { SunspecModelDef, SunspecPointDef } from './model-types';

export interface WritablePoint {
  readonly modelIndex: number;
  readonly point: SunspecPointDef;
  /** Group path and point name, e.g. "Crv.Pt.V". */
  readonly path: string;
  readonly groupIndex: readonly number[];
  /** Index into the image words of the point's first register. */
  readonly start: number;
}

export interface PlacedModel {
  readonly def: SunspecModelDef | null;
  readonly counts: CountLookup | null;
  /** Index into the image words of the model's first body register. */
  readonly bodyStart: number;
}

/** Count points stay read-only in a simulator: changing one would re-shape the model. */
function countPointNames(def: SunspecModelDef): Set<string> {
  const names = new Set<string>();
  const walk = (groups: SunspecModelDef['groups']): void => {
    for (const g of groups) {
      if (typeof g.count === 'string') names.add(g.count);
      walk(g.groups);
    }
  };
  walk(def.groups);
  return names;
}

export function buildWriteMap(
  models: readonly PlacedModel[],
  imageRegs: number,
): (WritablePoint | undefined)[] {
  const map = new Array<WritablePoint | undefined>(imageRegs);
  models.forEach((m, modelIndex) => {
    if (!m.def || !m.counts) return;
    const counters = countPointNames(m.def);
    forEachPoint(m.def, m.counts, ({ point, offset, path, groupIndex }) => {
      if (point.access !== 'rw' || (groupIndex.length === 0 && counters.has(point.name))) return;
      const start = m.bodyStart + offset;
      map[start] = { modelIndex, point, path, groupIndex, start };
    });
  });
  return map;
}

const refuse = (exceptionCode: number, detail: string): ModbusError => {
  const error = exceptionError(exceptionCode);
  return { ...error, message: `${error.message}: ${detail}` };
};

/**
 * The points a write of `values` at image index `start` covers, or the Modbus exception
 * a device would answer: illegal address for read-only or partial points, illegal value
 * for an enum value the model does not define.
 */
export function pointsForWrite(
  map: readonly (WritablePoint | undefined)[],
  start: number,
  values: ArrayLike<number>,
  addressOf: (index: number) => number,
): WritablePoint[] | ModbusError {
  const covered: WritablePoint[] = [];
  let index = start;
  while (index < start + values.length) {
    const target = map[index];
    if (!target)
      return refuse(2, `register ${addressOf(index)} is not the start of a writable point`);
    if (index + target.point.size > start + values.length) {
      return refuse(2, `the write ends inside ${target.path} (${target.point.size} registers)`);
    }
    const { symbols, type } = target.point;
    if (symbols && (type === 'enum16' || type === 'enum32')) {
      const offset = index - start;
      const raw =
        type === 'enum16' ? values[offset]! : values[offset]! * 0x10000 + values[offset + 1]!;
      if (!Object.values(symbols).includes(raw)) {
        return refuse(
          3,
          `${raw} is not a value of ${target.path} (${Object.entries(symbols)
            .map(([k, v]) => `${v}=${k}`)
            .join(', ')})`,
        );
      }
    }
    covered.push(target);
    index += target.point.size;
  }
  return covered;
}

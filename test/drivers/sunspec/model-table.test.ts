// The shipped model table against the official SunSpec definitions it was generated
// from, and the loader's refusal of a corrupt table.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import rawTable from '../../../resources/sunspec/models.json';
import { allModelIds, getModelDef, parseModelTable } from '../../../drivers/sunspec/model-table';
import type { SunspecBlockDef, SunspecGroupDef } from '../../../drivers/sunspec/model-types';

// The reference lives next to the checkout (../shared), which CI may not have.
const referenceDir = resolve(__dirname, '../../../../shared/reference/sunspec-models/json');
const haveReference = existsSync(referenceDir);

interface RefPoint {
  name: string;
  type: string;
  size: number;
  sf?: string | number;
  units?: string;
  access?: string;
  mandatory?: string;
  symbols?: { name: string; value: number }[];
}
interface RefGroup {
  name: string;
  count?: number | string;
  type?: string;
  points: RefPoint[];
  groups?: RefGroup[];
}

function compareBlock(
  ours: SunspecBlockDef,
  ref: RefGroup,
  refPoints: RefPoint[],
  where: string,
): void {
  let offset = 0;
  expect(
    ours.points.map((p) => p.name),
    `${where} point names`,
  ).toEqual(refPoints.map((p) => p.name));
  ours.points.forEach((p, i) => {
    const r = refPoints[i]!;
    const at = `${where}.${p.name}`;
    expect(p.offset, `${at} offset`).toBe(offset);
    expect(
      {
        size: p.size,
        type: p.type,
        sf: p.sf,
        units: p.units,
        access: p.access,
        mandatory: p.mandatory,
      },
      at,
    ).toEqual({
      size: r.size,
      type: r.type,
      sf: r.sf ?? null,
      units: r.units || null,
      access: r.access === 'RW' ? 'rw' : 'r',
      mandatory: r.mandatory === 'M',
    });
    const symbols = r.symbols?.length
      ? Object.fromEntries(r.symbols.map((s) => [s.name, s.value]))
      : null;
    expect(p.symbols, `${at} symbols`).toEqual(symbols);
    offset += r.size;
  });
  if ('lengthRegs' in ours) expect(ours.lengthRegs, `${where} length`).toBe(offset);
  const refGroups = ref.groups ?? [];
  expect(
    ours.groups.map((g) => g.name),
    `${where} groups`,
  ).toEqual(refGroups.map((g) => g.name));
  ours.groups.forEach((g: SunspecGroupDef, i) => {
    const r = refGroups[i]!;
    expect(g.count, `${where}.${g.name} count`).toBe(r.count ?? 1);
    expect(g.sync, `${where}.${g.name} sync`).toBe(r.type === 'sync');
    compareBlock(g, r, r.points, `${where}.${g.name}`);
  });
}

/** Sizes of all points outside repeating groups: groups without a count occur once. */
function refFixedLength(points: RefPoint[], groups: RefGroup[] = []): number {
  const own = points.reduce((sum, p) => sum + p.size, 0);
  return groups.reduce((sum, g) => {
    const n = g.count === undefined ? 1 : typeof g.count === 'number' ? g.count : 0;
    return sum + n * refFixedLength(g.points, g.groups);
  }, own);
}

describe('models.json against the SunSpec reference', () => {
  it.skipIf(!haveReference)(
    'holds every reference model, point for point (skipped when ../shared is absent, e.g. in CI)',
    () => {
      const files = readdirSync(referenceDir).filter((f) => /^model_\d+\.json$/.test(f));
      const refIds = files.map((f) => Number(/\d+/.exec(f)![0])).sort((a, b) => a - b);
      expect(allModelIds()).toEqual(refIds);
      for (const file of files) {
        const ref = JSON.parse(readFileSync(join(referenceDir, file), 'utf8')) as {
          id: number;
          group: RefGroup & { label?: string };
        };
        const def = getModelDef(ref.id)!;
        expect(def.name).toBe(ref.group.name);
        expect(def.label).toBe(ref.group.label ?? ref.group.name);
        const [id, length, ...body] = ref.group.points;
        expect([id!.name, length!.name]).toEqual(['ID', 'L']);
        compareBlock(def, ref.group, body, `model ${ref.id}`);
        expect(def.fixedLengthRegs, `model ${ref.id} fixed length`).toBe(
          refFixedLength(body, ref.group.groups),
        );
      }
    },
  );
});

describe('model table', () => {
  it.each([
    [1, 66],
    [103, 50],
    [120, 26],
    [123, 24],
    [124, 24],
    [160, 8],
    [203, 105],
    [701, 153],
    [704, 65],
    [802, 62],
  ])('model %i has the fixed length L devices declare (%i)', (id, length) => {
    expect(getModelDef(id)?.fixedLengthRegs).toBe(length);
  });

  it('knows 112 models and nothing for unknown ids', () => {
    expect(allModelIds()).toHaveLength(112);
    expect(getModelDef(65000)).toBeUndefined();
  });

  it('describes control points with access, units and scale factors', () => {
    const wMaxLimPct = getModelDef(704)!.points.find((p) => p.name === 'WMaxLimPct');
    expect(wMaxLimPct).toMatchObject({
      access: 'rw',
      type: 'uint16',
      sf: 'WMaxLimPct_SF',
      units: 'Pct',
    });
    const storCtl = getModelDef(124)!.points.find((p) => p.name === 'StorCtl_Mod');
    // Spelled as in the SunSpec source: the table keeps facts verbatim.
    expect(storCtl?.symbols).toEqual({ CHARGE: 0, DiSCHARGE: 1 });
  });

  const table = rawTable as unknown as { models: Record<string, unknown>[] };
  const corrupt = (mutate: (model: Record<string, unknown>) => void) => {
    const copy = structuredClone(table) as { models: Record<string, unknown>[] };
    mutate(copy.models.find((m) => m.id === 103)!);
    return () => parseModelTable(copy);
  };
  const points = (m: Record<string, unknown>) => m.points as Record<string, unknown>[];

  it('parses the shipped table', () => {
    expect(parseModelTable(table).size).toBe(112);
  });

  it.each([
    [
      'a gap in the offsets',
      (m: Record<string, unknown>) => (points(m)[3]!.offset = 9),
      /models\[\d+\]\.points\[3\]\.offset: expected 3/,
    ],
    [
      'an unknown type',
      (m: Record<string, unknown>) => (points(m)[0]!.type = 'int24'),
      /unknown point type "int24"/,
    ],
    [
      'a size that does not match the type',
      (m: Record<string, unknown>) => (points(m)[22]!.size = 1),
      /acc32 takes 2 registers/,
    ],
    [
      'a missing scale-factor point',
      (m: Record<string, unknown>) => (points(m)[0]!.sf = 'Nope_SF'),
      /no sunssf point Nope_SF/,
    ],
    [
      'a wrong fixed length',
      (m: Record<string, unknown>) => (m.fixedLengthRegs = 49),
      /fixedLengthRegs: expected 50/,
    ],
  ])('throws a clear error on %s', (_what, mutate, message) => {
    expect(corrupt(mutate)).toThrow(message);
    expect(corrupt(mutate)).toThrow(/resources\/sunspec\/models\.json is corrupt/);
  });

  it('throws on a duplicate model id or an unknown file format', () => {
    const twice = { ...table, models: [...table.models, table.models[0]] };
    expect(() => parseModelTable(twice)).toThrow(/appears twice/);
    expect(() => parseModelTable({ ...table, format: 2 })).toThrow(/\$\.format: expected format 1/);
  });
});

// Generates resources/sunspec/models.json from the official SunSpec model definitions
// (SunSpec Alliance models repository, json/model_*.json, Apache-2.0).
//
//   npx tsx scripts/gen-sunspec-models.ts [path/to/sunspec-models/json]
//
// The output keeps only the facts the station needs to read and write registers; prose
// (descriptions, details, comments, point labels) stays in the reference repository. The
// file is deterministic (models sorted by id, points in register order, one point per
// line) so a regeneration shows up as a readable diff.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface RefSymbol {
  name: string;
  value: number;
}
interface RefPoint {
  name: string;
  type: string;
  size: number;
  sf?: string | number;
  units?: string;
  access?: string;
  mandatory?: string;
  symbols?: RefSymbol[];
}
interface RefGroup {
  name: string;
  label?: string;
  type?: string;
  count?: number | string;
  points: RefPoint[];
  groups?: RefGroup[];
}
interface RefModel {
  id: number;
  group: RefGroup;
}

/** One point as written to models.json; optional keys are omitted when at their default. */
interface OutPoint {
  name: string;
  offset: number;
  size: number;
  type: string;
  sf?: string | number;
  units?: string;
  access?: 'rw';
  mandatory?: true;
  symbols?: Record<string, number>;
}
interface OutGroup {
  name: string;
  count: number | string;
  lengthRegs: number;
  sync?: true;
  points: OutPoint[];
  groups?: OutGroup[];
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultSource = resolve(repoRoot, '../shared/reference/sunspec-models/json');
const outDir = join(repoRoot, 'resources/sunspec');

function convertPoints(
  points: readonly RefPoint[],
  where: string,
): { points: OutPoint[]; lengthRegs: number } {
  let offset = 0;
  const out: OutPoint[] = [];
  for (const p of points) {
    if (!Number.isInteger(p.size) || p.size <= 0)
      throw new Error(`${where}.${p.name}: bad size ${p.size}`);
    const point: OutPoint = { name: p.name, offset, size: p.size, type: p.type };
    if (p.sf !== undefined) point.sf = p.sf;
    if (p.units !== undefined && p.units !== '') point.units = p.units;
    // The reference marks writable points "RW"; absent or "R" means read-only.
    if (p.access === 'RW') point.access = 'rw';
    if (p.mandatory === 'M') point.mandatory = true;
    if (p.symbols && p.symbols.length > 0) {
      point.symbols = Object.fromEntries(p.symbols.map((s) => [s.name, s.value]));
    }
    out.push(point);
    offset += p.size;
  }
  return { points: out, lengthRegs: offset };
}

function convertGroup(g: RefGroup, where: string): OutGroup {
  const { points, lengthRegs } = convertPoints(g.points, where);
  // A group without `count` occurs exactly once (e.g. the "sync" pairs of model 704).
  const out: OutGroup = { name: g.name, count: g.count ?? 1, lengthRegs, points };
  if (g.type === 'sync') out.sync = true;
  if (g.groups && g.groups.length > 0)
    out.groups = g.groups.map((c) => convertGroup(c, `${where}.${c.name}`));
  return out;
}

/** Body length with every repeating group at zero repeats: the shortest legal L. */
function fixedLength(pointsLength: number, groups: readonly OutGroup[] | undefined): number {
  let total = pointsLength;
  for (const g of groups ?? []) {
    if (typeof g.count === 'number' && g.count > 0)
      total += g.count * fixedLength(g.lengthRegs, g.groups);
  }
  return total;
}

function convertModel(ref: RefModel) {
  const [idPoint, lengthPoint, ...body] = ref.group.points;
  if (idPoint?.name !== 'ID' || lengthPoint?.name !== 'L') {
    throw new Error(`model ${ref.id}: expected the ID and L header points first`);
  }
  // Offsets count from the first register after the 2-register ID/L header.
  const { points, lengthRegs } = convertPoints(body, `model_${ref.id}`);
  const groups = (ref.group.groups ?? []).map((g) => convertGroup(g, `model_${ref.id}.${g.name}`));
  return {
    id: ref.id,
    name: ref.group.name,
    label: ref.group.label ?? ref.group.name,
    fixedLengthRegs: fixedLength(lengthRegs, groups),
    points,
    groups,
  };
}

type OutModel = ReturnType<typeof convertModel>;

// One point per line: small enough to ship, readable enough to review in a diff.
function serialise(models: readonly OutModel[]): string {
  const lines: string[] = [
    '{"format":1,"source":"SunSpec Alliance models repository, json/model_*.json (Apache-2.0)","models":[',
  ];
  const group = (g: OutGroup | OutModel, indent: string): string[] => {
    const { points, groups, ...head } = g;
    const out = [`${indent}${JSON.stringify(head).slice(0, -1)},"points":[`];
    points.forEach((p, i) =>
      out.push(`${indent} ${JSON.stringify(p)}${i < points.length - 1 ? ',' : ''}`),
    );
    const children = groups ?? [];
    if (children.length === 0) {
      out.push(`${indent}]}`);
      return out;
    }
    out.push(`${indent}],"groups":[`);
    children.forEach((c, i) => {
      const block = group(c, `${indent} `);
      if (i < children.length - 1) block[block.length - 1] += ',';
      out.push(...block);
    });
    out.push(`${indent}]}`);
    return out;
  };
  models.forEach((m, i) => {
    const block = group(m, '');
    if (i < models.length - 1) block[block.length - 1] += ',';
    lines.push(...block);
  });
  lines.push(']}');
  return lines.join('\n') + '\n';
}

function main(): void {
  const source = resolve(process.argv[2] ?? defaultSource);
  const files = readdirSync(source).filter((f) => /^model_\d+\.json$/.test(f));
  if (files.length === 0) throw new Error(`no model_*.json files in ${source}`);
  const models = files
    .map((f) => {
      const ref = JSON.parse(readFileSync(join(source, f), 'utf8')) as RefModel;
      if (`model_${ref.id}.json` !== f) throw new Error(`${f}: declares id ${ref.id}`);
      return convertModel(ref);
    })
    .sort((a, b) => a.id - b.id);
  mkdirSync(outDir, { recursive: true });
  const text = serialise(models);
  JSON.parse(text); // the hand-built layout must still be valid JSON
  writeFileSync(join(outDir, 'models.json'), text);
  console.log(
    `wrote ${models.length} models (${(text.length / 1024).toFixed(0)} KiB) to resources/sunspec/models.json`,
  );
}

main();

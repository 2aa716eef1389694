// The checks of a profile that need more than one field, and turning a checked profile
// into resolved points (defaults applied). Run after the field shapes passed.
import { POINT_UNITS } from '../../core/points/point-names';
import { encodePoint } from './point-codec';
import type { PointInput, ProfileInput } from './profile-schema';
import {
  IDENTITY_POINTS,
  REGISTER_SIZE,
  type DeviceProfile,
  type ProfilePoint,
  type ReadFunction,
} from './profile-types';

export interface ProfileIssue {
  path: (string | number)[];
  message: string;
}

/** Where Modicon 1-based numbering starts each table (30001 = input register 0). */
const MODICON_BASE: Record<ReadFunction, number> = { 1: 0, 2: 10000, 3: 40000, 4: 30000 };

const isCanonical = (name: string): name is keyof typeof POINT_UNITS => name in POINT_UNITS;

function pointSize(p: PointInput): number {
  if (p.type === 'bool') return 1;
  if (p.type === 'string') return p.length ?? 1;
  return REGISTER_SIZE[p.type];
}

function pointFunction(p: PointInput, defaults: ProfileInput['defaults']): ReadFunction {
  return p.function ?? (p.type === 'bool' ? 1 : defaults.function);
}

export function resolvePoint(p: PointInput, defaults: ProfileInput['defaults']): ProfilePoint {
  return {
    name: p.name,
    canonical: isCanonical(p.name),
    ...(p.description === undefined ? {} : { description: p.description }),
    address: p.address,
    function: pointFunction(p, defaults),
    type: p.type,
    size: pointSize(p),
    wordOrder: p.wordOrder ?? defaults.wordOrder,
    byteOrder: p.byteOrder ?? defaults.byteOrder,
    scale: p.scale ?? 1,
    offset: p.offset ?? 0,
    sign: p.sign ?? 'as-is',
    unit: p.unit ?? (isCanonical(p.name) ? POINT_UNITS[p.name] : ''),
    poll: p.poll ?? 'fast',
    nullRaw: p.nullRaw ?? [],
    writable: p.writable ?? null,
  };
}

export function resolveProfile(input: ProfileInput): DeviceProfile {
  const { schemaVersion: _version, points, ...rest } = input;
  return { ...rest, points: points.map((p) => resolvePoint(p, input.defaults)) };
}

export function checkProfile(profile: ProfileInput): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const names = new Map<string, number>();
  profile.points.forEach((p, i) => {
    const issue = (field: string, message: string): void =>
      void issues.push({ path: ['points', i, field], message });
    checkKind(p, profile.defaults, issue);
    checkName(p, issue);
    const first = names.get(p.name);
    if (first !== undefined) issue('name', `duplicate point name (also points[${first}])`);
    else names.set(p.name, i);
    checkPlace(p, profile, issue);
    checkWritable(p, profile.defaults, issue);
  });
  issues.push(...overlaps(profile));
  const roles = new Set<string>();
  profile.roles.forEach((role, i) => {
    if (roles.has(role)) issues.push({ path: ['roles', i], message: `duplicate role "${role}"` });
    roles.add(role);
  });
  return issues;
}

type Report = (field: string, message: string) => void;

function checkKind(p: PointInput, defaults: ProfileInput['defaults'], issue: Report): void {
  const numericOnly = ['scale', 'offset', 'sign', 'nullRaw'] as const;
  if (p.type === 'bool') {
    if (p.function !== 1 && p.function !== 2)
      issue('function', 'a bool needs function 1 (coil) or 2 (discrete input)');
    for (const field of [...numericOnly, 'length', 'wordOrder', 'byteOrder'] as const)
      if (p[field] !== undefined) issue(field, 'does not apply to a bool');
    return;
  }
  const fc = pointFunction(p, defaults);
  if (fc === 1 || fc === 2)
    issue('function', `a ${p.type} lives in registers: use function 3 or 4`);
  if (p.type === 'string') {
    if (p.length === undefined) issue('length', 'a string needs its length in registers');
    for (const field of numericOnly)
      if (p[field] !== undefined) issue(field, 'does not apply to a string');
  } else if (p.length !== undefined) {
    issue('length', `only strings have a length (a ${p.type} has ${REGISTER_SIZE[p.type]})`);
  }
}

function checkName(p: PointInput, issue: Report): void {
  if (isCanonical(p.name)) {
    const unit = POINT_UNITS[p.name];
    if (p.type === 'string' || p.type === 'bool')
      issue('type', `${p.name} is a number: use a numeric type`);
    if (p.unit !== unit)
      issue(
        'unit',
        `${p.name} is in ${unit}` +
          (p.unit ? `, not ${p.unit} (convert with scale, e.g. 1000 for kWh → Wh)` : ''),
      );
  } else if ((IDENTITY_POINTS as readonly string[]).includes(p.name)) {
    if (p.type === 'bool') issue('type', `${p.name} is text or a number, not a bool`);
  } else if (p.type !== 'string' && p.type !== 'bool' && !p.unit) {
    issue('unit', 'a numeric extra needs its unit, e.g. "W" (use "1" for a plain count)');
  }
}

function checkPlace(p: PointInput, profile: ProfileInput, issue: Report): void {
  const size = pointSize(p);
  const fc = pointFunction(p, profile.defaults);
  if (p.address + size > 0x10000) issue('address', 'the point runs past address 65535');
  if (p.type !== 'bool' && size > profile.defaults.maxReadRegisters)
    issue(
      p.type === 'string' ? 'length' : 'type',
      `needs ${size} registers, more than one read may fetch (defaults.maxReadRegisters ${profile.defaults.maxReadRegisters})`,
    );
  if (p.manualRegister === undefined) return;
  const base = MODICON_BASE[fc];
  const expected =
    profile.source.addressing === '1-based'
      ? p.manualRegister - (p.manualRegister > base ? base : 0) - 1
      : p.manualRegister - (base > 0 && p.manualRegister >= base ? base : 0);
  if (expected !== p.address)
    issue(
      'address',
      `manualRegister ${p.manualRegister} (${profile.source.addressing} source) is wire address ${expected}, not ${p.address}`,
    );
}

function checkWritable(p: PointInput, defaults: ProfileInput['defaults'], issue: Report): void {
  if (!p.writable) return;
  const fc = pointFunction(p, defaults);
  if (fc === 2 || fc === 4)
    return issue('writable', `function ${fc} is read-only (input registers, discrete inputs)`);
  if (p.type === 'string') return issue('writable', 'text points are not writable');
  if (p.type === 'bool') return;
  const { min, max } = p.writable;
  if (min > max) return issue('writable', `min ${min} is above max ${max}`);
  const point = resolvePoint({ ...p, writable: undefined }, defaults);
  for (const [field, value] of [
    ['min', min],
    ['max', max],
  ] as const) {
    const encoded = encodePoint(point, value, false);
    if (!encoded.ok) issue('writable', `${field}: ${encoded.error.message}`);
  }
}

function overlaps(profile: ProfileInput): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const placed = profile.points
    .map((p, index) => ({
      index,
      name: p.name,
      fc: pointFunction(p, profile.defaults),
      start: p.address,
      end: p.address + pointSize(p),
    }))
    .sort((a, b) => a.fc - b.fc || a.start - b.start);
  // Compare with the point reaching furthest so far: a long one may cover several after it.
  let reach: (typeof placed)[number] | undefined;
  for (const cur of placed) {
    if (reach && reach.fc === cur.fc && cur.start < reach.end)
      issues.push({
        path: ['points', cur.index, 'address'],
        message: `overlaps points[${reach.index}] (${reach.name}, function ${reach.fc}, ${reach.start}–${reach.end - 1})`,
      });
    if (!reach || reach.fc !== cur.fc || cur.end > reach.end) reach = cur;
  }
  return issues;
}

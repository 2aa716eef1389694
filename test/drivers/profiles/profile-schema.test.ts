// A broken profile must be refused with a message naming the file and the field, so a
// technician can fix it without reading code. Bad input never throws.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLabel, loadProfile, loadProfiles } from '../../../drivers/profiles/profile-loader';
import { parseProfile, parseProfileJson } from '../../../drivers/profiles/profile-schema';
import { useTempDirs } from '../../support/temp-dir';
import { profileJson } from './support/profiles';

const tempDir = useTempDirs('mg-profiles-');

const GOOD = [
  { name: 'powerW', address: 0, type: 'int16', unit: 'W' },
  { name: 'socPct', address: 1, type: 'uint16', unit: '%', scale: 0.1 },
  { name: 'energyImportWh', address: 2, type: 'uint32', unit: 'Wh', scale: 1000, poll: 'slow' },
  { name: 'serialNumber', address: 10, type: 'string', length: 4, poll: 'slow' },
  { name: 'relayClosed', address: 0, function: 1, type: 'bool', writable: { min: 0, max: 1 } },
];

/** The first problem's message for a document with one point (index 3) replaced. */
function problemWith(point: Record<string, unknown> | null, overrides = {}): string {
  const points: any[] = structuredClone(GOOD);
  if (point) points[3] = point;
  const parsed = parseProfile(profileJson(points, overrides), 'resources/profiles/x.json');
  if (parsed.ok) throw new Error('expected the profile to be refused');
  return parsed.error.message;
}

describe('parseProfile', () => {
  it('accepts a good profile and applies the defaults', () => {
    const parsed = parseProfile(profileJson(GOOD), 'x.json');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [power, soc, , serial, relay] = parsed.value.points;
    expect(power).toMatchObject({
      function: 3,
      size: 1,
      wordOrder: 'big',
      scale: 1,
      sign: 'as-is',
      poll: 'fast',
      canonical: true,
    });
    expect(soc).toMatchObject({ scale: 0.1, unit: '%' });
    expect(serial).toMatchObject({ size: 4, canonical: false, poll: 'slow' });
    expect(relay).toMatchObject({ function: 1, size: 1, type: 'bool' });
  });

  it.each([
    [{ name: 'x1', address: 20, type: 'int24', unit: 'W' }, 'points[3].type: Invalid option'],
    [
      { name: 'powerW', address: 20, type: 'int16', unit: 'kW' },
      'points[3].unit: powerW is in W, not kW',
    ],
    [
      { name: 'frequencyHz', address: 20, type: 'string', length: 2, unit: 'Hz' },
      'points[3].type: frequencyHz is a number',
    ],
    [
      { name: 'extraW', address: 1, type: 'int16', unit: 'W' },
      'points[3].address: overlaps points[1] (socPct',
    ],
    [
      { name: 'extraW', address: 65535, type: 'int32', unit: 'W' },
      'points[3].address: the point runs past address 65535',
    ],
    [
      { name: 'extraW', address: 70000, type: 'int16', unit: 'W' },
      'points[3].address: must be 0–65535',
    ],
    [{ name: 'label', address: 20, type: 'string' }, 'points[3].length: a string needs its length'],
    [{ name: 'label', address: 20, type: 'string', length: 200 }, 'points[3].length: Too big'],
    [
      { name: 'extraW', address: 20, type: 'int16', length: 2, unit: 'W' },
      'points[3].length: only strings have a length',
    ],
    [
      { name: 'extraW', address: 20, type: 'int16' },
      'points[3].unit: a numeric extra needs its unit',
    ],
    [
      { name: 'Extra W', address: 20, type: 'int16', unit: 'W' },
      'points[3].name: must be camelCase',
    ],
    [
      { name: 'powerW', address: 20, type: 'int16', unit: 'W' },
      'points[3].name: duplicate point name (also points[0])',
    ],
    [{ name: 'flag', address: 20, type: 'bool' }, 'points[3].function: a bool needs function 1'],
    [
      { name: 'flag', address: 20, function: 2, type: 'bool', scale: 2 },
      'points[3].scale: does not apply to a bool',
    ],
    [
      { name: 'extraW', address: 20, function: 2, type: 'int16', unit: 'W' },
      'points[3].function: a int16 lives in registers',
    ],
    [
      { name: 'extraW', address: 20, type: 'int16', unit: 'W', scale: 0 },
      'points[3].scale: must not be 0',
    ],
    [
      {
        name: 'extraW',
        address: 20,
        function: 4,
        type: 'int16',
        unit: 'W',
        writable: { min: 0, max: 1 },
      },
      'points[3].writable: function 4 is read-only',
    ],
    [
      {
        name: 'extraW',
        address: 20,
        type: 'uint16',
        unit: 'W',
        scale: 0.1,
        writable: { min: 0, max: 7000 },
      },
      'points[3].writable: max: extraW: 7000 does not fit a uint16',
    ],
    [
      { name: 'extraW', address: 20, type: 'int16', unit: 'W', writable: { min: 5, max: 1 } },
      'points[3].writable: min 5 is above max 1',
    ],
    [
      { name: 'extraW', address: 20, type: 'int16', unit: 'W', colour: 'red' },
      'points[3]: Unrecognized key: "colour"',
    ],
  ])('refuses %j', (point, expected) => {
    expect(problemWith(point)).toContain(`resources/profiles/x.json: ${expected}`);
  });

  it('checks manual register numbers against wire addresses', () => {
    const oneBased = { source: { ...profileJson([]).source, addressing: '1-based' } };
    const input = {
      name: 'extraW',
      address: 52,
      manualRegister: 30053,
      function: 4,
      type: 'float32',
      unit: 'W',
    };
    expect(parseProfile(profileJson([input], oneBased), 'x.json').ok).toBe(true);
    expect(problemWith({ ...input, address: 53 }, oneBased)).toContain(
      'points[3].address: manualRegister 30053 (1-based source) is wire address 52, not 53',
    );
    const holding = {
      name: 'extraW',
      address: 9,
      manualRegister: 40010,
      type: 'uint16',
      unit: 'W',
    };
    expect(parseProfile(profileJson([holding], oneBased), 'x.json').ok).toBe(true);
    expect(
      problemWith({ name: 'extraW', address: 841, manualRegister: 842, type: 'int16', unit: 'W' }),
    ).toContain('manualRegister 842 (0-based source) is wire address 842, not 841');
  });

  it('names problems outside the points too', () => {
    expect(problemWith(null, { schemaVersion: 2 })).toContain('x.json: schemaVersion: must be 1');
    expect(problemWith(null, { id: 'Bad_Id' })).toContain('x.json: id: must be kebab-case');
    expect(problemWith(null, { roles: ['toaster'] })).toContain('x.json: roles[0]: Invalid option');
    expect(problemWith(null, { roles: ['battery', 'battery'] })).toContain(
      'roles[1]: duplicate role',
    );
    expect(problemWith(null, { points: [] })).toContain('x.json: points: needs at least one point');
    const defaults = { ...profileJson([]).defaults, maxReadRegisters: 126 };
    expect(problemWith(null, { defaults })).toContain(
      'defaults.maxReadRegisters: must be at most 125',
    );
    const source = { ...profileJson([]).source, url: 'ftp://example.org/x' };
    expect(problemWith(null, { source })).toContain('source.url: must be an http(s) URL');
  });

  it('refuses a point bigger than one read of the device', () => {
    const defaults = { ...profileJson([]).defaults, maxReadRegisters: 2 };
    expect(
      problemWith({ name: 'label', address: 20, type: 'string', length: 3 }, { defaults }),
    ).toContain('points[3].length: needs 3 registers, more than one read may fetch');
  });

  it('counts further problems and never throws on junk', () => {
    const parsed = parseProfile({ points: 'many' }, 'x.json');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/\(and \d+ more\)$/);
    for (const junk of [null, 42, 'text', [], { points: [null] }])
      expect(parseProfile(junk, 'x.json').ok).toBe(false);
    expect(parseProfileJson('{ "id": ', 'x.json')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('x.json: not valid JSON') },
    });
  });
});

describe('loadProfile', () => {
  it('loads a file whose id is its name and names broken files and fields', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'test-device.json'), JSON.stringify(profileJson(GOOD)));
    const broken = profileJson(GOOD, { id: 'broken' });
    broken.points[2].type = 'uint33';
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    writeFileSync(join(dir, 'renamed.json'), JSON.stringify(profileJson(GOOD)));
    expect(loadProfile(dir, 'test-device')).toMatchObject({
      ok: true,
      value: { id: 'test-device' },
    });
    expect(loadProfile(dir, 'broken')).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_profile',
        message: expect.stringContaining(`${fileLabel(join(dir, 'broken.json'))}: points[2].type:`),
      },
    });
    expect(loadProfile(dir, 'renamed')).toMatchObject({
      ok: false,
      error: {
        message: expect.stringContaining('id: "test-device" must equal the file name "renamed"'),
      },
    });
    const all = loadProfiles(dir);
    expect(all.profiles.map((p) => p.id)).toEqual(['test-device']);
    expect(all.problems).toHaveLength(2);
  });

  it('reports unknown ids, and never builds a path from a bad one', () => {
    const dir = tempDir();
    expect(loadProfile(dir, 'nope')).toMatchObject({
      ok: false,
      error: {
        code: 'unknown_profile',
        message: expect.stringContaining('unknown device profile "nope"'),
      },
    });
    expect(loadProfile(dir, '../etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'unknown_profile' },
    });
    expect(loadProfiles(join(dir, 'missing'))).toEqual({ profiles: [], problems: [] });
  });
});

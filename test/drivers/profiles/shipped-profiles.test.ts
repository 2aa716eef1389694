// Every profile shipped in resources/profiles/ loads, and its map is sound: re-checked here
// independently of the validator, so a validator bug cannot let a broken map through.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POINT_UNITS } from '../../../core/points/point-names';
import { DEVICE_ROLES } from '../../../core/site/site-types';
import { decodeRegisters } from '../../../drivers/profiles/point-codec';
import { loadProfile, loadProfiles } from '../../../drivers/profiles/profile-loader';
import { planReads } from '../../../drivers/profiles/profile-read-plan';
import type { DeviceProfile } from '../../../drivers/profiles/profile-types';
import { PROJECT_ROOT } from '../../../electron/station/project-root';

const DIR = join(PROJECT_ROOT, 'resources', 'profiles');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const { profiles, problems } = loadProfiles(DIR);

function shipped(id: string): DeviceProfile {
  const loaded = loadProfile(DIR, id);
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value;
}

describe('shipped profiles', () => {
  it('all load without a problem', () => {
    expect(problems).toEqual([]);
    expect(profiles.map((p) => `${p.id}.json`)).toEqual([...FILES].sort());
    expect(FILES.length).toBeGreaterThanOrEqual(2);
  });

  for (const profile of profiles) {
    describe(profile.id, () => {
      it('names its source and serves known roles with canonical points', () => {
        expect(profile.source.url).toMatch(/^https?:\/\//);
        expect(profile.source.title.length).toBeGreaterThan(10);
        for (const role of profile.roles) expect(DEVICE_ROLES).toContain(role);
        expect(profile.points.some((p) => p.canonical)).toBe(true);
      });

      it('gives canonical points their station unit', () => {
        for (const p of profile.points.filter((q) => q.name in POINT_UNITS))
          expect(p.unit, p.name).toBe(POINT_UNITS[p.name as keyof typeof POINT_UNITS]);
      });

      it('has no two points sharing a register of one table, all within 16 bits', () => {
        const owner = new Map<string, string>();
        for (const p of profile.points) {
          expect(p.address + p.size, p.name).toBeLessThanOrEqual(0x10000);
          for (let a = p.address; a < p.address + p.size; a++) {
            const key = `${p.function}:${a}`;
            expect(owner.get(key), `${p.name} at FC${p.function} ${a}`).toBeUndefined();
            owner.set(key, p.name);
          }
        }
      });

      it('is read in blocks within 125 registers and the device limit', () => {
        expect(profile.defaults.maxReadRegisters).toBeLessThanOrEqual(125);
        for (const slow of [false, true]) {
          const points = profile.points.filter((p) => slow || p.poll === 'fast');
          const reads = planReads(points, profile.defaults);
          expect(reads.flatMap((r) => r.points).length).toBe(points.length);
          for (const read of reads) {
            expect(read.count).toBeLessThanOrEqual(profile.defaults.maxReadRegisters);
            for (const p of read.points) {
              expect(p.address).toBeGreaterThanOrEqual(read.address);
              expect(p.address + p.size).toBeLessThanOrEqual(read.address + read.count);
            }
          }
        }
      });
    });
  }
});

// Worked examples from raw words, as the devices send them.
describe('shipped profiles decode device words', () => {
  const at = (profile: DeviceProfile, name: string) => {
    const p = profile.points.find((q) => q.name === name);
    if (!p) throw new Error(`${profile.id} has no ${name}`);
    return p;
  };

  it('eastron-sdm630: float32 input registers, kWh counters as Wh', () => {
    const sdm = shipped('eastron-sdm630');
    expect(at(sdm, 'powerW')).toMatchObject({ address: 52, function: 4 });
    expect(decodeRegisters(at(sdm, 'powerW'), [0xc366, 0x8000])).toBe(-230.5); // exporting
    expect(decodeRegisters(at(sdm, 'voltageV'), [0x4366, 0x199a])).toBe(230.1);
    expect(decodeRegisters(at(sdm, 'energyImportWh'), [0x4640, 0xe6b6])).toBe(12_345_678);
  });

  it('eastron-sdm120: the same float32 encoding at its own addresses', () => {
    const sdm = shipped('eastron-sdm120');
    expect(at(sdm, 'powerW')).toMatchObject({ address: 12, function: 4 });
    expect(decodeRegisters(at(sdm, 'frequencyHz'), [0x4248, 0x0000])).toBe(50);
  });

  it('victron-gx-system: battery power inverted to > 0 discharge, SoC and deci-volts', () => {
    const gx = shipped('victron-gx-system');
    expect(gx.defaults.unitId).toBe(100);
    expect(decodeRegisters(at(gx, 'powerW'), [0xff38])).toBe(200); // GX: −200 W = discharging
    expect(decodeRegisters(at(gx, 'powerW'), [1500])).toBe(-1500); // charging
    expect(decodeRegisters(at(gx, 'socPct'), [87])).toBe(87);
    expect(decodeRegisters(at(gx, 'batteryVoltageV'), [523])).toBe(52.3);
    expect(decodeRegisters(at(gx, 'gridL1W'), [0xfc18])).toBe(-1000); // exporting on L1
  });
});

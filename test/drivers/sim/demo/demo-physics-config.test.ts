import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DemoPhysicsConfigError,
  parseDemoPhysicsConfig,
} from '../../../../drivers/sim/demo/demo-physics-config';
import { createDemoPhysics } from '../../../../drivers/sim/demo/demo-physics';
import { parseDemoResources } from '../../../../drivers/sim/demo/demo-resources';
import { RESOURCES_DIR, SUMMER_MS, demo } from './demo-fixture';

const physicsText = readFileSync(join(RESOURCES_DIR, 'demo-physics.json'), 'utf8');
const siteText = readFileSync(join(RESOURCES_DIR, 'demo-site.json'), 'utf8');
// Tests poke at arbitrary fields of the parsed file, which is what `any` is for.
type Json = Record<string, any>;
const physicsJson = (): Json => JSON.parse(physicsText);

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('demo physics file', () => {
  it('describes every PV inverter, household meter and the battery of the demo site', () => {
    const config = parseDemoPhysicsConfig(physicsJson());
    const kinds = Object.values(config.devices).map((d) => d.kind);
    expect(kinds.filter((k) => k === 'pv')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'household-load')).toHaveLength(12);
    expect(config.devices['community-battery']).toMatchObject({
      kind: 'battery',
      capacityWh: 100_000,
      maxChargeW: 50_000,
      maxDischargeW: 50_000,
    });
  });

  it.each([
    ['a derate above 1', (j: Json) => (j.devices['pv-01'].derate = 1.3), 'devices["pv-01"].derate'],
    [
      'a fractional watt rating',
      (j: Json) => (j.devices['pv-02'].ratedAcPowerW = 10.5),
      'devices["pv-02"].ratedAcPowerW',
    ],
    [
      'a missing capacity',
      (j: Json) => delete j.devices['community-battery'].capacityWh,
      'devices["community-battery"].capacityWh',
    ],
    [
      'an SoC window upside down',
      (j: Json) => (j.devices['community-battery'].minSocPct = 96),
      'devices["community-battery"].minSocPct',
    ],
    [
      'an unknown kind',
      (j: Json) => (j.devices['meter-01'].kind = 'heat-pump'),
      'devices["meter-01"].kind',
    ],
    [
      'a typo in a field name',
      (j: Json) => (j.devices['meter-01'].annualConsumptionKWh = 3),
      'devices["meter-01"]',
    ],
    [
      'a negative night load',
      (j: Json) => (j.communityLoads['co-op'].nightPowerW = -1),
      'communityLoads["co-op"].nightPowerW',
    ],
  ])('rejects %s, naming the field', (_what, mutate, path) => {
    const json = physicsJson();
    mutate(json);
    const error = errorOf(() => parseDemoPhysicsConfig(json));
    expect(error).toBeInstanceOf(DemoPhysicsConfigError);
    expect((error as DemoPhysicsConfigError).path).toBe(path);
    expect(error.message).toContain(path);
  });

  it('refuses physics that does not fit the site', () => {
    const withoutPv = physicsJson();
    delete withoutPv.devices['pv-04'];
    expect(errorOf(() => parseDemoResources(siteText, JSON.stringify(withoutPv))).message).toMatch(
      /devices\["pv-04"\].*missing "pv" physics/,
    );

    const stray = physicsJson();
    stray.devices['pv-99'] = stray.devices['pv-01'];
    expect(errorOf(() => parseDemoResources(siteText, JSON.stringify(stray))).message).toMatch(
      /devices\["pv-99"\].*no device/,
    );

    const wrongRole = physicsJson();
    wrongRole.devices['meter-01'] = wrongRole.devices['pv-01'];
    expect(errorOf(() => parseDemoResources(siteText, JSON.stringify(wrongRole))).message).toMatch(
      /devices\["meter-01"\]\.kind.*pv-inverter/,
    );

    const notCommunity = physicsJson();
    notCommunity.communityLoads['household-01'] = { nightPowerW: 10 };
    expect(
      errorOf(() => parseDemoResources(siteText, JSON.stringify(notCommunity))).message,
    ).toMatch(/communityLoads\["household-01"\]/);
  });

  it('reads the community hall meter from the community loads, and refuses meters it cannot read', () => {
    // Always-on base load by day; street lights on top after dusk.
    const at = (ms: number) =>
      createDemoPhysics({ site: demo.site, physics: demo.physics, seed: 1, startSimMs: ms });
    expect(at(SUMMER_MS + 11 * 3_600_000).state().community['co-op']?.loadW).toBe(180);
    expect(at(SUMMER_MS).state().community['co-op']?.loadW).toBe(780);

    const hall = demo.site.devices.find((d) => d.id === 'community-hall-meter')!;
    const withSite =
      (devices: typeof demo.site.devices, physics = demo.physics) =>
      () =>
        createDemoPhysics({
          site: { ...demo.site, devices },
          physics,
          seed: 1,
          startSimMs: SUMMER_MS,
        });
    expect(withSite(demo.site.devices, { ...demo.physics, communityLoads: {} })).toThrow(
      /devices\["community-hall-meter"\].*no communityLoads entry/,
    );
    expect(
      withSite([...demo.site.devices, { ...hall, id: 'second-hall-meter', url: `${hall.url}0` }]),
    ).toThrow(/devices\["second-hall-meter"\].*already has a meter/);
    const meterPhysics = demo.physics.devices['meter-01']!;
    expect(
      withSite(demo.site.devices, {
        ...demo.physics,
        devices: { ...demo.physics.devices, 'community-hall-meter': meterPhysics },
      }),
    ).toThrow(/devices\["community-hall-meter"\].*no device physics/);
  });

  it('refuses a site without exactly one battery, or with PV not behind a household meter', () => {
    const noBattery = {
      ...demo.site,
      devices: demo.site.devices.filter((d) => d.role !== 'battery'),
    };
    expect(() =>
      createDemoPhysics({ site: noBattery, physics: demo.physics, seed: 1, startSimMs: SUMMER_MS }),
    ).toThrow(/exactly one battery/);
    const orphanPv = {
      ...demo.site,
      devices: demo.site.devices.map((d) => (d.id === 'pv-01' ? { ...d, memberId: 'co-op' } : d)),
    };
    expect(() =>
      createDemoPhysics({ site: orphanPv, physics: demo.physics, seed: 1, startSimMs: SUMMER_MS }),
    ).toThrow(/devices\["pv-01"\].*household meter/);
  });

  it('reports invalid JSON as such', () => {
    expect(() => parseDemoResources(siteText, '{ "schemaVersion": 1,')).toThrow(/not valid JSON/);
    expect(() => parseDemoResources('{', physicsText)).toThrow(/demo-site\.json/);
  });
});

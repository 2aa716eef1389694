import { describe, expect, it } from 'vitest';
import type { DeviceConfig, FoundUnit, ProfileSummary, Site } from '../../../renderer/api/contract';
import {
  emptyForm,
  formFromDevice,
  formFromFoundUnit,
  isValidId,
  profileLabel,
  profilesFor,
  suggestId,
  suggestRole,
  toChanges,
  toDeviceInput,
  withRole,
} from '../../../renderer/lib/device-form';

const site = {
  members: [{ id: 'h1', name: 'House 1' }],
  devices: [{ id: 'pv-inverter-4', role: 'pv-inverter' }],
} as unknown as Site;

const unit: FoundUnit = {
  unitId: 4,
  url: 'modbus-tcp://10.0.0.2:502?unit=4',
  identity: { manufacturer: 'Acme', model: 'Sun 8', serialNumber: 'A1', version: '2' },
  baseAddress: 40000,
  models: [1, 103, 120, 123].map((id) => ({
    id,
    name: null,
    label: null,
    address: 40000,
    lengthRegs: 1,
  })),
  problem: null,
  existingDeviceId: null,
};

describe('device form', () => {
  it('suggests a role from the SunSpec models a unit offers', () => {
    expect(suggestRole([1, 103, 124], site)).toBe('battery');
    expect(suggestRole([1, 802], site)).toBe('battery');
    expect(suggestRole([1, 101], site)).toBe('pv-inverter');
    // The first meter of a site without one is most likely its grid meter.
    expect(suggestRole([1, 203], site)).toBe('grid-meter');
    expect(suggestRole([1, 213], { ...site, devices: [{ role: 'grid-meter' }] } as Site)).toBe(
      'household-meter',
    );
  });

  it('suggests a free kebab-case id', () => {
    expect(suggestId('Roof PV (Süd) #3', new Set())).toBe('roof-pv-sud-3');
    expect(suggestId('pv', new Set(['pv', 'pv-2']))).toBe('pv-3');
    expect(suggestId('***', new Set())).toBe('device');
    expect(suggestId('Site', new Set())).toBe('site-2');
    expect(isValidId('pv-1')).toBe(true);
    expect(isValidId('-pv')).toBe(false);
    expect(isValidId('site')).toBe(false);
  });

  it('fills the form from a found unit and turns it into a request', () => {
    const values = formFromFoundUnit(unit, site);
    expect(values).toMatchObject({
      id: 'pv-inverter-4-2',
      name: 'Acme Sun 8 (4)',
      url: unit.url,
      role: 'pv-inverter',
      memberId: '',
    });
    expect(toDeviceInput({ ...values, name: '  Roof ', pollIntervalMs: 500 })).toEqual({
      id: 'pv-inverter-4-2',
      name: 'Roof',
      url: unit.url,
      role: 'pv-inverter',
      memberId: null,
      pollIntervalMs: 500,
    });
    expect(emptyForm().pollIntervalMs).toBe(1000);
  });

  it('sends only the fields that changed', () => {
    const device: DeviceConfig = {
      id: 'pv',
      name: 'PV',
      url: 'modbus-tcp://h?unit=1',
      role: 'pv-inverter',
      memberId: 'h1',
      pollIntervalMs: 1000,
      enabled: true,
    };
    const values = formFromDevice(device);
    expect(toChanges(device, values)).toEqual({});
    expect(toChanges(device, { ...values, memberId: '', pollIntervalMs: 2000 })).toEqual({
      memberId: null,
      pollIntervalMs: 2000,
    });
  });

  it('offers the register maps that serve the role, and sends the chosen one', () => {
    const profiles: ProfileSummary[] = [
      profile('eastron-sdm630', 'Eastron', 'SDM630', ['grid-meter', 'household-meter']),
      profile('victron-gx-system', 'Victron Energy', 'GX', ['battery']),
    ];
    expect(profilesFor(profiles, 'household-meter').map((p) => p.id)).toEqual(['eastron-sdm630']);
    expect(profilesFor(profiles, 'pv-inverter')).toEqual([]);
    // A map the station lacks stays visible for the device that names it.
    expect(profilesFor(profiles, 'battery', 'acme-9').map((p) => p.id)).toEqual([
      'victron-gx-system',
      'acme-9',
    ]);
    expect(profileLabel(profiles[0]!)).toBe('Eastron SDM630');

    const meter = { ...emptyForm('modbus-tcp://h'), role: 'household-meter' as const };
    const chosen = { ...meter, profile: 'eastron-sdm630' };
    expect(toDeviceInput(chosen).profile).toBe('eastron-sdm630');
    expect('profile' in toDeviceInput(meter)).toBe(false);
    expect(withRole(chosen, 'grid-meter', profiles).profile).toBe('eastron-sdm630');
    expect(withRole(chosen, 'battery', profiles)).toMatchObject({ role: 'battery', profile: '' });
  });

  it('suggests a meter for a unit without SunSpec, and sends profile changes', () => {
    const bare = { ...unit, identity: null, baseAddress: null, models: [] };
    expect(formFromFoundUnit(bare, site)).toMatchObject({ role: 'grid-meter', profile: '' });
    const device: DeviceConfig = {
      id: 'hall',
      name: 'Hall',
      url: 'modbus-tcp://h?unit=1',
      role: 'household-meter',
      memberId: null,
      pollIntervalMs: 1000,
      enabled: true,
      profile: 'eastron-sdm630',
    };
    const values = formFromDevice(device);
    expect(values.profile).toBe('eastron-sdm630');
    expect(toChanges(device, values)).toEqual({});
    expect(toChanges(device, { ...values, profile: '' })).toEqual({ profile: null });
    expect(toChanges(device, { ...values, profile: 'eastron-sdm120' })).toEqual({
      profile: 'eastron-sdm120',
    });
  });
});

function profile(
  id: string,
  manufacturer: string,
  model: string,
  roles: ProfileSummary['roles'],
): ProfileSummary {
  return { id, manufacturer, model, description: '', roles, defaultUnitId: 1 };
}

import { describe, expect, it } from 'vitest';
import {
  addDevice,
  deviceAtEndpoint,
  deviceWithSerial,
  removeDevice,
  setDeviceEnabled,
  updateDevice,
  type DeviceFields,
} from '../../../core/site/site-edit';
import { parseSite } from '../../../core/site/site-schema';
import { smallSite } from './site-fixture';

const pv: DeviceFields = {
  id: 'pv-roof',
  name: ' Roof PV ',
  url: 'modbus-tcp://127.0.0.1:1502?unit=3',
  role: 'pv-inverter',
  memberId: 'h1',
  pollIntervalMs: 1000,
};

describe('site edits', () => {
  it('adds a device disabled, trimmed by the site schema, leaving the input untouched', () => {
    const site = smallSite();
    const before = JSON.stringify(site);
    const edit = addDevice(site, pv);
    expect(edit.ok).toBe(true);
    if (!edit.ok) return;
    expect(edit.value.devices.at(-1)).toEqual({ ...pv, name: 'Roof PV', enabled: false });
    expect(parseSite(JSON.parse(JSON.stringify(edit.value))).ok).toBe(true);
    expect(JSON.stringify(site)).toBe(before);
  });

  it('refuses a duplicate id or endpoint, and names the field of a bad value', () => {
    const site = smallSite();
    expect(addDevice(site, { ...pv, id: 'grid-meter' })).toMatchObject({
      ok: false,
      error: { code: 'duplicate', path: 'id' },
    });
    // Same link and unit, spelled differently (default unit 1).
    expect(addDevice(site, { ...pv, url: 'modbus-tcp://127.0.0.1:1502' })).toMatchObject({
      ok: false,
      error: { code: 'duplicate', path: 'url', message: expect.stringMatching(/grid-meter/) },
    });
    expect(addDevice(site, { ...pv, url: 'http://x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_site', path: 'url', message: expect.stringMatching(/^url: /) },
    });
    expect(addDevice(site, { ...pv, memberId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_site', path: 'memberId' },
    });
    expect(addDevice(site, { ...pv, id: 'Bad Id' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_site', path: 'id' },
    });
    expect(addDevice(site, { ...pv, role: 'grid-meter' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_site', message: expect.stringMatching(/at most one/) },
    });
  });

  it('updates fields, removes a profile, and refuses moving onto another device’s endpoint', () => {
    const added = addDevice(smallSite(), { ...pv, profile: 'acme-meter' });
    if (!added.ok) throw new Error(added.error.message);
    const renamed = updateDevice(added.value, 'pv-roof', { name: 'Roof', pollIntervalMs: 500 });
    expect(renamed.ok && renamed.value.devices.at(-1)).toMatchObject({
      name: 'Roof',
      pollIntervalMs: 500,
      profile: 'acme-meter',
    });
    const plain = updateDevice(added.value, 'pv-roof', { profile: null });
    expect(plain.ok && 'profile' in plain.value.devices.at(-1)!).toBe(false);
    expect(
      updateDevice(added.value, 'pv-roof', { url: 'modbus-tcp://127.0.0.1:1502?unit=1' }),
    ).toMatchObject({ ok: false, error: { code: 'duplicate' } });
    // Its own endpoint is not a duplicate of itself.
    expect(updateDevice(added.value, 'pv-roof', { url: pv.url }).ok).toBe(true);
    expect(updateDevice(added.value, 'nope', { name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(updateDevice(added.value, 'pv-roof', { pollIntervalMs: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_site', path: 'pollIntervalMs' },
    });
  });

  it('enables, disables and removes', () => {
    const site = smallSite();
    const off = setDeviceEnabled(site, 'grid-meter', false);
    expect(off.ok && off.value.devices[0]!.enabled).toBe(false);
    const removed = removeDevice(site, 'h1-meter');
    expect(removed.ok && removed.value.devices.map((d) => d.id)).toEqual(['grid-meter']);
    expect(removeDevice(site, 'h1-meter').ok).toBe(true);
    expect(removeDevice(site, 'ghost')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(setDeviceEnabled(site, 'ghost', true).ok).toBe(false);
  });

  it('finds devices by endpoint and by serial number', () => {
    const site = smallSite();
    expect(deviceAtEndpoint(site, 'modbus-tcp://127.0.0.1:1502?unit=1')?.id).toBe('grid-meter');
    expect(deviceAtEndpoint(site, 'modbus-tcp://127.0.0.1:1502?unit=1', 'grid-meter')).toBe(
      undefined,
    );
    expect(deviceAtEndpoint(site, 'modbus-tcp://127.0.0.1:1503?unit=1')).toBe(undefined);
    expect(deviceAtEndpoint(site, 'garbage')).toBe(undefined);
    const serials = new Map([
      ['a', 'SN-1'],
      ['b', null],
    ]);
    expect(deviceWithSerial(serials, ' sn-1 ')).toBe('a');
    expect(deviceWithSerial(serials, 'SN-1', 'a')).toBe(null);
    expect(deviceWithSerial(serials, '')).toBe(null);
    expect(deviceWithSerial(serials, null)).toBe(null);
  });
});

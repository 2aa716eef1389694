// The profile-driven simulator: values set in engineering units appear in the registers as
// the profile encodes them (word order included); writes are accepted only where the
// profile allows them, also over a real loopback Modbus TCP connection.
import { afterEach, describe, expect, it } from 'vitest';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { tcpConnector } from '../../../drivers/modbus/tcp-connector';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import { ProfileDevice } from '../../../drivers/sim/profile-device';
import { testProfile } from '../profiles/support/profiles';

const PROFILE = testProfile([
  { name: 'powerW', address: 0, type: 'float32', wordOrder: 'little', unit: 'W' },
  { name: 'socPct', address: 2, type: 'uint16', scale: 0.1, unit: '%' },
  {
    name: 'energyImportWh',
    address: 3,
    type: 'uint32',
    wordOrder: 'little',
    scale: 1000,
    unit: 'Wh',
  },
  { name: 'serialNumber', address: 10, type: 'string', length: 4 },
  { name: 'setpointW', address: 20, type: 'int32', unit: 'W', writable: { min: -5000, max: 5000 } },
  { name: 'powerLimitPct', address: 22, type: 'uint16', unit: '%', writable: { min: 0, max: 100 } },
  { name: 'relayOn', address: 0, function: 1, type: 'bool', writable: { min: 0, max: 1 } },
]);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((c) => c()));
});

describe('ProfileDevice registers', () => {
  it('encodes engineering values per the profile, word order included', () => {
    const device = new ProfileDevice(PROFILE);
    expect(
      device.setAll({
        powerW: 230.5,
        socPct: 55.5,
        energyImportWh: 70_000_000,
        serialNumber: 'TW-0042',
      }).ok,
    ).toBe(true);
    expect(device.readHoldingRegisters(0, 5)).toEqual({
      ok: true,
      value: [0x8000, 0x4366, 555, 0x1170, 0x0001], // float32 low word first; 70 000 kWh low word first
    });
    expect(device.readHoldingRegisters(10, 4)).toEqual({
      ok: true,
      value: [0x5457, 0x2d30, 0x3034, 0x3200],
    });
    expect(device.get('socPct')).toBe(55.5);
    expect(device.get('serialNumber')).toBe('TW-0042');
  });

  it('shows what the registers can hold and refuses what they cannot', () => {
    const device = new ProfileDevice(PROFILE);
    expect(device.set('socPct', 55.55).ok).toBe(true);
    expect(device.get('socPct')).toBe(55.6);
    expect(device.set('socPct', 7000)).toMatchObject({
      ok: false,
      error: { code: 'not_representable' },
    });
    expect(device.set('nope', 1)).toMatchObject({ ok: false, error: { code: 'unknown_point' } });
    expect(device.set('powerW', null).ok).toBe(true);
    expect(device.get('powerW')).toBeNull();
  });

  it('answers unlisted registers with zeros, or exception 02 when strict', () => {
    expect(new ProfileDevice(PROFILE).readHoldingRegisters(5, 3)).toEqual({
      ok: true,
      value: [0, 0, 0],
    });
    const strict = new ProfileDevice(PROFILE, { unlisted: 'illegal-address' });
    expect(strict.readHoldingRegisters(5, 3)).toEqual({ ok: false, error: { exceptionCode: 2 } });
    expect(strict.readHoldingRegisters(0, 5).ok).toBe(true);
  });

  it('refuses reads touching a refused range and functions the profile lacks', () => {
    const device = new ProfileDevice(PROFILE);
    device.refuse(3, 3, 2);
    expect(device.readHoldingRegisters(0, 5)).toEqual({ ok: false, error: { exceptionCode: 2 } });
    expect(device.readHoldingRegisters(0, 3).ok).toBe(true);
    expect(device.readInputRegisters(0, 1)).toEqual({ ok: false, error: { exceptionCode: 1 } });
    expect(device.readDiscreteInputs(0, 1)).toEqual({ ok: false, error: { exceptionCode: 1 } });
  });
});

describe('ProfileDevice writes', () => {
  it('accepts whole writable points inside their range and tells listeners', () => {
    const device = new ProfileDevice(PROFILE);
    const seen: [string, unknown][] = [];
    const stop = device.onWrite((name, value) => seen.push([name, value]));
    expect(device.writeRegisters(20, [0xffff, 0xf830, 80])).toEqual({ ok: true, value: undefined });
    expect(device.writeCoils(0, [true]).ok).toBe(true);
    expect(device.get('setpointW')).toBe(-2000);
    expect(device.get('relayOn')).toBe(true);
    expect(seen).toEqual([
      ['setpointW', -2000],
      ['powerLimitPct', 80],
      ['relayOn', true],
    ]);
    stop();
    device.writeRegisters(22, [10]);
    expect(seen).toHaveLength(3);
  });

  it('refuses read-only or unlisted registers (02), half points and values out of range (03)', () => {
    const device = new ProfileDevice(PROFILE);
    expect(device.writeRegisters(2, [1])).toEqual({ ok: false, error: { exceptionCode: 2 } });
    expect(device.writeRegisters(30, [1])).toEqual({ ok: false, error: { exceptionCode: 2 } });
    expect(device.writeRegisters(21, [1])).toEqual({ ok: false, error: { exceptionCode: 3 } });
    expect(device.writeRegisters(22, [101])).toEqual({ ok: false, error: { exceptionCode: 3 } });
    // all or nothing: the valid setpoint in the same request is not applied either
    expect(device.writeRegisters(20, [0, 100, 101])).toEqual({
      ok: false,
      error: { exceptionCode: 3 },
    });
    expect(device.get('setpointW')).toBe(0);
  });

  it('serves a Modbus client over loopback TCP, writes included', async () => {
    const device = new ProfileDevice(PROFILE);
    device.set('powerW', -1234.5);
    const server = new ModbusTcpServer().setUnit(7, device);
    const port = await server.listen();
    const link = new ModbusLink(tcpConnector('127.0.0.1', port), { timeoutMs: 500 });
    cleanup.push(
      () => link.close(),
      () => server.close(),
    );
    const unit = link.unit(7);
    expect(await unit.readHoldingRegisters(0, 2)).toEqual({
      ok: true,
      value: Uint16Array.from([0x5000, 0xc49a]),
    });
    expect(await unit.writeRegisters(22, [42])).toEqual({ ok: true, value: undefined });
    expect(device.get('powerLimitPct')).toBe(42);
    expect(await unit.writeRegisters(22, [420])).toMatchObject({
      ok: false,
      error: { code: 'illegal_value' },
    });
    expect(await unit.writeCoil(0, true)).toEqual({ ok: true, value: undefined });
    expect(device.get('relayOn')).toBe(true);
  });
});

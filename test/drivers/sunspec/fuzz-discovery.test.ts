// Fuzz: discovery, readModel and readIdentity against random and adversarial register
// contents (random L values, chains that loop back or run off register 65535, 0xFFFF or
// 0x0000 everywhere, truncated chains, thousands of empty models) and devices that refuse,
// time out or drop the link at random. Whatever the device holds, every call settles, never
// asks for a request the protocol forbids, and returns a typed error or a map that is
// consistent with itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  ModbusErrorCode,
  ModbusResult,
  RegisterReader,
} from '../../../drivers/modbus/unit-client';
import {
  DEFAULT_BASE_ADDRESSES,
  discoverSunspec,
  readIdentity,
  readModel,
  type SunspecMap,
} from '../../../drivers/sunspec/discovery';
import { allModelIds, getModelDef } from '../../../drivers/sunspec/model-table';
import type { SunspecErrorCode } from '../../../drivers/sunspec/sunspec-error';

const SPACE = 0x10000;
const DISCOVERY_CODES: SunspecErrorCode[] = [
  'no_marker',
  'read_failed',
  'bad_length',
  'too_many_models',
  'loop',
  'truncated_chain',
];
const READ_CODES: SunspecErrorCode[] = [
  'read_failed',
  'stale_map',
  'unknown_model',
  'no_common_model',
  'length_mismatch',
  'bad_count',
  'short_body',
];

interface Device {
  words: Uint16Array;
  /** Registers outside [from, to) are refused (exception 02), or wrap round to `from`. */
  from: number;
  to: number;
  wrap: boolean;
  /** Per-request fate, cycled: a fault code, or null for a normal answer. */
  fates: (ModbusErrorCode | null)[];
  /** Some devices answer fewer registers than asked. */
  shortBy: number;
}

const modelIdArb = fc.oneof(
  fc.constantFrom(0, 1, 0xffff, 0x5375, 64999),
  fc.constantFrom(...allModelIds()),
  fc.integer({ min: 0, max: 0xffff }),
);
const lengthArb = fc.oneof(
  fc.constantFrom(0, 1, 65, 66, 0x6e53, 0xfffe, 0xffff),
  fc.integer({ min: 0, max: 130 }),
  fc.integer({ min: 0, max: 0xffff }),
);

// The arbitrary draws a small description (which fast-check prints as the counterexample);
// buildDevice turns it into 64 Ki registers.
const faultArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<ModbusErrorCode>(
      'timeout',
      'illegal_address',
      'bad_reply',
      'disconnected',
      'device_failure',
    ),
  },
);

const deviceSpecArb = fc.record({
  base: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...DEFAULT_BASE_ADDRESSES) },
    { weight: 1, arbitrary: fc.integer({ min: 0xffe0, max: 0xfffe }) },
  ),
  /** Where discovery looks: its defaults, the device's base, or that among typing errors. */
  probe: fc.constantFrom('defaults', 'own', 'junk'),
  junk: fc.array(
    fc.oneof(
      fc.integer({ min: 0xffe0, max: 0xffff }),
      fc.constantFrom(-1, 0.5, 0x10000, Number.NaN),
    ),
    { maxLength: 3 },
  ),
  fill: fc.constantFrom('zero', 'ones', 'random', 'sentinels'),
  seed: fc.integer(),
  marker: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, fc.constant(false)),
  chain: fc.array(fc.tuple(modelIdArb, lengthArb), { maxLength: 12 }),
  emptyModels: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 2000 }) },
  ),
  end: fc.constantFrom('marker', 'none', 'zeros'),
  region: fc.constantFrom('whole', 'map', 'tight'),
  wrap: fc.boolean(),
  fates: fc.array(faultArb, { minLength: 1, maxLength: 8 }),
  shortBy: fc.constantFrom(0, 0, 0, 1),
});

const FILLS = {
  zero: () => 0,
  ones: () => 0xffff,
  sentinels: (i: number) => [0x8000, 0xffff, 0][i % 3]!,
};

function buildDevice(s: DeviceSpec): Device {
  let x = s.seed >>> 0;
  const random = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16;
  const fill = s.fill === 'random' ? random : FILLS[s.fill];
  const words = Uint16Array.from({ length: SPACE }, (_, i) => fill(i));
  const put = (address: number, value: number) => {
    if (address < SPACE) words[address] = value;
  };
  if (s.marker) [0x5375, 0x6e53].forEach((w, i) => put(s.base + i, w));
  let address = s.base + 2;
  const empty = Array.from({ length: s.emptyModels }, (): [number, number] => [64999, 0]);
  for (const [id, length] of [...s.chain, ...empty]) {
    if (address + 1 >= SPACE) break;
    put(address, id);
    put(address + 1, length);
    address += 2 + length;
  }
  if (s.end === 'marker') put(address, 0xffff);
  if (s.end === 'zeros') [0, 0].forEach((w, i) => put(address + i, w));
  const mapEnd = Math.min(SPACE, address + (s.end === 'none' ? 0 : 2));
  const regions = { whole: [0, SPACE], map: [s.base, mapEnd], tight: [s.base, s.base + 4] };
  const [from, to] = regions[s.region] as [number, number];
  return { words, from, to: Math.min(SPACE, to), wrap: s.wrap, fates: s.fates, shortBy: s.shortBy };
}

type DeviceSpec = typeof deviceSpecArb extends fc.Arbitrary<infer T> ? T : never;

interface Probe extends RegisterReader {
  requests: { address: number; count: number }[];
}

function probe(device: Device): Probe {
  const requests: { address: number; count: number }[] = [];
  return {
    requests,
    async readHoldingRegisters(address, count): Promise<ModbusResult<Uint16Array>> {
      // What ModbusLink.request would refuse with a RangeError: a caller bug.
      if (!(
        Number.isInteger(address) &&
        address >= 0 &&
        count >= 1 &&
        count <= 125 &&
        address + count <= SPACE
      ))
        throw new RangeError(`invalid request ${address}+${count}`);
      const fate = device.fates[requests.length % device.fates.length];
      requests.push({ address, count });
      if (fate) return { ok: false, error: { code: fate, message: `injected ${fate}` } };
      const size = device.to - device.from;
      const out = new Uint16Array(Math.max(0, count - device.shortBy));
      for (let i = 0; i < out.length; i++) {
        let a = address + i;
        if (a >= device.to && device.wrap && size > 0) a = device.from + ((a - device.from) % size);
        if (a < device.from || a >= device.to)
          return { ok: false, error: { code: 'illegal_address', message: 'Modbus exception 2' } };
        out[i] = device.words[a]!;
      }
      return { ok: true, value: out };
    },
  };
}

function checkMap(map: SunspecMap): void {
  expect(map.models.length).toBeGreaterThan(0);
  expect(map.models.length).toBeLessThanOrEqual(256);
  let expected = map.baseAddress + 2;
  for (const m of map.models) {
    expect(m.address).toBe(expected);
    expect(m.id).not.toBe(0);
    expect(m.id).not.toBe(0xffff);
    expect(m.address + 2 + m.length).toBeLessThanOrEqual(SPACE);
    expect(m.def?.id ?? null).toBe(getModelDef(m.id)?.id ?? null);
    expected = m.address + 2 + m.length;
  }
}

describe('discovery on random and adversarial register contents', () => {
  it('settles with a consistent map or a typed error, in bounded requests', async () => {
    await fc.assert(
      fc.asyncProperty(deviceSpecArb, fc.boolean(), async (spec, missingEndMarker) => {
        const reader = probe(buildDevice(spec));
        const found = await discoverSunspec(reader, {
          missingEndMarker,
          ...(spec.probe !== 'defaults' && {
            baseAddresses: spec.probe === 'own' ? [spec.base] : [...spec.junk, spec.base],
          }),
        });
        // Three bases × (up to 3 tries for the marker) + up to 3 reads per header.
        expect(reader.requests.length).toBeLessThanOrEqual(9 + 3 * 258);
        if (!found.ok) {
          expect(DISCOVERY_CODES).toContain(found.error.code);
          expect(found.error.message).toEqual(expect.any(String));
          return;
        }
        checkMap(found.value);
        const identity = await readIdentity(reader, found.value);
        if (!identity.ok) expect(READ_CODES).toContain(identity.error.code);
        for (const entry of found.value.models.slice(0, 8)) {
          const model = await readModel(reader, entry);
          if (!model.ok) expect(READ_CODES).toContain(model.error.code);
          else expect(model.value).toMatchObject({ id: entry.id, lengthRegs: entry.length });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('handles the named worst cases', async () => {
    const device = (patch: Partial<Device>): Device => ({
      words: new Uint16Array(SPACE),
      from: 0,
      to: SPACE,
      wrap: false,
      fates: [null],
      shortBy: 0,
      ...patch,
    });
    const allOnes = device({ words: new Uint16Array(SPACE).fill(0xffff) });
    expect(await discoverSunspec(probe(allOnes))).toMatchObject({
      ok: false,
      error: { code: 'no_marker' },
    });
    // A marker, then 0xFFFF everywhere: the end marker straight away, so no model at all.
    const onesAfterMarker = device({ words: new Uint16Array(SPACE).fill(0xffff) });
    onesAfterMarker.words.set([0x5375, 0x6e53], 40000);
    expect(await discoverSunspec(probe(onesAfterMarker))).toMatchObject({
      ok: false,
      error: { code: 'truncated_chain' },
    });
    // Marker at 65534: no room even for a header, so not a base to read at all.
    const atTop = device({});
    atTop.words.set([0x5375, 0x6e53], 0xfffe);
    expect(await discoverSunspec(probe(atTop), { baseAddresses: [0xfffe] })).toMatchObject({
      ok: false,
      error: { code: 'no_marker', message: expect.stringContaining('not a possible base') },
    });
    // Empty models until register 65535: the walk stops at the top of the address space.
    const ladder = device({});
    ladder.words.set([0x5375, 0x6e53], 0xff00);
    for (let a = 0xff02; a + 1 < SPACE; a += 2) ladder.words.set([64999, 0], a);
    const climbed = await discoverSunspec(probe(ladder), {
      baseAddresses: [0xff00],
      maxModels: 1000,
    });
    expect(climbed.ok && climbed.value.models.length).toBe(127);
  });
});

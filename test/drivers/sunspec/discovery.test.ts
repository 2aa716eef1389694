// Discovery against simulated devices: where the marker is, how the chain ends, and the
// garbage a real device can hand out.
import { describe, expect, it } from 'vitest';
import { buildSunspecImage, type ImageModelSpec } from '../../../drivers/sunspec/device-image';
import { discoverSunspec, readIdentity, readModel } from '../../../drivers/sunspec/discovery';
import { encodeModel } from '../../../drivers/sunspec/encode';
import { getModelDef } from '../../../drivers/sunspec/model-table';
import { fakeReader } from './support/fake-reader';

const common: ImageModelSpec = {
  id: 1,
  values: {
    points: { Mn: 'Acme Solar', Md: 'AS-5000', Opt: 'grid', Vr: '1.2.3', SN: 'SN-0042', DA: 3 },
  },
};
const inverter: ImageModelSpec[] = [
  common,
  { id: 103, values: { points: { W: 4200, W_SF: 0 } } },
  { id: 120, values: {} },
  { id: 123, values: {} },
  { id: 124, values: {} },
  { id: 160, repeats: 2 },
];

const ids = (models: readonly { id: number }[]) => models.map((m) => m.id);

describe('discoverSunspec: finding the marker', () => {
  it.each([40000, 0, 50000])('finds a map at base %i', async (baseAddress) => {
    const image = buildSunspecImage({ baseAddress, models: inverter });
    const result = await discoverSunspec(fakeReader(image));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.baseAddress).toBe(baseAddress);
    expect(ids(result.value.models)).toEqual([1, 103, 120, 123, 124, 160]);
    expect(result.value.models[0]).toMatchObject({ address: baseAddress + 2, length: 66 });
    expect(result.value.models[1]).toMatchObject({ address: baseAddress + 70, length: 50 });
    expect(result.value.models[5]).toMatchObject({ id: 160, length: 48 });
    expect(result.value.models.every((m) => m.def?.id === m.id)).toBe(true);
  });

  it('moves on past a base that times out', async () => {
    const image = buildSunspecImage({ baseAddress: 50000, models: inverter });
    const reader = fakeReader(image, { faults: [{ from: 40000, to: 40200, code: 'timeout' }] });
    const result = await discoverSunspec(reader);
    expect(result.ok && result.value.baseAddress).toBe(50000);
    expect(reader.requests.map((r) => r.address).slice(0, 3)).toEqual([40000, 0, 0]);
  });

  it('stops at once when the link is down', async () => {
    const reader = fakeReader(null, { faults: [{ from: 0, to: 65536, code: 'disconnected' }] });
    const result = await discoverSunspec(reader);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'read_failed', cause: { code: 'disconnected' } },
    });
    expect(reader.requests).toHaveLength(1);
  });

  it('reports no_marker with what each base answered', async () => {
    const notSunspec = buildSunspecImage({ baseAddress: 40000, models: [common] });
    notSunspec.words[0] = 0x1234; // something else lives at 40000
    const result = await discoverSunspec(fakeReader(notSunspec));
    expect(result).toMatchObject({ ok: false, error: { code: 'no_marker' } });
    if (!result.ok)
      expect(result.error.message).toBe(
        "no SunSpec 'SunS' marker found (40000: no marker; 0: illegal_address; 50000: illegal_address)",
      );
  });

  it('reads the chain in few requests of at most 125 registers', async () => {
    const image = buildSunspecImage({ baseAddress: 40000, models: inverter });
    const reader = fakeReader(image);
    await discoverSunspec(reader);
    expect(reader.requests.every((r) => r.count <= 125)).toBe(true);
    // 2 + 68 + 52 + 28 + 26 + 26 + 50 + 2 = 254 registers: a first block of 125, then a
    // block refused for running past the end of the map, its half, and the end marker.
    expect(reader.requests).toEqual([
      { address: 40000, count: 125 },
      { address: 40150, count: 125 },
      { address: 40150, count: 63 },
      { address: 40252, count: 2 },
    ]);
  });
});

describe('discoverSunspec: how the chain ends', () => {
  it('accepts a device without an end marker (illegal address after the last model)', async () => {
    const image = buildSunspecImage({ models: [common, { id: 103 }], endMarker: false });
    const result = await discoverSunspec(fakeReader(image));
    expect(result.ok && ids(result.value.models)).toEqual([1, 103]);
  });

  it('accepts all-zero registers after the last model', async () => {
    const image = buildSunspecImage({ models: [common, { id: 103 }] });
    image.words.set([0, 0], image.words.length - 2);
    const result = await discoverSunspec(fakeReader(image));
    expect(result.ok && ids(result.value.models)).toEqual([1, 103]);
  });

  it('lists models it has no definition for, with def null', async () => {
    const image = buildSunspecImage({
      models: [common, { id: 64999, body: [1, 2, 3] }, { id: 103 }],
    });
    const result = await discoverSunspec(fakeReader(image));
    expect(
      result.ok && result.value.models.map((m) => [m.id, m.length, m.def?.id ?? null]),
    ).toEqual([
      [1, 66, 1],
      [64999, 3, null],
      [103, 50, 103],
    ]);
  });

  it('fails with read_failed when a header read times out mid-chain', async () => {
    const image = buildSunspecImage({ models: [common, { id: 103 }, { id: 120 }] });
    // Model 120's header sits at 40000 + 2 + (2 + 66) + (2 + 50) = 40122.
    const reader = fakeReader(image, { faults: [{ from: 40122, to: 40124, code: 'timeout' }] });
    const result = await discoverSunspec(reader, { blockRegs: 2 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'read_failed', address: 40122, cause: { code: 'timeout' } },
    });
  });

  it('fails with truncated_chain when the marker has no model after it', async () => {
    const image = buildSunspecImage({ models: [] });
    const result = await discoverSunspec(fakeReader(image));
    expect(result).toMatchObject({ ok: false, error: { code: 'truncated_chain', address: 40000 } });
  });
});

describe('discoverSunspec: garbage', () => {
  it('refuses an L that runs past register 65535', async () => {
    const image = buildSunspecImage({ models: [common, { id: 103 }] });
    image.words[71] = 0xffff; // L of model 103 at 40070
    const result = await discoverSunspec(fakeReader(image));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'bad_length', address: 40070, modelId: 103 },
    });
  });

  it('refuses a map that wraps round to its own marker', async () => {
    const image = buildSunspecImage({ models: [common, { id: 103 }], endMarker: false });
    const result = await discoverSunspec(fakeReader(image, { wrap: true }));
    expect(result).toMatchObject({ ok: false, error: { code: 'loop' } });
  });

  it('refuses more models than any device has', async () => {
    const models = Array.from({ length: 300 }, () => ({ id: 64999, body: [] }));
    const result = await discoverSunspec(fakeReader(buildSunspecImage({ models })));
    expect(result).toMatchObject({ ok: false, error: { code: 'too_many_models' } });
    const fewer = await discoverSunspec(fakeReader(buildSunspecImage({ models })), {
      maxModels: 300,
    });
    expect(fewer.ok && fewer.value.models).toHaveLength(300);
  });
});

describe('readModel and readIdentity', () => {
  it('reads a model longer than 125 registers in chunks and decodes it', async () => {
    const image = buildSunspecImage({
      models: [common, { id: 701, values: { points: { W: 1234, W_SF: 0 } } }],
    });
    const reader = fakeReader(image);
    const map = await discoverSunspec(reader);
    if (!map.ok) throw new Error(map.error.message);
    reader.requests.length = 0;
    const model = await readModel(reader, map.value.models[1]!);
    expect(model.ok && model.value.points.W).toBe(1234);
    expect(reader.requests).toEqual([
      { address: 40070, count: 125 },
      { address: 40195, count: 30 },
    ]);
  });

  it('refuses a model whose header changed since discovery', async () => {
    const image = buildSunspecImage({ models: [common, { id: 103 }] });
    const map = await discoverSunspec(fakeReader(image));
    if (!map.ok) throw new Error(map.error.message);
    image.words[70] = 101;
    const result = await readModel(fakeReader(image), map.value.models[1]!);
    expect(result).toMatchObject({ ok: false, error: { code: 'stale_map', address: 40070 } });
  });

  it('refuses models without a definition', async () => {
    const result = await readModel(fakeReader(null), {
      id: 64999,
      address: 40002,
      length: 3,
      def: null,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_model' } });
  });

  it('reads identity from model 1, also when L = 65 (no pad)', async () => {
    const body = encodeModel(getModelDef(1)!, common.values!).subarray(0, 65);
    const image = buildSunspecImage({ models: [{ id: 1, body }, { id: 103 }] });
    const reader = fakeReader(image);
    const map = await discoverSunspec(reader);
    if (!map.ok) throw new Error(map.error.message);
    expect(map.value.models[0]!.length).toBe(65);
    expect(await readIdentity(reader, map.value)).toEqual({
      ok: true,
      value: {
        manufacturer: 'Acme Solar',
        model: 'AS-5000',
        options: 'grid',
        version: '1.2.3',
        serialNumber: 'SN-0042',
        deviceAddress: 3,
      },
    });
  });

  it('needs a common model for identity', async () => {
    const result = await readIdentity(fakeReader(null), { baseAddress: 40000, models: [] });
    expect(result).toMatchObject({ ok: false, error: { code: 'no_common_model' } });
  });
});

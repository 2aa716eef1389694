// The missingEndMarker quirk in discovery: a device that neither ends its chain with
// 0xFFFF nor answers past its last model.
import { describe, expect, it } from 'vitest';
import { buildSunspecImage } from '../../../drivers/sunspec/device-image';
import { discoverSunspec } from '../../../drivers/sunspec/discovery';
import { discoveryOptionsFor, quirksFor } from '../../../drivers/sunspec/quirks';
import { fakeReader } from './support/fake-reader';

const image = () =>
  buildSunspecImage({
    models: [{ id: 1, values: { points: { Mn: 'Acme', SN: '42' } } }, { id: 103 }],
    endMarker: false,
  });
// Marker (2) + model 1 (2 + 66) + model 103 (2 + 50): the map ends before 40122.
const END = 40122;
const silentPastEnd = { faults: [{ from: END, to: 0x10000, code: 'timeout' as const }] };

describe('discovery with missingEndMarker', () => {
  it('without the quirk, a silent end fails discovery (the block read runs past the end)', async () => {
    const reader = fakeReader(image(), silentPastEnd);
    const result = await discoverSunspec(reader);
    expect(result).toMatchObject({ ok: false, error: { code: 'no_marker' } });
  });

  it('with it, reads header by header and takes the one silent read as the end', async () => {
    const reader = fakeReader(image(), silentPastEnd);
    const result = await discoverSunspec(reader, { missingEndMarker: true });
    expect(result.ok && result.value.models.map((m) => [m.id, m.address])).toEqual([
      [1, 40002],
      [103, 40070],
    ]);
    expect(reader.requests).toEqual([
      { address: 40000, count: 4 },
      { address: 40070, count: 2 },
      { address: END, count: 2 },
    ]);
  });

  it('still needs one model, and still stops at once on a dead link', async () => {
    const noModel = buildSunspecImage({ models: [], endMarker: false });
    const silent = { faults: [{ from: 40002, to: 0x10000, code: 'timeout' as const }] };
    expect(
      await discoverSunspec(fakeReader(noModel, silent), { missingEndMarker: true }),
    ).toMatchObject({ ok: false, error: { code: 'no_marker' } });
    const dead = { faults: [{ from: 40070, to: 0x10000, code: 'disconnected' as const }] };
    expect(
      await discoverSunspec(fakeReader(image(), dead), { missingEndMarker: true }),
    ).toMatchObject({ ok: false, error: { code: 'read_failed', address: 40070 } });
  });

  it('is what discoveryOptionsFor gives for such a device, and nothing for others', () => {
    expect(discoveryOptionsFor({ missingEndMarker: true })).toEqual({ missingEndMarker: true });
    // No vendor in the bundled table is known to need it.
    expect(discoveryOptionsFor(quirksFor({ manufacturer: 'SolarEdge', model: null }))).toEqual({});
  });
});

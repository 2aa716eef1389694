// Vendor quirks: the bundled table, matching by manufacturer/model, and what the quirks
// turn into for scans, planners, links and meters.
import { describe, expect, it } from 'vitest';
import type { SunspecModelEntry } from '../../../drivers/sunspec/discovery';
import {
  bundledQuirks,
  discoveryOptionsFor,
  linkOptionsFor,
  meterPowerSign,
  NO_QUIRKS,
  parseQuirkTable,
  probeUnitIds,
  quirksFor,
  splitAtCommonModels,
  unreadableSpans,
  type QuirkTable,
} from '../../../drivers/sunspec/quirks';

const entry = (id: number, address: number, length: number): SunspecModelEntry => ({
  id,
  address,
  length,
  def: null,
});

describe('the bundled quirks table', () => {
  it('loads, and every applied entry cites a source for each quirk it sets', () => {
    const table = bundledQuirks();
    expect(table.entries.map((e) => e.id)).toEqual([
      'solaredge',
      'sma',
      'fronius',
      'example-format-documentation',
    ]);
    for (const e of table.entries.filter((x) => !x.example)) {
      const cited = new Set(e.source.flatMap((s) => s.for));
      expect([...cited].sort()).toEqual(Object.keys(e.quirks).sort());
      for (const s of e.source) expect(s.url).toMatch(/^https:\/\//);
    }
  });

  it('resolves a range given by point name to its offset and size', () => {
    const example = bundledQuirks().entries.find((e) => e.example)!;
    expect(example.quirks.unreadableRanges).toEqual([
      { modelId: 123, offset: 4, count: 3 },
      { modelId: 123, offset: 16, count: 1 }, // VArPct_WinTms
    ]);
  });
});

describe('quirksFor', () => {
  it('matches SolarEdge by prefix, ignoring case and padding', () => {
    const q = quirksFor({ manufacturer: '  SOLAREDGE ', model: 'SE7K-RWS48BNN4' });
    expect(q).toMatchObject({
      matched: ['solaredge'],
      singleConnection: true,
      repeatedCommonModel: true,
      unitIds: [],
      meterSignInverted: false,
    });
  });

  it('matches SMA by regex, and not a longer word that starts with SMA', () => {
    expect(quirksFor({ manufacturer: 'SMA', model: null })).toMatchObject({
      matched: ['sma'],
      unitIds: [126],
    });
    expect(quirksFor({ manufacturer: 'SMA Solar Technology AG', model: 'STP' }).matched).toEqual([
      'sma',
    ]);
    expect(quirksFor({ manufacturer: 'Smappee', model: null }).matched).toEqual([]);
  });

  it('gives no quirks for unknown or missing names, and never applies example entries', () => {
    const none = { ...NO_QUIRKS, matched: [] };
    expect(quirksFor({ manufacturer: 'Acme Solar', model: 'AS-5000' })).toEqual(none);
    expect(quirksFor({ manufacturer: null, model: null })).toEqual(none);
    expect(quirksFor({ manufacturer: 'Example Vendor', model: 'EX-1' })).toEqual(none);
  });

  it('merges every matching entry, and needs the model to match when the entry names one', () => {
    const table = parse({
      entries: [
        withSource({
          id: 'a',
          match: { manufacturer: { prefix: 'Acme' } },
          quirks: { unitIds: [3, 126] },
        }),
        withSource({
          id: 'b',
          match: { manufacturer: { prefix: 'Acme' }, model: { regex: '^AS-5\\d{3}$' } },
          quirks: { unitIds: [126, 7], meterSignInverted: true },
        }),
      ],
    });
    expect(quirksFor({ manufacturer: 'Acme', model: 'AS-5000' }, table)).toMatchObject({
      matched: ['a', 'b'],
      unitIds: [3, 126, 7],
      meterSignInverted: true,
    });
    expect(quirksFor({ manufacturer: 'Acme', model: 'AS-9000' }, table).matched).toEqual(['a']);
    expect(quirksFor({ manufacturer: 'Acme', model: null }, table).matched).toEqual(['a']);
  });
});

describe('what quirks turn into', () => {
  it('probes vendor unit ids first, then the baseline, each once', () => {
    expect(probeUnitIds([1, 2, 3, 126, 200, 240])).toEqual([
      126, 200, 201, 202, 203, 204, 240, 241, 242, 243, 244, 1, 2, 3,
    ]);
  });

  it('turns unreadable ranges into absolute spans of every instance, clipped and merged', () => {
    const map = {
      models: [
        entry(1, 40002, 66),
        entry(123, 40343, 24),
        entry(160, 40369, 48),
        entry(123, 40419, 10),
      ],
    };
    const ranges = [
      { modelId: 123, offset: 4, count: 3 },
      { modelId: 123, offset: 6, count: 2 }, // overlaps the first: merged
      { modelId: 123, offset: 20, count: 10 }, // clipped to L=24; absent in the L=10 copy
      { modelId: 1, offset: 70, count: 2 }, // past L: dropped
      { modelId: 999, offset: 0, count: 1 }, // model not in the map
    ];
    expect(unreadableSpans(ranges, map)).toEqual([
      { address: 40349, count: 4 },
      { address: 40365, count: 4 },
      { address: 40425, count: 4 },
    ]);
    expect(unreadableSpans([], map)).toEqual([]);
  });

  it('splits a map at repeated common models (SolarEdge: inverter, then its meters)', () => {
    const models = [
      entry(1, 40002, 65),
      entry(103, 40069, 50),
      entry(1, 40121, 65),
      entry(203, 40188, 105),
      entry(1, 40295, 65),
      entry(203, 40362, 105),
    ];
    const { device, subDevices } = splitAtCommonModels({ models });
    expect(device.map((m) => m.address)).toEqual([40002, 40069]);
    expect(subDevices.map((d) => d.map((m) => m.id))).toEqual([
      [1, 203],
      [1, 203],
    ]);
    expect(splitAtCommonModels({ models: models.slice(0, 2) }).subDevices).toEqual([]);
    expect(splitAtCommonModels({ models: [] })).toEqual({ device: [], subDevices: [] });
  });

  it('slows reconnects for single-connection devices and leaves others alone', () => {
    const base = { timeoutMs: 500, backoff: { initialMs: 50, maxMs: 200, factor: 3 } };
    expect(linkOptionsFor({ singleConnection: false }, base)).toBe(base);
    expect(linkOptionsFor({ singleConnection: true }, base)).toEqual({
      timeoutMs: 500,
      backoff: { initialMs: 2000, maxMs: 60_000, factor: 3 },
    });
    const slower = { backoff: { initialMs: 5000, maxMs: 120_000, factor: 2 } };
    expect(linkOptionsFor({ singleConnection: true }, slower)).toEqual(slower);
  });

  it('sets discovery options and the meter sign', () => {
    expect(discoveryOptionsFor({ missingEndMarker: true }, { maxModels: 10 })).toEqual({
      maxModels: 10,
      missingEndMarker: true,
    });
    expect(discoveryOptionsFor({ missingEndMarker: false })).toEqual({});
    expect(meterPowerSign({ meterSignInverted: true })).toBe(-1);
    expect(meterPowerSign({ meterSignInverted: false })).toBe(1);
  });
});

// A valid non-example entry: each quirk cited once.
function withSource(e: Record<string, unknown> & { quirks: Record<string, unknown> }) {
  return {
    description: 'test entry',
    ...e,
    source: [
      { for: Object.keys(e.quirks), title: 'test', url: 'https://example.org/t', says: 'test' },
    ],
  };
}

function parse(table: { entries: unknown[] }): QuirkTable {
  const parsed = parseQuirkTable({ schemaVersion: 1, ...table });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

// gridConnected of a battery inverter from raw register words: model 122 ECPConn first,
// model 701 DERMode as the fallback, and anything the station cannot read as "not known"
// (null), which never starts island mode.
import { describe, expect, it } from 'vitest';
import { derModeConnected, ecpConnected } from '../../../drivers/devices/sunspec-canonical-map';
import { buildSunspecImage, type SunspecImage } from '../../../drivers/sunspec/device-image';
import { getModelDef } from '../../../drivers/sunspec/model-table';
import { pollerFor, simUnit } from './support/sunspec-sim';

/** A battery inverter with models 1, 103 and `models` (122 and/or 701, bodies left unset). */
function batteryImage(models: number[]): SunspecImage {
  return buildSunspecImage({
    models: [
      { id: 1, values: { points: { Mn: 'Acme', Md: 'Storage', SN: 'B-1', DA: 1 } } },
      {
        id: 103,
        values: { points: { W: 1200, Hz: 50, St: 4 } },
        scaleFactors: { W_SF: 0, Hz_SF: -2 },
      },
      ...models.map((id) => ({ id })),
    ],
  });
}

/** Writes raw words at a point of the image, as the device's firmware would. */
function setWords(image: SunspecImage, modelId: number, point: string, words: number[]): void {
  const model = image.models.find((m) => m.id === modelId)!;
  const offset = getModelDef(modelId)!.points.find((p) => p.name === point)!.offset;
  image.words.set(words, model.address + 2 + offset - image.baseAddress);
}

async function gridConnectedOf(image: SunspecImage): Promise<number | null | undefined> {
  const { poller } = await pollerFor(simUnit(image), 'battery');
  return (await poller.poll())?.values.gridConnected;
}

describe('decoding the grid connection', () => {
  it('ECPConn: bit 0 set is connected, 0 is disconnected, other bits alone are not known', () => {
    expect([0, 1, 3, 2, 0x8000].map(ecpConnected)).toEqual([0, 1, 1, null, null]);
  });

  it('DERMode: grid-following is connected, grid-forming alone is an island, neither not known', () => {
    expect([1, 2, 3, 0, 4].map(derModeConnected)).toEqual([1, 0, 1, null, null]);
  });
});

describe('a battery inverter read over Modbus TCP', () => {
  it('reports gridConnected from model 122 ECPConn', async () => {
    const image = batteryImage([122]);
    setWords(image, 122, 'ECPConn', [0x0001]);
    expect(await gridConnectedOf(image)).toBe(1);
    setWords(image, 122, 'ECPConn', [0x0000]);
    expect(await gridConnectedOf(image)).toBe(0);
    // 0xFFFF is SunSpec's "not implemented" for a bitfield16.
    setWords(image, 122, 'ECPConn', [0xffff]);
    expect(await gridConnectedOf(image)).toBeNull();
  });

  it('falls back to model 701 DERMode when 122 does not say', async () => {
    const image = batteryImage([122, 701]);
    setWords(image, 122, 'ECPConn', [0xffff]);
    setWords(image, 701, 'DERMode', [0x0000, 0x0002]); // GRID_FORMING only
    expect(await gridConnectedOf(image)).toBe(0);
    setWords(image, 701, 'DERMode', [0x0000, 0x0001]); // GRID_FOLLOWING
    expect(await gridConnectedOf(image)).toBe(1);
    setWords(image, 122, 'ECPConn', [0x0000]); // 122 wins when it answers
    expect(await gridConnectedOf(image)).toBe(0);
  });

  it('has no gridConnected without either model (ConnSt alone is not asked for)', async () => {
    expect(await gridConnectedOf(batteryImage([]))).toBeUndefined();
  });
});

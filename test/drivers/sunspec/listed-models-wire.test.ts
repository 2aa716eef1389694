// Discovery and decoding of every model issue 3 lists, over the wire: a simulated device
// serving all of them is read through the station's Modbus links over TCP and over RTU on
// a pty, and every model decodes to exactly what the simulator holds.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeviceUrl } from '../../../core/site/device-url';
import { LinkPool } from '../../../drivers/modbus/link-pool';
import { ModbusRtuServer } from '../../../drivers/sim/modbus-rtu-server';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import { sunspecUnitHandler } from '../../../drivers/sim/demo-microgrid/sunspec-unit-handler';
import { buildSunspecImage, type SunspecImage } from '../../../drivers/sunspec/device-image';
import { discoverSunspec, readModel } from '../../../drivers/sunspec/discovery';
import { getModelDef } from '../../../drivers/sunspec/model-table';
import { usePtyPairs } from '../../support/pty';
import { LISTED_MODEL_IDS, listedModelSpecs } from './support/listed-models';

const ptyPair = usePtyPairs();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function readAll(url: string, image: SunspecImage): Promise<void> {
  const endpoint = parseDeviceUrl(url);
  if (!endpoint.ok) throw new Error(endpoint.error.message);
  const pool = new LinkPool({ timeoutMs: 2000 });
  cleanups.push(() => pool.closeAll());
  const unit = pool.unit(endpoint.value);
  if (!unit.ok) throw new Error(unit.error.message);
  const map = await discoverSunspec(unit.value);
  if (!map.ok) throw new Error(map.error.message);
  expect(map.value.models.map((m) => m.id)).toEqual([...LISTED_MODEL_IDS]);
  for (const entry of map.value.models) {
    const decoded = await readModel(unit.value, entry);
    if (!decoded.ok) throw new Error(`model ${entry.id}: ${decoded.error.message}`);
    expect(decoded.value, `model ${entry.id}`).toEqual(image.getModel(entry.id));
  }
}

describe('every listed SunSpec model over the wire', () => {
  const image = buildSunspecImage({ models: listedModelSpecs() });

  it('decodes each model the same as the simulator holds it, with values in it', () => {
    // Model 103 is the fourth listed (seed 4); W gets the int16 value of its position.
    const wIndex = getModelDef(103)!.points.findIndex((p) => p.name === 'W');
    expect(image.getModel(103).points.W).toBe((((4 + wIndex) * 37) % 2000) - 1000);
    expect(image.getModel(160).groups.module).toHaveLength(2);
    expect(image.getModel(1).points.Mn).toBe('S1'); // seed 1, first point
  });

  it('over Modbus TCP', async () => {
    const server = new ModbusTcpServer().setUnit(7, sunspecUnitHandler(image));
    const port = await server.listen();
    cleanups.push(() => server.close());
    await readAll(`modbus-tcp://127.0.0.1:${port}?unit=7`, image);
  });

  it('over Modbus RTU on a serial pty at 115200 baud', async () => {
    const pair = await ptyPair();
    const server = new ModbusRtuServer().setUnit(9, sunspecUnitHandler(image));
    const framing = { baudRate: 115200, parity: 'even', stopBits: 1, dataBits: 8 } as const;
    await server.openSerial(pair.a, framing);
    cleanups.push(() => server.close());
    await readAll(`modbus-rtu://${pair.b}?baud=115200&parity=even&unit=9`, image);
  }, 30_000);
});

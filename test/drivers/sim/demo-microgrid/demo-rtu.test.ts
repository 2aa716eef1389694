// The demo's household meters on Modbus RTU (a socat pty pair and RTU over TCP), read by
// the station's own RTU links and SunSpec discovery: the same meter as over Modbus TCP.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeviceUrl } from '../../../../core/site/device-url';
import { LinkPool } from '../../../../drivers/modbus/link-pool';
import type { DemoMicrogrid } from '../../../../drivers/sim/demo-microgrid/demo-microgrid';
import { serveMetersOverRtu, type DemoRtu } from '../../../../drivers/sim/demo-microgrid/demo-rtu';
import { discoverSunspec, readIdentity, readModel } from '../../../../drivers/sunspec/discovery';
import { startPausedDemo } from '../../../support/demo';
import { usePtyPairs } from '../../../support/pty';

const ptyPair = usePtyPairs();
let grid: DemoMicrogrid | undefined;
let rtu: DemoRtu | undefined;
let pool: LinkPool | undefined;
afterEach(async () => {
  await pool?.closeAll();
  await rtu?.close();
  await grid?.stop();
});

async function readMeter(url: string) {
  const endpoint = parseDeviceUrl(url);
  if (!endpoint.ok) throw new Error(endpoint.error.message);
  pool = pool ?? new LinkPool({ timeoutMs: 1000 });
  const unit = pool.unit(endpoint.value);
  if (!unit.ok) throw new Error(unit.error.message);
  const map = await discoverSunspec(unit.value);
  if (!map.ok) throw new Error(map.error.message);
  const identity = await readIdentity(unit.value, map.value);
  const meter = await readModel(
    unit.value,
    map.value.models.find((m) => m.id === 203)!,
  );
  if (!identity.ok || !meter.ok) throw new Error('read failed');
  return { serial: identity.value.serialNumber, powerW: meter.value.points.W };
}

describe('demo household meters over Modbus RTU', () => {
  it('answer on a serial pty and over RTU-over-TCP with the TCP meter values', async () => {
    grid = await startPausedDemo(Date.UTC(2026, 5, 21, 12));
    const pair = await ptyPair();
    rtu = await serveMetersOverRtu(grid, { serialPath: pair.a, overTcpPort: 0 });
    expect(rtu.endpoints).toHaveLength(24);
    const serialUrl = rtu.endpoints.find(
      (e) => e.deviceId === 'meter-05' && e.url.startsWith('modbus-rtu:'),
    )!.url;
    const overTcpUrl = rtu.endpoints.find(
      (e) => e.deviceId === 'meter-07' && e.url.startsWith('modbus-rtuovertcp:'),
    )!.url;
    // The simulator holds end a; the station talks to end b, as across a cable.
    const viaSerial = await readMeter(serialUrl.replace(pair.a, pair.b));
    expect(viaSerial.serial).toBe('SIM-meter-05');
    expect(viaSerial.powerW).toBe(grid.devices.get('meter-05')!.image.getPoint(203, 'W'));
    const viaTcp = await readMeter(overTcpUrl);
    expect(viaTcp.serial).toBe('SIM-meter-07');
    expect(viaTcp.powerW).toBe(grid.devices.get('meter-07')!.image.getPoint(203, 'W'));
  });
});

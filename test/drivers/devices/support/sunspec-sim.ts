// SunSpec images behind the Modbus TCP simulator on loopback, with a request log and
// optional refused registers (as SMA devices refuse some registers inside model 123).
import { afterEach } from 'vitest';
import type { DeviceConfig, DeviceRole } from '../../../../core/site/site-types';
import {
  SunspecPoller,
  type SunspecPollerOptions,
} from '../../../../drivers/devices/sunspec-poller';
import { ModbusLink } from '../../../../drivers/modbus/modbus-link';
import { tcpConnector } from '../../../../drivers/modbus/tcp-connector';
import { sunspecUnitHandler } from '../../../../drivers/sim/demo-microgrid/sunspec-unit-handler';
import { ModbusTcpServer } from '../../../../drivers/sim/modbus-tcp-server';
import {
  ILLEGAL_ADDRESS,
  type ModbusUnitHandler,
} from '../../../../drivers/sim/modbus-unit-handler';
import {
  buildSunspecImage,
  type ImageModelSpec,
  type SunspecImage,
} from '../../../../drivers/sunspec/device-image';

export interface LoggedRequest {
  op: 'read' | 'write';
  address: number;
  count: number;
  refused: boolean;
}

export interface SimUnit {
  image: SunspecImage;
  log: LoggedRequest[];
  /** Registers whose reads answer exception 02; may be changed between polls. */
  refused: Set<number>;
  handler: ModbusUnitHandler;
}

export function simUnit(image: SunspecImage, refused: Iterable<number> = []): SimUnit {
  const inner = sunspecUnitHandler(image);
  const unit: SimUnit = { image, log: [], refused: new Set(refused), handler: {} };
  unit.handler = {
    readHoldingRegisters(address, count) {
      const refuse = [...unit.refused].some((a) => a >= address && a < address + count);
      unit.log.push({ op: 'read', address, count, refused: refuse });
      if (refuse) return { ok: false, error: { exceptionCode: ILLEGAL_ADDRESS } };
      return inner.readHoldingRegisters!(address, count);
    },
    writeRegisters(address, values) {
      unit.log.push({ op: 'write', address, count: values.length, refused: false });
      return inner.writeRegisters!(address, values);
    },
  };
  return unit;
}

const common = (sn: string): ImageModelSpec => ({
  id: 1,
  values: { points: { Mn: 'Acme', Md: 'Sim', Vr: '1.0', SN: sn, DA: 1 } },
});

/** A PV inverter like the demo's: 1, 103, 120, 123, plus `extra` models at the end. */
export function pvImage(sn = 'PV-1', extra: ImageModelSpec[] = []): SunspecImage {
  return buildSunspecImage({
    models: [
      common(sn),
      {
        id: 103,
        values: { points: { W: 4321, PhVphA: 230.5, Hz: 50.01, WH: 123_456, St: 4 } },
        scaleFactors: { W_SF: 0, V_SF: -1, Hz_SF: -2, WH_SF: 0 },
      },
      { id: 120, values: { points: { DERTyp: 4, WRtg: 5000 } }, scaleFactors: { WRtg_SF: 0 } },
      {
        id: 123,
        values: { points: { WMaxLimPct: 100, WMaxLim_Ena: 0, Conn: 1 } },
        scaleFactors: { WMaxLimPct_SF: -1 },
      },
      ...extra,
    ],
  });
}

/** A 3-phase meter: 1, `before` (to move 203 elsewhere), 203. */
export function meterImage(sn = 'M-1', before: ImageModelSpec[] = []): SunspecImage {
  return buildSunspecImage({
    models: [
      common(sn),
      ...before,
      {
        id: 203,
        values: { points: { W: -1500, PhV: 231, Hz: 49.98, TotWhImp: 5000, TotWhExp: 7000 } },
        scaleFactors: { W_SF: 0, V_SF: 0, Hz_SF: -2, TotWh_SF: 0 },
      },
    ],
  });
}

const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

export interface SimDevice {
  server: ModbusTcpServer;
  poller: SunspecPoller;
  device: DeviceConfig;
}

/** One server (a gateway port) with `unit` at unit id 1, and a poller for it. */
export async function pollerFor(
  unit: SimUnit,
  role: DeviceRole,
  options: SunspecPollerOptions = {},
): Promise<SimDevice> {
  const server = new ModbusTcpServer().setUnit(1, unit.handler);
  const port = await server.listen();
  const link = new ModbusLink(tcpConnector('127.0.0.1', port), { timeoutMs: 300 });
  opened.push(async () => {
    await link.close();
    await server.close();
  });
  const device: DeviceConfig = {
    id: `${role}-1`,
    name: role,
    url: `modbus-tcp://127.0.0.1:${port}?unit=1`,
    role,
    memberId: null,
    pollIntervalMs: 1000,
    enabled: true,
  };
  return { server, device, poller: new SunspecPoller(device, link.unit(1), Date.now, options) };
}

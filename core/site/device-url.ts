// Device endpoints are URLs so that one string says everything needed to reach a device:
//   modbus-tcp://host:port?unit=N
//   modbus-rtuovertcp://host:port?unit=N
//   modbus-rtu:///dev/ttyUSB0?baud=9600&parity=even&stop=1&data=8&unit=N
//   opc.tcp://host:port/path
// Parsing is pure so the site schema, the CLI and the drivers agree on one meaning.
import { fail, ok, type Result } from '../result';

export type Parity = 'none' | 'even' | 'odd';

export interface ModbusTcpEndpoint {
  kind: 'modbus-tcp' | 'modbus-rtuovertcp';
  host: string;
  port: number;
  unitId: number;
}

export interface ModbusRtuEndpoint {
  kind: 'modbus-rtu';
  path: string;
  baudRate: number;
  parity: Parity;
  stopBits: 1 | 2;
  dataBits: 7 | 8;
  unitId: number;
}

export interface OpcUaEndpoint {
  kind: 'opcua';
  url: string;
  host: string;
  port: number;
}

export type DeviceEndpoint = ModbusTcpEndpoint | ModbusRtuEndpoint | OpcUaEndpoint;

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

export function parseDeviceUrl(text: string): Result<DeviceEndpoint> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad(`not a URL: "${text}"`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'modbus-tcp' || scheme === 'modbus-rtuovertcp') return parseTcp(scheme, url);
  if (scheme === 'modbus-rtu') return parseRtu(url);
  if (scheme === 'opc.tcp') {
    if (!url.hostname) return bad('opc.tcp URL needs a host');
    return ok({
      kind: 'opcua',
      url: text,
      host: url.hostname,
      port: url.port ? Number(url.port) : 4840,
    });
  }
  return bad(
    `unsupported scheme "${scheme}:" (use modbus-tcp, modbus-rtu, modbus-rtuovertcp or opc.tcp)`,
  );
}

/** The physical link a device sits on: devices with the same key share one request queue. */
export function linkKey(endpoint: DeviceEndpoint): string {
  switch (endpoint.kind) {
    case 'modbus-rtu':
      return `modbus-rtu:${endpoint.path}`;
    case 'opcua':
      return endpoint.url;
    default:
      return `${endpoint.kind}://${endpoint.host}:${endpoint.port}`;
  }
}

function parseTcp(kind: ModbusTcpEndpoint['kind'], url: URL): Result<DeviceEndpoint> {
  if (!url.hostname) return bad(`${kind} URL needs a host, e.g. ${kind}://192.168.1.20:502?unit=1`);
  const port = url.port ? Number(url.port) : 502;
  const unit = parseUnit(url);
  if (!unit.ok) return unit;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return ok({ kind, host, port, unitId: unit.value });
}

function parseRtu(url: URL): Result<DeviceEndpoint> {
  const path = decodeURIComponent(url.pathname);
  if (!path || path === '/')
    return bad('modbus-rtu URL needs a serial port path, e.g. modbus-rtu:///dev/ttyUSB0?unit=1');
  const q = url.searchParams;
  const baudRate = Number(q.get('baud') ?? 9600);
  if (!BAUD_RATES.includes(baudRate)) return bad(`baud must be one of ${BAUD_RATES.join(', ')}`);
  const parity = (q.get('parity') ?? 'none') as Parity;
  if (!['none', 'even', 'odd'].includes(parity)) return bad('parity must be none, even or odd');
  const stopBits = Number(q.get('stop') ?? 1);
  if (stopBits !== 1 && stopBits !== 2) return bad('stop must be 1 or 2');
  const dataBits = Number(q.get('data') ?? 8);
  if (dataBits !== 7 && dataBits !== 8) return bad('data must be 7 or 8');
  const unit = parseUnit(url);
  if (!unit.ok) return unit;
  return ok({ kind: 'modbus-rtu', path, baudRate, parity, stopBits, dataBits, unitId: unit.value });
}

function parseUnit(url: URL): Result<number> {
  const raw = url.searchParams.get('unit') ?? '1';
  const unit = Number(raw);
  // 0 is broadcast (no reply) and 248–255 are reserved; 255 is still common behind TCP gateways.
  if (!/^\d+$/.test(raw) || unit < 1 || unit > 255 || (unit > 247 && unit !== 255)) {
    return bad(`unit must be an integer 1–247 (or 255), got "${raw}"`);
  }
  return ok(unit);
}

function bad(message: string): { ok: false; error: { code: 'bad_url'; message: string } } {
  return fail({ code: 'bad_url', message });
}

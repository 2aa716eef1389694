// Time bounds and the end of a session: a dead port fails at once, a server that accepts
// TCP but never answers fails within the configured bound (never node-opcua's endless
// retrying), close() settles even when the server has gone, and a lost connection is
// reported to whoever holds the session.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOpcua, type OpcuaConnectOptions } from '../../../drivers/opcua/connect';
import type { OpcuaError } from '../../../drivers/opcua/opcua-error';
import { readValues } from '../../../drivers/opcua/read';
import { BATTERY_NODES } from '../../../drivers/sim/opcua/battery-address-space';
import { listenTcp } from '../../../drivers/sim/tcp-listen';
import { SIM_USER, startTestSimulator, trustingDataDir } from '../../support/opcua';

let dataDir: string;
let silent: Server;
let silentPort: number;
const held: Socket[] = [];
beforeAll(async () => {
  const sim = await startTestSimulator();
  dataDir = await trustingDataDir(sim);
  await sim.stop();
  // Accepts connections and says nothing, like a hung device or a wrong service behind the port.
  silent = createServer((socket) => void held.push(socket));
  silentPort = await listenTcp(silent);
});
afterAll(async () => {
  held.forEach((s) => s.destroy());
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const options = (endpointUrl: string, extra: Partial<OpcuaConnectOptions> = {}) => ({
  endpointUrl,
  dataDir,
  securityMode: 'sign-encrypt' as const,
  identity: SIM_USER,
  ...extra,
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  const port = await listenTcp(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('bounded connect', () => {
  it('a port nobody listens on fails at once as unreachable', async () => {
    const port = await closedPort();
    const started = Date.now();
    const result = await connectOpcua(options(`opc.tcp://127.0.0.1:${port}`));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(!result.ok && result.error).toEqual({
      code: 'unreachable',
      message: `cannot reach opc.tcp://127.0.0.1:${port}: nothing accepts connections on that port: check the address and port (ECONNREFUSED)`,
    });
  });

  it('a silent server fails within the configured bound', async () => {
    const started = Date.now();
    const result = await connectOpcua(
      options(`opc.tcp://127.0.0.1:${silentPort}`, { timeoutMs: 1200 }),
    );
    const elapsedMs = Date.now() - started;
    expect(!result.ok && result.error).toEqual({
      code: 'timeout',
      message: `opc.tcp://127.0.0.1:${silentPort} did not answer within 1200 ms: check the address, port and that the server is running`,
    });
    // The bound, plus at most the 2 s allowed for closing the abandoned attempt.
    expect(elapsedMs).toBeGreaterThanOrEqual(1150);
    expect(elapsedMs).toBeLessThan(3500);
  });

  it('the default bound is 5 s', async () => {
    const started = Date.now();
    const result = await connectOpcua(options(`opc.tcp://127.0.0.1:${silentPort}`));
    expect(!result.ok && result.error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(7500);
  }, 15_000);
});

describe('end of a session', () => {
  it('a lost connection is reported once; close() afterwards still settles', async () => {
    const sim = await startTestSimulator();
    const connected = await connectOpcua(options(sim.endpointUrl));
    expect(connected.ok).toBe(true);
    if (!connected.ok) return;
    const s = connected.value;
    const reasons: (OpcuaError | null)[] = [];
    s.onClose((reason) => reasons.push(reason));
    await sim.stop();
    await expect.poll(() => reasons.length, { timeout: 5000 }).toBe(1);
    expect(reasons[0]).toEqual({
      code: 'closed',
      message: `the connection to ${sim.endpointUrl} was lost`,
    });
    expect(s.closed).toBe(true);
    const read = await readValues(s, [sim.nodeId(BATTERY_NODES.stateOfChargePct)]);
    expect(!read.ok && read.error.code).toBe('closed');
    await s.close();
    expect(reasons).toHaveLength(1);
  });

  it('close() settles within its bound when the server has gone silent', async () => {
    const sim = await startTestSimulator();
    const connected = await connectOpcua(options(sim.endpointUrl));
    expect(connected.ok).toBe(true);
    if (!connected.ok) return;
    const reasons: (OpcuaError | null)[] = [];
    connected.value.onClose((reason) => reasons.push(reason));
    const started = Date.now();
    await Promise.all([connected.value.close(), sim.stop()]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(reasons).toEqual([null]);
  });
});

// The pool hands every device on one physical connection the same link.
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../core/result';
import { parseDeviceUrl, type DeviceEndpoint } from '../../../core/site/device-url';
import { LinkPool } from '../../../drivers/modbus/link-pool';
import { closeSimLinks, simLink } from './support/sim-link';

afterEach(closeSimLinks);

function endpoint(url: string): DeviceEndpoint {
  const parsed = parseDeviceUrl(url);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('LinkPool', () => {
  it('shares one link, and one connection, between units at the same host and port', async () => {
    const a = await simLink();
    const b = await simLink();
    const pool = new LinkPool({ timeoutMs: 500 });
    try {
      const unit1 = pool.unit(endpoint(`modbus-tcp://127.0.0.1:${a.port}?unit=1`));
      const unit2 = pool.unit(endpoint(`modbus-tcp://127.0.0.1:${a.port}?unit=2`));
      const other = pool.unit(endpoint(`modbus-tcp://127.0.0.1:${b.port}?unit=1`));
      if (!unit1.ok || !unit2.ok || !other.ok) throw new Error('pool refused a TCP endpoint');
      expect(pool.size).toBe(2);
      const results = await Promise.all([
        unit1.value.readHoldingRegisters(0, 1),
        unit2.value.readHoldingRegisters(0, 1),
        other.value.readHoldingRegisters(1, 1),
      ]);
      expect(results).toEqual([
        ok(Uint16Array.from([1000])),
        ok(Uint16Array.from([2000])),
        ok(Uint16Array.from([1001])),
      ]);
      expect(a.server.connectionStats()).toHaveLength(1);
      expect(a.server.connectionStats()[0]!.requests).toBe(2);
      expect(unit2.value.endpoint).toBe(`modbus-tcp://127.0.0.1:${a.port}?unit=2`);
    } finally {
      await pool.closeAll();
    }
  });

  it('refuses transports that are not built yet, with a Problem', () => {
    const pool = new LinkPool();
    const opcua = pool.unit(endpoint('opc.tcp://127.0.0.1:4840'));
    expect(!opcua.ok && opcua.error.code).toBe('unsupported_transport');
    expect(pool.size).toBe(0);
  });

  it('closeAll() settles pending requests with closed; a closed link is replaced on next use', async () => {
    const { server, port } = await simLink();
    server.setFault(1, { kind: 'no-reply' });
    const pool = new LinkPool({ timeoutMs: 10_000 });
    const target = endpoint(`modbus-tcp://127.0.0.1:${port}?unit=1`);
    const first = pool.link(target);
    if (!first.ok) throw new Error(first.error.message);
    const pending = first.value.unit(1).readHoldingRegisters(0, 1);
    await pool.closeAll();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'closed' } });
    expect(pool.size).toBe(0);
    const second = pool.link(target);
    expect(second.ok && second.value).not.toBe(first.value);
    await first.value.close();
    await pool.closeAll();
  });
});

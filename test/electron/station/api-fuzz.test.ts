// Thousands of malformed messages at a running station, with an admin's rights (the most a
// message can reach): malformed envelopes, unknown methods, and every method with params
// its schema refuses. Every one must be answered with a typed error, none may change
// anything, and the station must keep answering. Some go through the WebSocket host too,
// with frames no client library would send.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Caller } from '../../../core/api/dispatcher';
import { requestParamSchemas } from '../../../core/api/station-api-schema';
import type { ApiErrorCode, RequestMethod } from '../../../core/api/station-api';
import { startHttpHost, type HttpHost } from '../../../electron/host/http-host';
import { startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { loginCookie } from '../../support/host-auth';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs('mg-api-fuzz-');
const ADMIN: Caller = { kind: 'user', user: 'fuzz-admin', role: 'admin' };
const METHODS = Object.keys(requestParamSchemas) as RequestMethod[];
const TYPED: ReadonlySet<string> = new Set<ApiErrorCode>(['bad_request', 'unknown_method']);
let station: Station;
let host: HttpHost;

beforeAll(async () => {
  station = await startRuntime({ dataDir: tempDir(), forceDemo: true });
  const made = await station.auth.setup('fuzz-admin', 'a long fuzzing passphrase');
  if (!made.ok) throw new Error(made.error.message);
  host = await startHttpHost(station, { host: '127.0.0.1', port: 0, rendererDir: tempDir() });
}, 30_000);
afterAll(async () => {
  await host?.close();
  await station?.stop();
});

async function ask(method: RequestMethod, params: unknown = {}): Promise<unknown> {
  const reply = await station.dispatchAs(ADMIN, { type: 'request', id: 1, method, params });
  return reply.type === 'response' && reply.ok ? reply.value : null;
}

/** Everything a request could change, read back through the API. */
async function state(): Promise<string> {
  const control = (await ask('control.state')) as { mode: string; config: unknown };
  return JSON.stringify({
    site: await ask('site.get'),
    users: await ask('users.list'),
    control: { mode: control.mode, config: control.config },
    // Balances move with market settlements on their own; what requests add is entries.
    requested: await Promise.all(
      ['top-up', 'config-change', 'alarm-ack', 'control-action'].map((kind) =>
        // Sequence numbers only: an entry's block changes when the station seals it.
        ask('ledger.entries', { kind, limit: 500 }).then((entries) =>
          (entries as { seq: number }[]).map((e) => e.seq),
        ),
      ),
    ),
    preferences: await ask('market.preferences'),
    certificates: await ask('opcua.certificates'),
  });
}

const malformedParams = (method: RequestMethod) =>
  fc
    .oneof(
      fc.anything(),
      fc.object({ maxDepth: 2 }),
      fc.dictionary(
        fc.constantFrom(
          'id',
          'name',
          'mode',
          'config',
          'setpoint',
          'deviceId',
          'url',
          'memberId',
          'amountMinor',
          'password',
          'role',
        ),
        fc.anything(),
      ),
    )
    .filter((p) => !requestParamSchemas[method].safeParse(p).success);

describe('API fuzzing', () => {
  it('answers 3,000 malformed requests with typed errors and changes nothing', async () => {
    const before = await state();
    let count = 0;
    const envelope = fc.oneof(
      fc.anything(),
      fc.record({
        type: fc.string(),
        id: fc.anything(),
        method: fc.anything(),
        params: fc.anything(),
      }),
      fc.record({
        type: fc.constant('request'),
        id: fc.nat(),
        method: fc.string(),
        params: fc.anything(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (raw) => {
        count++;
        const reply = await station.dispatchAs(ADMIN, raw);
        expect(reply.type).toBe('response');
        // A random string may name a real method with params that happen to pass (e.g. {}):
        // such a call is no malformed message; the rest must fail with a typed error.
        if (reply.type === 'response' && !reply.ok) expect(TYPED).toContain(reply.error.code);
      }),
      { numRuns: 1000 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS).chain((m) => fc.tuple(fc.constant(m), malformedParams(m))),
        async ([method, params]) => {
          count++;
          const reply = await station.dispatchAs(ADMIN, { type: 'request', id: 7, method, params });
          expect(reply).toMatchObject({
            type: 'response',
            id: 7,
            ok: false,
            error: { code: 'bad_request' },
          });
        },
      ),
      { numRuns: 2000 },
    );
    expect(count).toBeGreaterThanOrEqual(3000);
    expect(await state()).toBe(before);
    expect(await ask('station.health')).toMatchObject({ siteId: expect.any(String) });
  }, 120_000);

  it('survives hostile WebSocket frames and answers each text frame', async () => {
    const base = host.url.replace(/\/$/, '');
    const cookie = await loginCookie(base, {
      user: 'fuzz-admin',
      password: 'a long fuzzing passphrase',
    });
    const before = await state();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, {
      origin: base,
      headers: { cookie },
    });
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    const frames = fc.sample(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.constant('{"type":"request","id":1,"method":"__proto__","params":{}}'),
        fc.constant('{"type":"request","id":1,"method":"constructor"}'),
      ),
      500,
    );
    for (const f of frames) ws.send(f);
    ws.send(Buffer.from([0, 1, 2, 255]), { binary: true });
    const deadline = Date.now() + 20_000;
    while (replies.length < frames.length + 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(replies).toHaveLength(frames.length + 1);
    for (const r of replies) expect(r).toMatchObject({ type: 'response' });
    // Too large for the host: the socket is closed, the station goes on.
    const closed = new Promise((r) => ws.once('close', r));
    ws.send('x'.repeat(70 * 1024));
    await closed;
    expect(await state()).toBe(before);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  }, 60_000);
});

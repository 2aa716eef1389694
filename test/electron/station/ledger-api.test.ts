// The ledger and accounts through the station API on a real data directory: top-ups move
// prepaid balances (and are refused for postpaid members), entries and blocks can be
// browsed and filtered, a statement comes with its proof, and "verify now" names a row
// edited behind the station's back with the sqlite3 API after dropping the triggers.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRuntime } from '../../../electron/station/runtime';
import { hashSite } from '../../../electron/station/site-ledger';
import type { Station } from '../../../electron/station/station';
import { smallSite } from '../../core/site/site-fixture';
import { useTempDirs } from '../../support/temp-dir';
import { call, refusal } from './station-api-client';

const tempDir = useTempDirs('mg-ledger-api-');
let station: Station | null = null;
afterEach(async () => {
  await station?.stop();
  station = null;
});

const site = () => ({
  ...smallSite(),
  devices: [],
  accounts: { lowBalanceMinor: 1000, disconnect: { allowAtNight: true } },
});

describe('ledger and accounts API', () => {
  it('tops up prepaid accounts, browses entries and exports a statement with its proof', async () => {
    const dataDir = tempDir();
    station = await startRuntime({ dataDir, site: site() });
    const before = await call(station, 'accounts.list', {});
    expect(before.accounts.find((a) => a.memberId === 'h1')).toMatchObject({
      balanceMinor: 0,
      prepaid: true,
      low: true,
      advice: { action: 'keep', reason: 'balance_ok' },
    });

    const topped = await call(station, 'accounts.topUp', {
      memberId: 'h1',
      amountMinor: 2500,
      method: 'cash',
      reference: 'receipt 17',
    });
    expect(topped).toMatchObject({ balanceMinor: 2500, low: false });
    expect(
      await refusal(station, 'accounts.topUp', {
        memberId: 'coop',
        amountMinor: 100,
        method: 'cash',
        reference: '',
      }),
    ).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/not prepaid/) });
    expect(
      await refusal(station, 'accounts.topUp', {
        memberId: 'h1',
        amountMinor: 10.5,
        method: 'cash',
        reference: '',
      }),
    ).toMatchObject({ code: 'bad_request' });

    const entries = await call(station, 'ledger.entries', { memberId: 'h1' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'top-up',
      amountMinor: 2500,
      balanceAfterMinor: 2500,
      block: null,
      payload: { method: 'cash', reference: 'receipt 17' },
    });
    const summary = await call(station, 'ledger.summary', {});
    expect(summary).toMatchObject({ height: 0, entries: 1, pending: 1 });
    expect(summary.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const blocks = await call(station, 'ledger.blocks', {});
    expect(blocks.map((b) => b.reason)).toEqual(['genesis']);

    const statement = await call(station, 'ledger.statement', {
      memberId: 'h1',
      fromMs: 0,
      toMs: Date.now() + 60_000,
    });
    expect(statement.name).toMatch(/^statement-h1-1970-01-01-/);
    expect(statement.csv).toMatch(/top-up/);
    expect(statement.html).toMatch(/House 1/);
    expect(statement.pending).toBe(1); // not sealed yet: listed, not provable yet
    expect(JSON.parse(statement.proof)).toMatchObject({ unproven: [{ seq: 1 }] });

    expect(await call(station, 'ledger.verify', {})).toMatchObject({
      ok: true,
      entries: 1,
      members: 1,
    });
  }, 30_000);

  it('verify now names an entry edited with the sqlite3 API after dropping the triggers', async () => {
    const dataDir = tempDir();
    station = await startRuntime({ dataDir, site: site() });
    await call(station, 'accounts.topUp', {
      memberId: 'h1',
      amountMinor: 700,
      method: 'voucher',
      reference: 'v-1',
    });
    await station.stop();
    station = null;

    const db = new Database(join(dataDir, 'station.db'));
    const triggers = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_entries'",
      )
      .all() as { name: string }[];
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    db.prepare(
      'UPDATE ledger_entries SET body = replace(body, \'"amountMinor":700\', \'"amountMinor":70000\'), amount_minor = 70000 WHERE seq = 1',
    ).run();
    db.close();

    station = await startRuntime({ dataDir, site: site() });
    const verified = await call(station, 'ledger.verify', {});
    expect(verified).toMatchObject({ ok: false, entry: 1 });
    if (!verified.ok) expect(verified.code).toMatch(/hash_mismatch|column_mismatch|balance/);
  }, 30_000);

  it('records every change of the running site as a configuration change', async () => {
    const dataDir = tempDir();
    station = await startRuntime({
      dataDir,
      site: { ...site(), devices: smallSite().devices },
    });
    await call(station, 'devices.remove', { id: 'grid-meter' });
    const all = await call(station, 'ledger.entries', { kind: 'config-change' });
    expect(all).toHaveLength(1);
    const [change] = all;
    const left = smallSite().devices.length - 1;
    expect(change).toMatchObject({
      kind: 'config-change',
      payload: {
        actor: 'local-operator',
        section: 'site',
        summary: `site test-site: ${left} devices (${left} enabled)`,
      },
    });
    const payload = change!.payload as { beforeHash: string; afterHash: string };
    expect(payload.beforeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(payload.afterHash).not.toBe(payload.beforeHash);
    expect(payload.afterHash).toBe(hashSite((await call(station, 'site.state', {})).site));
  }, 30_000);
});

// The market's record in the ledger, on one real station.db: orders and trades at clearing
// sealed into one block per interval, settlement amounts moving members' balances, and the
// whole file verifying afterwards with the station's public key.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../../core/ledger/ledger-repository';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import { marketMigrations, MarketRepository } from '../../../core/market/market-repository';
import { MarketService } from '../../../core/market/market-service';
import type { IntervalSettlement } from '../../../core/market/settlement-types';
import { tariffsFromSite } from '../../../core/market/tariffs';
import { applyMigrations } from '../../../core/storage/migrations';
import type { SqlDatabase } from '../../../core/storage/sql-port';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { loadOrCreateStationKey } from '../../../electron/station/ledger-keys';
import { recordClearing, recordSettlement } from '../../../electron/station/market-ledger';
import { stationMarketRules } from '../../../electron/station/market-rules';
import { useTempDirs } from '../../support/temp-dir';
import { smallSite } from '../../core/site/site-fixture';
import type { Snapshot } from '../../../core/points/snapshot';

const tempDir = useTempDirs('mg-market-ledger-');
const dbs: SqlDatabase[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

const T0 = Date.UTC(2026, 5, 21, 10, 0, 0);
const MIN = 60_000;

function snapshotAt(tsMs: number): Snapshot {
  const hours = (tsMs - T0 + 60 * MIN) / 3_600_000;
  const point = (value: number) => ({ value, unit: 'Wh', tsMs, stale: false });
  return {
    tsMs,
    points: {
      'meter-h1.energyImportWh': point(0),
      'meter-h1.energyExportWh': point(Math.round(2000 * hours)),
      'meter-coop.energyImportWh': point(Math.round(1200 * hours)),
      'meter-coop.energyExportWh': point(0),
    },
    devices: {},
    flows: { pvW: 3000, loadW: null, batteryW: null, gridW: null, socPct: null },
    members: [
      { memberId: 'h1', netW: -2000, pvW: 3000 },
      { memberId: 'coop', netW: 1200, pvW: null },
    ],
  };
}

describe('market records in the ledger', () => {
  it('writes orders, trades and settlements that verify and move balances', () => {
    const dir = tempDir();
    const db = openSqlite(join(dir, 'station.db'), { synchronous: 'full' });
    dbs.push(db);
    applyMigrations(db, marketMigrations);
    const key = loadOrCreateStationKey(dir);
    const ledger = openLedger(db, { signer: key.signer, nowMs: () => T0 });
    const site = smallSite();
    site.devices = ['h1', 'coop'].map((memberId, i) => ({
      id: `meter-${memberId}`,
      name: memberId,
      url: `modbus-tcp://127.0.0.1:1502?unit=${i + 1}`,
      role: 'household-meter' as const,
      memberId,
      pollIntervalMs: 1000,
      enabled: true,
    }));
    const tariffs = tariffsFromSite(site.tariffs);
    if (!tariffs.ok) throw new Error(tariffs.error.message);
    const repository = new MarketRepository(db);
    const log: string[] = [];
    const market = new MarketService({
      repository,
      site: () => site,
      rules: stationMarketRules,
      onCleared: (i) =>
        recordClearing(ledger, i, repository.orders(i.id), tariffs.value, (l) => log.push(l)),
      onSettled: (i) => recordSettlement(ledger, i, i.settledAtMs ?? 0, (l) => log.push(l)),
    });
    for (let ts = T0 - 20 * MIN; ts <= T0 + 31 * MIN; ts += 10_000) {
      market.onSnapshot(snapshotAt(ts));
      market.tick(ts);
    }
    expect(log).toEqual([]);

    const settledIds = repository
      .recentIntervals(10)
      .filter((i) => i.state === 'settled')
      .map((i) => i.id);
    expect(settledIds.length).toBeGreaterThanOrEqual(2);
    const head = ledger.head();
    // Genesis + one block per cleared interval that had anything to record (the first one,
    // 09:45, cleared without orders: too little telemetry for a forecast yet).
    const withOrders = repository
      .recentIntervals(10)
      .filter((i) => repository.orders(i.id).length > 0);
    expect(withOrders.length).toBe(repository.recentIntervals(10).length - 1);
    expect(head.height).toBe(withOrders.length);

    const expected = new Map<string, number>();
    for (const id of settledIds) {
      const settlement = repository.interval(id)!.settlement as IntervalSettlement;
      for (const m of settlement.members)
        expected.set(m.memberId, (expected.get(m.memberId) ?? 0) + m.amountMinor);
    }
    expect(ledger.balances()).toEqual(expected);
    expect(expected.get('coop')).toBeLessThan(0); // the buyer paid
    expect(expected.get('h1')).toBeGreaterThan(0); // the seller was paid

    const verified = verifyLedger(db, key.publicKey);
    expect(verified.ok).toBe(true);
  });
});

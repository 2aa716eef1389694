// The market's record in the ledger, on one real station.db: orders and trades at clearing
// sealed into one block per interval, settlement amounts moving members' balances, and the
// whole file verifying afterwards with the station's public key.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import type { IntervalSettlement } from '../../../core/market/settlement-types';
import type { SqlDatabase } from '../../../core/storage/sql-port';
import { useTempDirs } from '../../support/temp-dir';
import { smallSite } from '../../core/site/site-fixture';
import { marketWithLedger, MIN, T0 } from './market-ledger-fixture';

const tempDir = useTempDirs('mg-market-ledger-');
const dbs: SqlDatabase[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

describe('market records in the ledger', () => {
  it('writes orders, trades and settlements that verify and move balances', () => {
    const dir = tempDir();
    const { db, key, ledger, repository, log, run } = marketWithLedger(dir, smallSite(), {
      h1: -2000,
      coop: 1200,
    });
    dbs.push(db);
    run(T0 - 20 * MIN, T0 + 31 * MIN);
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

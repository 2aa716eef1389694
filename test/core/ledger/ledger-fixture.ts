// A ledger on a real SQLite file (WAL, synchronous=FULL) with a fresh station key.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { EntryInput } from '../../../core/ledger/entry-schema';
import { openLedger, type Ledger } from '../../../core/ledger/ledger-repository';
import { ed25519Signer } from '../../../core/ledger/signing';
import type { SqlDatabase } from '../../../core/storage/sql-port';
import { openSqlite } from '../../../core/storage/sqlite-adapter';

export interface Fixture {
  db: SqlDatabase;
  ledger: Ledger;
  path: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
  close(): void;
}

export function openFixture(dir: string, keys = generateKeyPairSync('ed25519')): Fixture {
  const path = join(dir, 'station.db');
  const db = openSqlite(path, { synchronous: 'full' });
  let now = 1_750_000_000_000;
  const ledger = openLedger(db, {
    signer: ed25519Signer(keys.privateKey),
    nowMs: () => (now += 1000),
  });
  return { db, ledger, path, ...keys, close: () => db.close() };
}

export const T0 = Date.UTC(2025, 5, 1, 8, 0);

export function topUp(memberId: string, amountMinor: number, timeMs = T0): EntryInput {
  return {
    kind: 'top-up',
    memberId,
    amountMinor,
    timeMs,
    payload: { method: 'cash', reference: `r-${amountMinor}` },
  };
}

export function settlement(memberId: string, amountMinor: number, timeMs = T0): EntryInput {
  return {
    kind: 'settlement',
    memberId,
    amountMinor,
    timeMs,
    payload: {
      intervalStartMs: timeMs - 900_000,
      intervalEndMs: timeMs,
      tradedWh: 1200,
      meteredWh: 1180,
      description: 'interval',
    },
  };
}

export function trade(buyerId: string, sellerId: string, timeMs = T0): EntryInput {
  return {
    kind: 'trade',
    timeMs,
    payload: {
      tradeId: `t-${timeMs}`,
      intervalStartMs: timeMs - 900_000,
      buyOrderId: 'b1',
      sellOrderId: 's1',
      buyerId,
      sellerId,
      energyWh: 1200,
      priceMicroPerKWh: 165_000,
    },
  };
}

export function controlAction(timeMs = T0): EntryInput {
  return {
    kind: 'control-action',
    timeMs,
    payload: { actor: 'operator', action: 'shed', target: 'load-3', result: 'ok' },
  };
}

/** Three sealed blocks and a pending tail: every kind of row for tamper tests. */
export function populate(ledger: Ledger): void {
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };
  must(ledger.appendBatch([topUp('alice', 5000), topUp('bob', 3000), controlAction()]));
  must(ledger.seal('interval 1'));
  must(
    ledger.appendBatch([
      trade('alice', 'bob', T0 + 900_000),
      settlement('alice', -198, T0 + 900_000),
      settlement('bob', 198, T0 + 900_000),
    ]),
  );
  must(ledger.seal('interval 2'));
  must(
    ledger.append({
      kind: 'fee',
      memberId: 'alice',
      amountMinor: -50,
      timeMs: T0 + 1_800_000,
      payload: { feeType: 'grid', description: 'network fee' },
    }),
  );
  must(ledger.append(topUp('carol', 1000, T0 + 1_800_000)));
  must(ledger.seal('interval 3'));
  must(ledger.append(settlement('carol', -120, T0 + 2_700_000)));
  must(ledger.append(controlAction(T0 + 2_700_000)));
  must(ledger.append(topUp('alice', 700, T0 + 2_700_000)));
}

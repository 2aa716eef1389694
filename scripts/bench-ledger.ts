// npm run bench:ledger [-- --verify-entries N]: durable append throughput with
// synchronous=FULL (one transaction per entry, and batches), seal time for 1k/10k pending
// entries, full verification over N entries (default 1M, 1000 per block), and in the same
// run the raw SHA-256 rate over the same canonical entries and raw Ed25519 sign/verify
// rates. Verification and the raw rates run alternately, best of 3 each, so a busy
// machine slows both alike and their ratio stays comparable between runs.
import { generateKeyPairSync, hash, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntryInput } from '../core/ledger/entry-schema';
import { openLedger, type Ledger } from '../core/ledger/ledger-repository';
import { ENTRY_COLUMNS } from '../core/ledger/ledger-rows';
import { verifyLedger } from '../core/ledger/ledger-verify';
import { merkleRoot } from '../core/ledger/merkle';
import type { VerifyCounts } from '../core/ledger/verify-types';
import { ed25519Signer } from '../core/ledger/signing';
import { openSqlite } from '../core/storage/sqlite-adapter';

const arg = process.argv.indexOf('--verify-entries');
const VERIFY_ENTRIES = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
const BATCH = 1000;
const keys = generateKeyPairSync('ed25519');

function entry(i: number): EntryInput {
  return i % 3 === 0
    ? {
        kind: 'settlement',
        memberId: `m${i % 50}`,
        amountMinor: (i % 401) - 200,
        timeMs: 1_750_000_000_000 + i,
        payload: {
          intervalStartMs: 1_750_000_000_000,
          intervalEndMs: 1_750_000_900_000,
          tradedWh: i % 5000,
          meteredWh: (i % 5000) - 3,
          description: 'interval settlement',
        },
      }
    : {
        kind: 'trade',
        timeMs: 1_750_000_000_000 + i,
        payload: {
          tradeId: `t${i}`,
          intervalStartMs: 1_750_000_000_000,
          buyOrderId: `b${i}`,
          sellOrderId: `s${i}`,
          buyerId: `m${i % 50}`,
          sellerId: `m${(i + 7) % 50}`,
          energyWh: 100 + (i % 3000),
          priceMicroPerKWh: 150_000 + (i % 50_000),
        },
      };
}

function fresh(): { ledger: Ledger; close(): void; db: ReturnType<typeof openSqlite> } {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-ledger-'));
  const db = openSqlite(join(dir, 'station.db'), { synchronous: 'full' });
  const ledger = openLedger(db, { signer: ed25519Signer(keys.privateKey) });
  return { ledger, db, close: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

console.log(`Ledger bench (Node ${process.version}, ${tmpdir()}, synchronous=FULL, WAL)`);

{
  const f = fresh();
  const n = 2000;
  const single = timed(() => {
    for (let i = 0; i < n; i++) must(f.ledger.append(entry(i)));
  });
  console.log(
    `append, one commit per entry:   ${n} entries in ${single.ms.toFixed(0)} ms = ${rate(n, single.ms)}`,
  );
  const total = 100_000;
  const batched = timed(() => {
    for (let i = 0; i < total; i += BATCH)
      must(f.ledger.appendBatch(Array.from({ length: BATCH }, (_, k) => entry(i + k))));
  });
  console.log(
    `append, ${BATCH} entries per commit: ${total} entries in ${batched.ms.toFixed(0)} ms = ${rate(total, batched.ms)}`,
  );
  f.close();
}

for (const size of [1000, 10_000]) {
  const f = fresh();
  for (let i = 0; i < size; i += BATCH)
    must(
      f.ledger.appendBatch(
        Array.from({ length: Math.min(BATCH, size - i) }, (_, k) => entry(i + k)),
      ),
    );
  const sealed = timed(() => must(f.ledger.seal('bench')));
  console.log(
    `seal ${size} pending entries (re-check chain, Merkle root, sign, commit): ${sealed.ms.toFixed(1)} ms`,
  );
  f.close();
}

{
  const f = fresh();
  const perBlock = 1000;
  for (let i = 0; i < VERIFY_ENTRIES; i += BATCH) {
    must(
      f.ledger.appendBatch(
        Array.from({ length: Math.min(BATCH, VERIFY_ENTRIES - i) }, (_, k) => entry(i + k)),
      ),
    );
    if ((i + BATCH) % perBlock === 0) must(f.ledger.seal('bench'));
  }
  const bodies = f.ledger.entriesAfter(0, VERIFY_ENTRIES).map((s) => s.body);
  const entryHashes = bodies.map((b) => hash('sha256', b, 'hex'));
  const rowQuery = f.db.prepare<{ seq: number }>(
    `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT 1000`,
  );
  const best = { verify: Infinity, sha: Infinity, merkle: Infinity, rows: Infinity };
  let v: VerifyCounts | undefined;
  for (let round = 0; round < 3; round++) {
    const verified = timed(() => must(verifyLedger(f.db, keys.publicKey)));
    v = verified.value;
    best.verify = Math.min(best.verify, verified.ms);
    best.sha = Math.min(
      best.sha,
      timed(() => {
        for (const body of bodies) hash('sha256', body, 'hex');
      }).ms,
    );
    // What any verifier must hash besides the entries: the RFC 6962 tree of each block.
    best.merkle = Math.min(
      best.merkle,
      timed(() => {
        for (let i = 0; i < entryHashes.length; i += perBlock)
          merkleRoot(entryHashes.slice(i, i + perBlock));
      }).ms,
    );
    // Reading the rows alone, through the same storage port verification uses.
    best.rows = Math.min(
      best.rows,
      timed(() => {
        let page = rowQuery.all(0);
        while (page.length > 0) page = rowQuery.all(page.at(-1)!.seq);
      }).ms,
    );
  }
  const n = v!.entries;
  const avgBytes = Math.round(bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length);
  console.log(
    `verify ${n} entries in ${v!.blocks} blocks (hashes, links, columns, balances, Merkle roots, block signatures): ${best.verify.toFixed(0)} ms = ${rate(n, best.verify)} entries`,
  );
  console.log(
    `raw SHA-256 over the same canonical entries (avg ${avgBytes} B): ${rate(n, best.sha)}; verify / raw = ${(best.sha / best.verify).toFixed(2)}`,
  );
  console.log(
    `  where verification's time goes: Merkle trees alone ${rate(n, best.merkle)} entries, reading the rows alone ${rate(n, best.rows)}`,
  );
  f.close();
}

{
  const n = 5000;
  const data = Buffer.from('x'.repeat(300));
  const signed = timed(() => {
    for (let i = 0; i < n; i++) sign(null, data, keys.privateKey);
  });
  const signature = sign(null, data, keys.privateKey);
  const checked = timed(() => {
    for (let i = 0; i < n; i++) verify(null, data, keys.publicKey, signature);
  });
  console.log(
    `raw Ed25519: sign ${rate(n, signed.ms)}, verify ${rate(n, checked.ms)} (a member-signed entry costs one verify more in verification)`,
  );
}

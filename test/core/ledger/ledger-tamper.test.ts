// Tampering as someone with the sqlite3 shell would: better-sqlite3 straight on the file,
// triggers dropped, rows edited, deleted, inserted and swapped in every ledger_* table.
// Ledger layout (populate): block 0 genesis, block 1 = entries 1–3, block 2 = 4–6,
// block 3 = 7–8, entries 9–11 pending.
import { copyFileSync, existsSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { canonicalize } from '../../../core/ledger/canonical-json';
import { sha256Hex } from '../../../core/ledger/hashing';
import { LEDGER_TABLES } from '../../../core/ledger/ledger-migrations';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { useTempDirs } from '../../support/temp-dir';
import { openFixture, populate } from './ledger-fixture';

const tempDir = useTempDirs('mg-ledger-tamper-');

function setup() {
  const f = openFixture(tempDir());
  populate(f.ledger);
  const head = f.ledger.head();
  const tip = f.ledger.tip();
  f.close();
  return { path: f.path, publicKey: f.publicKey, head, tip };
}

/** Drops the triggers and runs `fn` on the raw file, as an attacker would. */
function tamper(path: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path);
  for (const table of LEDGER_TABLES) {
    db.exec(`DROP TRIGGER IF EXISTS ${table}_no_update`);
    db.exec(`DROP TRIGGER IF EXISTS ${table}_no_delete`);
  }
  fn(db);
  db.close();
}

function verify(path: string, key: ReturnType<typeof setup>['publicKey'], witness = {}) {
  const db = openSqlite(path, { synchronous: 'full' });
  try {
    return verifyLedger(db, key, { witness, pageSize: 2 });
  } finally {
    db.close();
  }
}

type Row = Record<string, unknown>;
const body = (db: Database.Database, seq: number) =>
  JSON.parse(
    (db.prepare('SELECT body FROM ledger_entries WHERE seq = ?').get(seq) as Row).body as string,
  );

/** Rewrites an entry's body and, if asked, its hash, so the row itself looks consistent. */
function rewriteEntry(
  db: Database.Database,
  seq: number,
  change: (e: any) => void,
  rehash: boolean,
) {
  const entry = body(db, seq);
  change(entry);
  const text = canonicalize(entry);
  db.prepare(
    'UPDATE ledger_entries SET body = ?, hash = CASE WHEN ? THEN ? ELSE hash END, amount_minor = ?, balance_after_minor = ? WHERE seq = ?',
  ).run(text, rehash ? 1 : 0, sha256Hex(text), entry.amountMinor, entry.balanceAfterMinor, seq);
}

const ENTRY_COLS =
  'hash, prev_hash, time_ms, kind, member_id, amount_minor, balance_after_minor, body';
const BLOCK_COLS =
  'hash, prev_hash, merkle_root, time_ms, first_seq, entry_count, signer_key_id, signature, header';

function swapRows(
  db: Database.Database,
  table: string,
  key: string,
  cols: string,
  a: number,
  b: number,
) {
  const get = (k: number) =>
    db.prepare(`SELECT ${cols} FROM ${table} WHERE ${key} = ?`).get(k) as Row;
  const [ra, rb] = [get(a), get(b)];
  const names = cols.split(', ');
  const set = names.map((n) => `${n} = ?`).join(', ');
  const update = db.prepare(`UPDATE ${table} SET ${set} WHERE ${key} = ?`);
  update.run(...names.map((n) => rb[n]), a);
  update.run(...names.map((n) => ra[n]), b);
}

describe('verification after tampering with ledger_entries', () => {
  it('an intact ledger verifies with its counts', () => {
    const s = setup();
    expect(verify(s.path, s.publicKey)).toEqual({
      ok: true,
      value: {
        blocks: 4,
        entries: 11,
        sealedEntries: 8,
        pendingEntries: 3,
        members: 3,
        memberSignatures: 0,
        head: s.head,
        entryHash: s.tip.hash,
      },
    });
  });

  it('edited content: hash mismatch at that entry', () => {
    const s = setup();
    tamper(s.path, (db) => rewriteEntry(db, 2, (e) => (e.payload.reference = 'forged'), false));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'hash_mismatch', entry: 2, block: 1 },
    });
  });

  it('edited content with its hash recomputed: broken link at the next entry', () => {
    const s = setup();
    tamper(s.path, (db) => rewriteEntry(db, 5, (e) => (e.payload.description = 'forged'), true));
    const result = verify(s.path, s.publicKey);
    expect(result).toMatchObject({ ok: false, error: { code: 'broken_link', entry: 6, block: 2 } });
    expect(!result.ok && result.error.message).toMatch(/entry 5 hashes to/);
  });

  it('edited pending entry with its hash recomputed: broken link at the next pending entry', () => {
    const s = setup();
    tamper(s.path, (db) => rewriteEntry(db, 10, (e) => (e.payload.result = 'failed'), true));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'broken_link', entry: 11 },
    });
  });

  it('edited amount with a consistent hash: balance mismatch', () => {
    const s = setup();
    // Entry 9 is carol's pending settlement of −120 after a top-up of 1000 (balance 880).
    tamper(s.path, (db) => rewriteEntry(db, 9, (e) => (e.amountMinor = -20), true));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'balance_mismatch', entry: 9 },
    });
  });

  it('edited query column only: column mismatch', () => {
    const s = setup();
    tamper(s.path, (db) =>
      db.exec("UPDATE ledger_entries SET member_id = 'mallory' WHERE seq = 4"),
    );
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'column_mismatch', entry: 4 },
    });
  });

  it('deleted sealed entry: missing entry', () => {
    const s = setup();
    tamper(s.path, (db) => db.exec('DELETE FROM ledger_entries WHERE seq = 5'));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'missing_entry', entry: 5, block: 2 },
    });
  });

  it('deleted last entry of a block: missing entry', () => {
    const s = setup();
    tamper(s.path, (db) => db.exec('DELETE FROM ledger_entries WHERE seq = 8'));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'missing_entry', entry: 8, block: 3 },
    });
  });

  it('deleted pending entry: missing entry', () => {
    const s = setup();
    tamper(s.path, (db) => db.exec('DELETE FROM ledger_entries WHERE seq = 10'));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'missing_entry', entry: 10 },
    });
  });

  it('deleted newest pending entries: only a witness shows the cut', () => {
    const s = setup();
    tamper(s.path, (db) => db.exec('DELETE FROM ledger_entries WHERE seq >= 10'));
    expect(verify(s.path, s.publicKey).ok).toBe(true);
    expect(verify(s.path, s.publicKey, { entries: 11, entryHash: s.tip.hash })).toMatchObject({
      ok: false,
      error: { code: 'witness_mismatch', entry: 10 },
    });
  });

  it('inserted row: a copy at the end, a forged row, a row before the first', () => {
    const copy = setup();
    tamper(copy.path, (db) =>
      db.exec(
        `INSERT INTO ledger_entries (seq, ${ENTRY_COLS}) SELECT 12, ${ENTRY_COLS} FROM ledger_entries WHERE seq = 11`,
      ),
    );
    expect(verify(copy.path, copy.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'reordered', entry: 12 },
    });

    const forged = setup();
    tamper(forged.path, (db) =>
      db.exec(
        `INSERT INTO ledger_entries (seq, ${ENTRY_COLS}) SELECT 12, hash, hash, time_ms, kind, member_id, amount_minor, balance_after_minor, replace(body, '"seq":11', '"seq":12') FROM ledger_entries WHERE seq = 11`,
      ),
    );
    expect(verify(forged.path, forged.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'hash_mismatch', entry: 12 },
    });

    const before = setup();
    tamper(before.path, (db) =>
      db.exec(
        `INSERT INTO ledger_entries (seq, ${ENTRY_COLS}) SELECT 0, ${ENTRY_COLS} FROM ledger_entries WHERE seq = 1`,
      ),
    );
    expect(verify(before.path, before.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'inserted', entry: 0 },
    });
  });

  it('reordered rows (sealed and pending): reordered at the first moved row', () => {
    const sealed = setup();
    tamper(sealed.path, (db) => swapRows(db, 'ledger_entries', 'seq', ENTRY_COLS, 2, 3));
    expect(verify(sealed.path, sealed.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'reordered', entry: 2, block: 1 },
    });
    const pending = setup();
    tamper(pending.path, (db) => swapRows(db, 'ledger_entries', 'seq', ENTRY_COLS, 9, 10));
    expect(verify(pending.path, pending.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'reordered', entry: 9 },
    });
  });

  it('a whole rewritten block of entries (bodies, hashes, links): Merkle root mismatch', () => {
    const s = setup();
    tamper(s.path, (db) => {
      // Rewrite entry 7 and re-link 8, and 9 after it, so the chain itself is consistent again.
      rewriteEntry(db, 7, (e) => (e.payload.description = 'forged'), true);
      for (const seq of [8, 9]) {
        const prev = (
          db.prepare('SELECT hash FROM ledger_entries WHERE seq = ?').get(seq - 1) as Row
        ).hash;
        rewriteEntry(db, seq, (e) => (e.prevHash = prev), true);
        db.prepare('UPDATE ledger_entries SET prev_hash = ? WHERE seq = ?').run(prev, seq);
      }
    });
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'merkle_mismatch', block: 3 },
    });
  });
});

describe('verification after tampering with ledger_blocks', () => {
  it('edited header: hash mismatch; with its hash recomputed: bad signature', () => {
    const s = setup();
    tamper(s.path, (db) =>
      db.exec(
        `UPDATE ledger_blocks SET header = replace(header, 'interval 2', 'interval X') WHERE height = 2`,
      ),
    );
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'hash_mismatch', block: 2 },
    });
    const t = setup();
    tamper(t.path, (db) => {
      const header = (db.prepare('SELECT header FROM ledger_blocks WHERE height = 2').get() as Row)
        .header as string;
      const forged = header.replace('interval 2', 'interval X');
      db.prepare('UPDATE ledger_blocks SET header = ?, hash = ? WHERE height = 2').run(
        forged,
        sha256Hex(forged),
      );
    });
    expect(verify(t.path, t.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'bad_signature', block: 2 },
    });
  });

  it('a block re-signed with another key: unknown key', () => {
    const s = setup();
    const other = generateKeyPairSync('ed25519');
    tamper(s.path, (db) => {
      const header = JSON.parse(
        (db.prepare('SELECT header FROM ledger_blocks WHERE height = 3').get() as Row)
          .header as string,
      );
      header.signerKeyId = 'ffffffffffffffff';
      const text = canonicalize(header);
      db.prepare(
        'UPDATE ledger_blocks SET header = ?, hash = ?, signer_key_id = ?, signature = ? WHERE height = 3',
      ).run(
        text,
        sha256Hex(text),
        header.signerKeyId,
        sign(null, Buffer.from(text), other.privateKey).toString('base64'),
      );
    });
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'unknown_key', block: 3 },
    });
  });

  it('edited column only: column mismatch', () => {
    const s = setup();
    tamper(s.path, (db) => db.exec('UPDATE ledger_blocks SET entry_count = 2 WHERE height = 1'));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'column_mismatch', block: 1 },
    });
  });

  it('deleted block: missing block; deleted newest block: only a witness shows it', () => {
    const s = setup();
    tamper(s.path, (db) => db.exec('DELETE FROM ledger_blocks WHERE height = 2'));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'missing_block', block: 2 },
    });
    const t = setup();
    tamper(t.path, (db) => db.exec('DELETE FROM ledger_blocks WHERE height = 3'));
    expect(verify(t.path, t.publicKey)).toMatchObject({
      ok: true,
      value: { blocks: 3, pendingEntries: 5 },
    });
    expect(
      verify(t.path, t.publicKey, { height: t.head.height, blockHash: t.head.hash }),
    ).toMatchObject({
      ok: false,
      error: { code: 'witness_mismatch', block: 3 },
    });
  });

  it('inserted block: a copy at the next height is reordered, a forged one fails its hash', () => {
    const s = setup();
    tamper(s.path, (db) =>
      db.exec(
        `INSERT INTO ledger_blocks (height, ${BLOCK_COLS}) SELECT 4, ${BLOCK_COLS} FROM ledger_blocks WHERE height = 3`,
      ),
    );
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'reordered', block: 4 },
    });
    const t = setup();
    tamper(t.path, (db) =>
      db.exec(
        `INSERT INTO ledger_blocks (height, ${BLOCK_COLS}) SELECT 4, hash, hash, merkle_root, time_ms, 9, 3, signer_key_id, signature, replace(header, '"height":3', '"height":4') FROM ledger_blocks WHERE height = 3`,
      ),
    );
    expect(verify(t.path, t.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'hash_mismatch', block: 4 },
    });
    const u = setup();
    tamper(u.path, (db) =>
      db.exec(
        `INSERT INTO ledger_blocks (height, ${BLOCK_COLS}) SELECT -1, ${BLOCK_COLS} FROM ledger_blocks WHERE height = 0`,
      ),
    );
    expect(verify(u.path, u.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'inserted', block: -1 },
    });
  });

  it('reordered blocks: reordered at the first moved row', () => {
    const s = setup();
    tamper(s.path, (db) => swapRows(db, 'ledger_blocks', 'height', BLOCK_COLS, 1, 2));
    expect(verify(s.path, s.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'reordered', block: 1 },
    });
  });
});

describe('a truncated WAL', () => {
  it('loses the last commits as a whole; the chain still verifies, a witness shows the loss', () => {
    const dir = tempDir();
    const f = openFixture(dir);
    f.db.pragma('wal_autocheckpoint = 0');
    populate(f.ledger);
    const tip = f.ledger.tip();
    // Copy the file and its WAL while the connection is open: what a power cut leaves.
    const copy = join(tempDir(), 'station.db');
    copyFileSync(f.path, copy);
    copyFileSync(`${f.path}-wal`, `${copy}-wal`);
    f.close();
    const walSize = statSync(`${copy}-wal`).size;
    truncateSync(`${copy}-wal`, Math.floor(walSize * 0.8));
    expect(existsSync(`${copy}-wal`)).toBe(true);
    const db = openSqlite(copy, { synchronous: 'full' });
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    db.close();
    const intact = verify(copy, f.publicKey);
    expect(intact.ok).toBe(true);
    expect(intact.ok && intact.value.entries).toBeLessThan(tip.seq);
    expect(verify(copy, f.publicKey, { entries: tip.seq, entryHash: tip.hash })).toMatchObject({
      ok: false,
      error: { code: 'witness_mismatch' },
    });
  });
});

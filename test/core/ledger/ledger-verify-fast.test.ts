// Verification's fast path gives the same verdicts as the full check, and bodies that are
// not canonical are refused even with a consistent hash (a second spelling of an entry
// could read differently to another JSON parser).
import { generateKeyPairSync, sign } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../core/ledger/hashing';
import { memberSignedBody } from '../../../core/ledger/ledger-entry';
import { ENTRY_COLUMNS, type EntryRow } from '../../../core/ledger/ledger-rows';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import { keyIdOf } from '../../../core/ledger/hashing';
import { rawPublicKey } from '../../../core/ledger/signing';
import { EntryChecker } from '../../../core/ledger/verify-entries';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { useTempDirs } from '../../support/temp-dir';
import { openFixture, populate, T0 } from './ledger-fixture';

const tempDir = useTempDirs('mg-ledger-fast-');

function rewriteLast(path: string, edit: (body: string) => string): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER IF EXISTS ledger_entries_no_update');
  const { seq, body } = db
    .prepare('SELECT seq, body FROM ledger_entries ORDER BY seq DESC LIMIT 1')
    .get() as { seq: number; body: string };
  const text = edit(body);
  expect(text).not.toBe(body);
  db.prepare('UPDATE ledger_entries SET body = ?, hash = ? WHERE seq = ?').run(
    text,
    sha256Hex(text),
    seq,
  );
  db.close();
}

function verifyFile(path: string, key: Parameters<typeof verifyLedger>[1]) {
  const db = openSqlite(path, { synchronous: 'full' });
  try {
    return verifyLedger(db, key);
  } finally {
    db.close();
  }
}

describe('verification fast path', () => {
  it('gives the same verdict and state as the full check on every entry', () => {
    const f = openFixture(tempDir());
    populate(f.ledger);
    // A member key and a member-signed top-up: entries the fast path leaves to the full check.
    const member = generateKeyPairSync('ed25519');
    const raw = rawPublicKey(member.publicKey);
    const keyId = keyIdOf(raw);
    const keyEntry = {
      kind: 'member-key',
      memberId: 'dave',
      timeMs: T0,
      payload: { keyId, publicKeyHex: raw.toString('hex') },
    };
    expect(f.ledger.append(keyEntry).ok).toBe(true);
    const input = {
      kind: 'top-up' as const,
      memberId: 'dave',
      amountMinor: 300,
      timeMs: T0,
      payload: { method: 'cash' as const, reference: 'signed' },
    };
    const signature = sign(null, Buffer.from(memberSignedBody(input)), member.privateKey);
    expect(
      f.ledger.append({
        ...input,
        memberSignature: { keyId, signature: signature.toString('base64') },
      }),
    ).toMatchObject({ ok: true });
    const rows = f.db
      .prepare<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries ORDER BY seq`)
      .all();
    const fast = new EntryChecker();
    const full = new EntryChecker();
    for (const row of rows) {
      expect(fast.checkFast(row)).toBeNull();
      expect(full.check(row)).toBeNull();
    }
    expect(fast.prevHash).toBe(full.prevHash);
    expect([...fast.balances]).toEqual([...full.balances]);
    expect(fast.memberSignatures).toBe(1);
    // A changed column or balance reaches the full check, which names it.
    const broken = { ...rows[0]!, member_id: 'mallory' };
    expect(new EntryChecker().checkFast(broken)).toMatchObject({ code: 'column_mismatch' });
    f.close();
  });

  it.each([
    ['whitespace', (b: string) => b.replace('"kind":', '"kind": ')],
    [
      'members out of order',
      (b: string) => b.replace(/^\{("amountMinor":[^,]*),/, '{"v":1,$1,').replace(/,"v":1\}$/, '}'),
    ],
    ['a duplicate member', (b: string) => b.replace(/\}$/, ',"amountMinor":999999}')],
    ['an escaped letter', (b: string) => b.replace('"kind":"top-up"', '"kind":"top\\u002dup"')],
  ])('a body rewritten with %s and its hash recomputed is malformed', (_name, edit) => {
    const f = openFixture(tempDir());
    populate(f.ledger);
    f.close();
    rewriteLast(f.path, edit);
    expect(verifyFile(f.path, f.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'malformed', entry: 11 },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import { ZERO_HASH, sha256Hex } from '../../../core/ledger/hashing';
import { useTempDirs } from '../../support/temp-dir';
import { T0, openFixture, populate, settlement, topUp } from './ledger-fixture';

const tempDir = useTempDirs('mg-ledger-');

describe('Ledger', () => {
  it('starts with a signed genesis block of no entries', () => {
    const f = openFixture(tempDir());
    const [genesis] = f.ledger.blocks();
    expect(genesis?.header).toMatchObject({
      height: 0,
      prevHash: ZERO_HASH,
      firstSeq: 1,
      entryCount: 0,
      reason: 'genesis',
    });
    expect(genesis?.header.merkleRoot).toBe(sha256Hex(''));
    expect(f.ledger.head()).toEqual({ height: 0, hash: genesis?.hash, entries: 0 });
    f.close();
  });

  it('chains entries, keeps running balances and seals pending entries into blocks', () => {
    const f = openFixture(tempDir());
    const a = f.ledger.append(topUp('alice', 5000));
    const b = f.ledger.append(settlement('alice', -1200));
    if (!a.ok || !b.ok) throw new Error('append failed');
    expect(a.value.entry).toMatchObject({ seq: 1, prevHash: ZERO_HASH, balanceAfterMinor: 5000 });
    expect(b.value.entry).toMatchObject({
      seq: 2,
      prevHash: a.value.hash,
      balanceAfterMinor: 3800,
    });
    expect(f.ledger.head().entries).toBe(2);
    expect(f.ledger.tip()).toEqual({ seq: 2, hash: b.value.hash, pending: 2 });
    const sealed = f.ledger.seal('interval 1');
    if (!sealed.ok || !sealed.value) throw new Error('seal failed');
    expect(sealed.value.header).toMatchObject({ height: 1, firstSeq: 1, entryCount: 2 });
    expect(f.ledger.head()).toEqual({ height: 1, hash: sealed.value.hash, entries: 2 });
    expect(f.ledger.seal('nothing pending')).toEqual({ ok: true, value: null });
    expect(f.ledger.balances()).toEqual(new Map([['alice', 3800]]));
    f.close();
  });

  it('refuses a whole batch when one entry is refused', () => {
    const f = openFixture(tempDir());
    const result = f.ledger.appendBatch([
      topUp('alice', 10),
      { ...topUp('bob', 10), amountMinor: 1.5 },
    ]);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_entry', index: 1, path: 'amountMinor' },
    });
    const unknownKey = f.ledger.appendBatch([
      topUp('alice', 10),
      {
        ...topUp('bob', 10),
        memberSignature: {
          keyId: '0123456789abcdef',
          signature: Buffer.alloc(64).toString('base64'),
        },
      },
    ]);
    expect(unknownKey).toMatchObject({
      ok: false,
      error: { code: 'unknown_member_key', index: 1 },
    });
    expect(f.ledger.head().entries).toBe(0);
    f.close();
  });

  it('the triggers refuse UPDATE and DELETE on every ledger table', () => {
    const f = openFixture(tempDir());
    populate(f.ledger);
    expect(() => f.db.exec('UPDATE ledger_entries SET amount_minor = 1 WHERE seq = 1')).toThrow(
      /append-only/,
    );
    expect(() => f.db.exec('DELETE FROM ledger_entries WHERE seq = 1')).toThrow(/append-only/);
    expect(() => f.db.exec('UPDATE ledger_blocks SET time_ms = 1 WHERE height = 1')).toThrow(
      /append-only/,
    );
    expect(() => f.db.exec('DELETE FROM ledger_blocks')).toThrow(/append-only/);
    expect(verifyLedger(f.db, f.publicKey)).toMatchObject({
      ok: true,
      value: { blocks: 4, entries: 11, pendingEntries: 3 },
    });
    f.close();
  });

  it('keeps acknowledged entries across a reopen and continues the chain', () => {
    const dir = tempDir();
    const f = openFixture(dir);
    populate(f.ledger);
    const tip = f.ledger.tip();
    f.close();
    const g = openFixture(dir, { publicKey: f.publicKey, privateKey: f.privateKey });
    expect(g.ledger.tip()).toEqual(tip);
    const next = g.ledger.append(topUp('bob', 1, T0 + 3_600_000));
    expect(next.ok && next.value.entry.prevHash).toBe(tip.hash);
    expect(verifyLedger(g.db, g.publicKey).ok).toBe(true);
    g.close();
  });
});

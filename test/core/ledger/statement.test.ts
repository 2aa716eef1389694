import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkProof } from '../../../core/ledger/check-proof';
import { memberSignedBody } from '../../../core/ledger/ledger-entry';
import { keyIdOf } from '../../../core/ledger/hashing';
import { rawPublicKey } from '../../../core/ledger/signing';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import { buildStatement } from '../../../core/ledger/statement';
import { useTempDirs } from '../../support/temp-dir';
import { T0, openFixture, populate, topUp } from './ledger-fixture';

const tempDir = useTempDirs('mg-ledger-statement-');
const DAY = 86_400_000;

describe('statements and proofs', () => {
  it('proves every sealed entry of the member, lists pending ones as unproven, and carries the opening balance', () => {
    const f = openFixture(tempDir());
    populate(f.ledger);
    // From the fee on (entry 7): the opening balance comes from alice's settlement, entry 5.
    const { statement, proof } = buildStatement(
      f.ledger,
      'alice',
      T0 + 1_800_000,
      T0 + DAY,
      T0 + DAY,
    );
    expect(statement.lines.map((l) => l.seq)).toEqual([7, 11]);
    expect(statement).toMatchObject({
      openingBalanceMinor: 4802,
      closingBalanceMinor: 5452,
      pending: 1,
    });
    expect(proof.entries.map((e) => [e.entry.seq, e.opening ?? false])).toEqual([
      [5, true],
      [7, false],
    ]);
    expect(proof.unproven.map((u) => u.seq)).toEqual([11]);
    expect(checkProof(JSON.parse(JSON.stringify(proof)), f.publicKey)).toMatchObject({
      ok: true,
      value: { memberId: 'alice', entries: 2, blocks: 2, unproven: 1, closingBalanceMinor: 4752 },
    });
    f.close();
  });

  it('refuses a proof whose entry, path, block or member was changed', () => {
    const f = openFixture(tempDir());
    populate(f.ledger);
    const { proof } = buildStatement(f.ledger, 'bob', T0, T0 + DAY, T0);
    const fresh = () => JSON.parse(JSON.stringify(proof));
    const cases: Array<[(p: any) => void, string]> = [
      [(p) => (p.entries[0].entry.amountMinor += 1), 'hash_mismatch'],
      [(p) => (p.entries[1].path[0] = p.entries[0].hash), 'merkle_mismatch'],
      [(p) => (p.entries[1].index += 1), 'merkle_mismatch'],
      [(p) => (p.blocks[0].header.reason = 'forged'), 'hash_mismatch'],
      [(p) => (p.memberId = 'alice'), 'not_member'],
      [(p) => (p.format = 'other'), 'invalid_proof'],
      [(p) => (p.blocks = []), 'invalid_proof'],
    ];
    for (const [change, code] of cases) {
      const p = fresh();
      change(p);
      expect(checkProof(p, f.publicKey)).toMatchObject({ ok: false, error: { code } });
    }
    expect(checkProof(fresh(), generateKeyPairSync('ed25519').publicKey)).toMatchObject({
      ok: false,
      error: { code: 'unknown_key' },
    });
    f.close();
  });

  it('checks entries a member signed with a key registered in the ledger', () => {
    const f = openFixture(tempDir());
    const member = generateKeyPairSync('ed25519');
    const raw = rawPublicKey(member.publicKey);
    const keyId = keyIdOf(raw);
    const registered = f.ledger.append({
      kind: 'member-key',
      memberId: 'alice',
      timeMs: T0,
      payload: { keyId, publicKeyHex: raw.toString('hex') },
    });
    expect(registered.ok).toBe(true);
    const order = {
      kind: 'order' as const,
      memberId: 'alice',
      amountMinor: null,
      timeMs: T0,
      payload: {
        orderId: 'o1',
        side: 'buy' as const,
        energyWh: 1000,
        priceMicroPerKWh: 200_000,
        intervalStartMs: T0,
      },
    };
    const signature = sign(null, Buffer.from(memberSignedBody(order)), member.privateKey).toString(
      'base64',
    );
    expect(f.ledger.append({ ...order, memberSignature: { keyId, signature } }).ok).toBe(true);
    const forged = f.ledger.append({
      ...order,
      payload: { ...order.payload, energyWh: 9000 },
      memberSignature: { keyId, signature },
    });
    expect(forged).toMatchObject({ ok: false, error: { code: 'bad_member_signature' } });
    expect(
      f.ledger.append({
        ...topUp('alice', 1),
        memberSignature: { keyId: 'ffffffffffffffff', signature },
      }),
    ).toMatchObject({ ok: false, error: { code: 'unknown_member_key' } });
    expect(verifyLedger(f.db, f.publicKey)).toMatchObject({
      ok: true,
      value: { memberSignatures: 1 },
    });
    f.close();
  });
});

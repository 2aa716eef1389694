// The kinds of ledger entries and their payloads, checked with zod where an entry enters
// the ledger. Money is integer minor units, energy integer Wh, prices integer
// micro-currency per kWh (core/market/price.ts), times UTC ms: floats never get hashed.
//
// amountMinor is signed from the member's side: + credits the member's prepaid account
// (a top-up, a sale), − debits it (a purchase, a fee).
import { z } from 'zod';

const id = z.string().min(1).max(200);
const text = z.string().max(2000);
const wh = z.int().nonnegative();
const ms = z.int().nonnegative();
const marketRule = z.enum(['normal', 'fair-share', 'scarcity-price']);
/** The role the actor had when acting; absent for the station's own work. */
const role = z.enum(['viewer', 'operator', 'technician', 'admin']).optional();

const payloads = {
  order: z.strictObject({
    orderId: id,
    side: z.enum(['buy', 'sell']),
    energyWh: z.int().positive(),
    priceMicroPerKWh: z.int().nonnegative(),
    intervalStartMs: ms,
    energyType: id.optional(),
  }),
  trade: z.strictObject({
    tradeId: id,
    intervalStartMs: ms,
    buyOrderId: id,
    sellOrderId: id,
    buyerId: id,
    sellerId: id,
    energyWh: z.int().positive(),
    priceMicroPerKWh: z.int().nonnegative(),
  }),
  'meter-reading': z.strictObject({
    meterId: id,
    readAtMs: ms,
    importWh: wh,
    exportWh: wh,
  }),
  settlement: z.strictObject({
    intervalStartMs: ms,
    intervalEndMs: ms,
    tradedWh: z.int(),
    meteredWh: z.int(),
    description: text,
  }),
  'top-up': z.strictObject({
    method: z.enum(['cash', 'mobile-money', 'bank', 'voucher', 'other']),
    reference: text,
    // Who recorded the payment (absent in entries from before accounts existed).
    actor: id.optional(),
    role,
  }),
  fee: z.strictObject({ feeType: id, description: text }),
  // Who did what to which target, and what came of it; `when` is the entry's timeMs.
  'control-action': z.strictObject({
    actor: id,
    role,
    action: id,
    target: id,
    result: z.enum(['ok', 'refused', 'failed']),
    detail: text.optional(),
  }),
  'config-change': z.strictObject({
    actor: id,
    role,
    section: id,
    summary: text,
    beforeHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    afterHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  }),
  'alarm-ack': z.strictObject({ actor: id, role, alarmId: id, note: text.optional() }),
  // Logins, failed logins, logouts and account changes: who (and in which role), what, result.
  audit: z.strictObject({
    actor: id,
    event: id,
    detail: text.optional(),
    role,
    result: z.enum(['ok', 'refused']).optional(),
  }),
  // The market switched rules at this interval: into island rules when the grid was lost
  // at gate closure, back to normal when it returned (or between the island rules). With
  // the interval's price, supply, demand and each member's ration under island rules.
  'market-rules': z.strictObject({
    intervalId: id,
    intervalStartMs: ms,
    rule: marketRule,
    previousRule: marketRule,
    priceMicroPerKWh: z.int().nonnegative().nullable(),
    supplyWh: wh,
    demandWh: wh,
    rations: z
      .array(
        z
          .strictObject({
            memberId: id,
            side: z.enum(['buy', 'sell']),
            requestedWh: wh,
            rationWh: wh,
          })
          .refine((r) => r.rationWh <= r.requestedWh, 'rationWh must not exceed requestedWh'),
      )
      .max(100_000),
  }),
  // A member's Ed25519 public key, so later entries the member signs can be checked from
  // the ledger alone (and a swapped key is as visible as any other edit).
  'member-key': z.strictObject({
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKeyHex: z.string().regex(/^[0-9a-f]{64}$/),
  }),
} as const;

export type EntryKind = keyof typeof payloads;
export const ENTRY_KINDS = Object.keys(payloads) as EntryKind[];
export type Payloads = { [K in EntryKind]: z.output<(typeof payloads)[K]> };

type Money = 'none' | 'any' | 'credit' | 'debit';
interface KindRule {
  member: 'required' | 'optional' | 'none';
  money: Money;
}

/** Which kinds move money and which concern one member. */
export const KIND_RULES: Record<EntryKind, KindRule> = {
  order: { member: 'required', money: 'none' },
  // A trade concerns two members: they are in the payload (buyerId, sellerId).
  trade: { member: 'none', money: 'none' },
  'meter-reading': { member: 'optional', money: 'none' },
  settlement: { member: 'required', money: 'any' },
  'top-up': { member: 'required', money: 'credit' },
  fee: { member: 'required', money: 'debit' },
  'control-action': { member: 'optional', money: 'none' },
  'config-change': { member: 'none', money: 'none' },
  'alarm-ack': { member: 'none', money: 'none' },
  audit: { member: 'optional', money: 'none' },
  'market-rules': { member: 'none', money: 'none' },
  'member-key': { member: 'required', money: 'none' },
};

export const memberSignatureSchema = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Base64 of the 64-byte Ed25519 signature over the entry's signed body (entry-codec.ts). */
  signature: z.base64().length(88),
});
export type MemberSignature = z.output<typeof memberSignatureSchema>;

const inputSchema = z.strictObject({
  kind: z.enum(ENTRY_KINDS as [EntryKind, ...EntryKind[]]),
  timeMs: ms,
  memberId: id.nullable().optional(),
  amountMinor: z.int().nullable().optional(),
  payload: z.unknown(),
  memberSignature: memberSignatureSchema.optional(),
});

/** What a caller appends. The ledger adds sequence, links and the running balance. */
export type EntryInput = {
  [K in EntryKind]: {
    kind: K;
    timeMs: number;
    memberId?: string | null;
    amountMinor?: number | null;
    payload: Payloads[K];
    memberSignature?: MemberSignature;
  };
}[EntryKind];

/** An input after validation: absent optionals are null, so the hash never depends on it. */
export interface CheckedInput {
  kind: EntryKind;
  timeMs: number;
  memberId: string | null;
  amountMinor: number | null;
  payload: Record<string, unknown>;
  memberSignature: MemberSignature | null;
}

export type InputProblem = { code: 'invalid_entry'; message: string; path?: string };

export function checkEntryInput(
  raw: unknown,
): { ok: true; value: CheckedInput } | { ok: false; error: InputProblem } {
  const base = inputSchema.safeParse(raw);
  if (!base.success) return invalid(base.error);
  const { kind, timeMs } = base.data;
  const payload = payloads[kind].safeParse(base.data.payload);
  if (!payload.success) return invalid(payload.error, 'payload');
  const memberId = base.data.memberId ?? null;
  const amountMinor = base.data.amountMinor ?? null;
  const rule = KIND_RULES[kind];
  if (rule.member === 'required' && memberId === null)
    return problem(`a ${kind} entry needs a memberId`, 'memberId');
  if (rule.member === 'none' && memberId !== null)
    return problem(`a ${kind} entry concerns no single member`, 'memberId');
  if (rule.money === 'none' && amountMinor !== null)
    return problem(`a ${kind} entry moves no money`, 'amountMinor');
  if (rule.money !== 'none' && amountMinor === null)
    return problem(`a ${kind} entry needs amountMinor (integer minor units)`, 'amountMinor');
  if (rule.money === 'credit' && amountMinor !== null && amountMinor <= 0)
    return problem(`a ${kind} amount credits the member: it must be > 0`, 'amountMinor');
  if (rule.money === 'debit' && amountMinor !== null && amountMinor >= 0)
    return problem(`a ${kind} amount debits the member: it must be < 0`, 'amountMinor');
  if (base.data.memberSignature && memberId === null)
    return problem('a member signature needs the memberId of the signer', 'memberSignature');
  return {
    ok: true,
    value: {
      kind,
      timeMs,
      memberId,
      amountMinor,
      payload: payload.data as Record<string, unknown>,
      memberSignature: base.data.memberSignature ?? null,
    },
  };
}

function problem(message: string, path: string): { ok: false; error: InputProblem } {
  return { ok: false, error: { code: 'invalid_entry', message: `${path}: ${message}`, path } };
}

function invalid(error: z.ZodError, prefix?: string): { ok: false; error: InputProblem } {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return problem(issue?.message ?? 'invalid entry', path || '(entry)');
}

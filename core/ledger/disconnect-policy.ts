// When a prepaid member may be disconnected for lack of credit. A pure decision the
// control layer acts on (or not): it never switches anything itself. Critical members
// (medical equipment, shelters) are never disconnected, postpaid members never by this
// policy, and by default nobody at night, when a disconnection is hardest to fix.
import { z } from 'zod';

export interface DisconnectPolicy {
  enabled: boolean;
  /** Disconnect only when the balance is below this, in minor units (0: only when negative). */
  minBalanceMinor: number;
  /** Local night window, minutes after midnight; may wrap midnight. Equal: no night. */
  night: { startMinute: number; endMinute: number };
  allowAtNight: boolean;
  /** IANA time zone of the site, e.g. `Africa/Nairobi`: the night is local night. */
  timeZone: string;
}

export const DEFAULT_DISCONNECT_POLICY: DisconnectPolicy = {
  enabled: true,
  minBalanceMinor: 0,
  night: { startMinute: 18 * 60, endMinute: 7 * 60 },
  allowAtNight: false,
  timeZone: 'UTC',
};

const minute = z.int().min(0).max(1439);
const policySchema = z.strictObject({
  enabled: z.boolean().optional(),
  minBalanceMinor: z.int().optional(),
  night: z.strictObject({ startMinute: minute, endMinute: minute }).optional(),
  allowAtNight: z.boolean().optional(),
  timeZone: z.string().refine(isTimeZone, { message: 'not an IANA time zone' }).optional(),
});

/** Fills a partial policy (from configuration) with the defaults; names a bad field. */
export function parseDisconnectPolicy(
  raw: unknown,
):
  | { ok: true; value: DisconnectPolicy }
  | { ok: false; error: { code: 'invalid_policy'; message: string } } {
  const parsed = policySchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid_policy',
        message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
      },
    };
  }
  const { enabled, minBalanceMinor, night, allowAtNight, timeZone } = parsed.data;
  const d = DEFAULT_DISCONNECT_POLICY;
  return {
    ok: true,
    value: {
      enabled: enabled ?? d.enabled,
      minBalanceMinor: minBalanceMinor ?? d.minBalanceMinor,
      night: night ?? d.night,
      allowAtNight: allowAtNight ?? d.allowAtNight,
      timeZone: timeZone ?? d.timeZone,
    },
  };
}

export type KeepReason = 'policy_disabled' | 'not_prepaid' | 'critical' | 'balance_ok' | 'night';

export type DisconnectDecision =
  | {
      action: 'disconnect';
      memberId: string;
      reason: 'balance_below_minimum';
      balanceMinor: number;
    }
  | { action: 'keep'; memberId: string; reason: KeepReason; balanceMinor: number };

export interface PolicyMember {
  id: string;
  prepaid: boolean;
  critical: boolean;
}

export function decideDisconnect(
  member: PolicyMember,
  balanceMinor: number,
  nowMs: number,
  policy: DisconnectPolicy = DEFAULT_DISCONNECT_POLICY,
): DisconnectDecision {
  const keep = (reason: KeepReason): DisconnectDecision => ({
    action: 'keep',
    memberId: member.id,
    reason,
    balanceMinor,
  });
  if (!policy.enabled) return keep('policy_disabled');
  if (!member.prepaid) return keep('not_prepaid');
  if (member.critical) return keep('critical');
  if (balanceMinor >= policy.minBalanceMinor) return keep('balance_ok');
  if (!policy.allowAtNight && isNight(nowMs, policy)) return keep('night');
  return {
    action: 'disconnect',
    memberId: member.id,
    reason: 'balance_below_minimum',
    balanceMinor,
  };
}

/** Is nowMs inside the policy's night window, in the site's local time? */
export function isNight(
  nowMs: number,
  policy: Pick<DisconnectPolicy, 'night' | 'timeZone'>,
): boolean {
  const { startMinute: start, endMinute: end } = policy.night;
  if (start === end) return false;
  const m = localMinuteOfDay(nowMs, policy.timeZone);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

export function localMinuteOfDay(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(nowMs);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

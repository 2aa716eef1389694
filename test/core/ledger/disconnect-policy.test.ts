import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DISCONNECT_POLICY,
  decideDisconnect,
  isNight,
  parseDisconnectPolicy,
} from '../../../core/ledger/disconnect-policy';

const prepaid = { id: 'alice', prepaid: true, critical: false };
const noon = Date.UTC(2025, 5, 1, 12, 0);
const night = Date.UTC(2025, 5, 1, 23, 30);

describe('decideDisconnect', () => {
  it('disconnects a prepaid member below the minimum in the day', () => {
    expect(decideDisconnect(prepaid, -1, noon)).toEqual({
      action: 'disconnect',
      memberId: 'alice',
      reason: 'balance_below_minimum',
      balanceMinor: -1,
    });
  });

  it('keeps critical, postpaid, funded members, and everyone at night by default', () => {
    expect(decideDisconnect({ ...prepaid, critical: true }, -500, noon)).toMatchObject({
      action: 'keep',
      reason: 'critical',
    });
    expect(decideDisconnect({ ...prepaid, prepaid: false }, -500, noon)).toMatchObject({
      action: 'keep',
      reason: 'not_prepaid',
    });
    expect(decideDisconnect(prepaid, 0, noon)).toMatchObject({
      action: 'keep',
      reason: 'balance_ok',
    });
    expect(decideDisconnect(prepaid, -500, night)).toMatchObject({
      action: 'keep',
      reason: 'night',
    });
    expect(
      decideDisconnect(prepaid, -500, noon, { ...DEFAULT_DISCONNECT_POLICY, enabled: false }),
    ).toMatchObject({ reason: 'policy_disabled' });
  });

  it('critical members stay connected even when night disconnection is allowed', () => {
    const policy = { ...DEFAULT_DISCONNECT_POLICY, allowAtNight: true };
    expect(decideDisconnect(prepaid, -500, night, policy).action).toBe('disconnect');
    expect(decideDisconnect({ ...prepaid, critical: true }, -500, night, policy).action).toBe(
      'keep',
    );
  });

  it('uses a configurable minimum balance', () => {
    const policy = { ...DEFAULT_DISCONNECT_POLICY, minBalanceMinor: -1000 };
    expect(decideDisconnect(prepaid, -999, noon, policy).action).toBe('keep');
    expect(decideDisconnect(prepaid, -1001, noon, policy).action).toBe('disconnect');
  });

  it('judges the night in the site time zone, windows wrapping midnight or not', () => {
    // 12:00 UTC is 21:00 in Tokyo (night) and 05:00 in Denver (night), 14:00 in Berlin (day).
    const zone = (timeZone: string) => ({ ...DEFAULT_DISCONNECT_POLICY, timeZone });
    expect(isNight(noon, zone('Asia/Tokyo'))).toBe(true);
    expect(isNight(noon, zone('America/Denver'))).toBe(true);
    expect(isNight(noon, zone('Europe/Berlin'))).toBe(false);
    const siesta = {
      night: { startMinute: 13 * 60, endMinute: 15 * 60 },
      timeZone: 'Europe/Berlin',
    };
    expect(isNight(noon, siesta)).toBe(true);
    expect(isNight(noon, { ...siesta, night: { startMinute: 600, endMinute: 600 } })).toBe(false);
  });

  it('parses a partial policy with defaults and names a bad field', () => {
    expect(parseDisconnectPolicy({ minBalanceMinor: -200, timeZone: 'Africa/Nairobi' })).toEqual({
      ok: true,
      value: { ...DEFAULT_DISCONNECT_POLICY, minBalanceMinor: -200, timeZone: 'Africa/Nairobi' },
    });
    expect(parseDisconnectPolicy({ timeZone: 'Mars/Olympus' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_policy', message: /timeZone/ },
    });
    expect(parseDisconnectPolicy({ minBalanceMinor: 0.5 })).toMatchObject({
      ok: false,
      error: { message: /minBalanceMinor/ },
    });
  });
});

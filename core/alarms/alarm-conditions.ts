// The station's alarm conditions, evaluated on every snapshot: devices offline or degraded,
// grid import and export approaching or breaching the connection's limits, prepaid members
// below the low-balance threshold, and a failed ledger verification. Control adds its own
// (island, load shed, cycle overrun) through `extra`.
import type { Snapshot } from '../points/snapshot';
import type { Site } from '../site/site-types';
import type { AlarmEngine, AlarmRule, Condition } from './alarm-engine';

export const RULES = {
  deviceOffline: {
    kind: 'device-offline',
    severity: 'major',
    raiseDelayMs: 10_000,
    clearDelayMs: 5_000,
  },
  deviceDegraded: {
    kind: 'device-degraded',
    severity: 'minor',
    raiseDelayMs: 30_000,
    clearDelayMs: 10_000,
  },
  importNear: {
    kind: 'import-near-limit',
    severity: 'minor',
    raiseDelayMs: 10_000,
    clearDelayMs: 30_000,
  },
  importOver: {
    kind: 'import-over-limit',
    severity: 'major',
    raiseDelayMs: 2_000,
    clearDelayMs: 10_000,
  },
  exportNear: {
    kind: 'export-near-limit',
    severity: 'minor',
    raiseDelayMs: 10_000,
    clearDelayMs: 30_000,
  },
  exportOver: {
    kind: 'export-over-limit',
    severity: 'major',
    raiseDelayMs: 2_000,
    clearDelayMs: 10_000,
  },
  lowBalance: { kind: 'low-balance', severity: 'minor', raiseDelayMs: 0, clearDelayMs: 0 },
  ledgerInvalid: {
    kind: 'ledger-verification-failed',
    severity: 'critical',
    raiseDelayMs: 0,
    clearDelayMs: 0,
  },
} as const satisfies Record<string, AlarmRule>;

/** "Approaching" a limit starts at this share of it; both bands clear a little lower. */
const NEAR_SHARE = 0.9;
const NEAR_CLEAR_SHARE = 0.85;
const OVER_CLEAR_SHARE = 0.95;

export interface AlarmInputs {
  snapshot: Snapshot;
  site: Site;
  /** Prepaid members' balances below the warning threshold (from the ledger). */
  lowBalances: ReadonlyArray<{ memberId: string; balanceMinor: number; thresholdMinor: number }>;
  /** The last ledger verification's failure, null if it passed or has not run. */
  ledgerProblem: string | null;
  extra?: readonly Condition[];
}

export function alarmConditions(engine: AlarmEngine, inputs: AlarmInputs): Condition[] {
  const { snapshot, site } = inputs;
  const conditions: Condition[] = [];
  for (const device of site.devices) {
    if (!device.enabled) continue;
    const status = snapshot.devices[device.id];
    const state = status?.state ?? 'offline';
    const error = status?.lastError ? `: ${status.lastError}` : '';
    conditions.push({
      key: `device-offline:${device.id}`,
      rule: RULES.deviceOffline,
      active: state === 'offline',
      message: `${device.name} does not answer${error}`,
      source: device.id,
    });
    conditions.push({
      key: `device-degraded:${device.id}`,
      rule: RULES.deviceDegraded,
      active: state === 'degraded',
      message: `${device.name} answers only in part${error}`,
      source: device.id,
    });
  }
  const gridW = snapshot.flows.gridW;
  const limits: Array<[string, number | null, number, AlarmRule, AlarmRule, string]> = [
    [
      'import',
      gridW === null ? null : gridW,
      site.grid.importLimitW,
      RULES.importNear,
      RULES.importOver,
      'import',
    ],
    [
      'export',
      gridW === null ? null : -gridW,
      site.grid.exportLimitW,
      RULES.exportNear,
      RULES.exportOver,
      'export',
    ],
  ];
  for (const [name, valueW, limitW, near, over, words] of limits) {
    if (limitW <= 0) continue;
    const kw = (w: number) => `${(w / 1000).toFixed(1)} kW`;
    const now = valueW === null ? '' : ` (${kw(valueW)})`;
    conditions.push(
      engine.level({
        key: `${name}-near-limit`,
        rule: near,
        value: valueW,
        raiseAt: limitW * NEAR_SHARE,
        clearBelow: limitW * NEAR_CLEAR_SHARE,
        message: `grid ${words}${now} is above 90 % of its limit of ${kw(limitW)}`,
        source: 'grid',
      }),
      engine.level({
        key: `${name}-over-limit`,
        rule: over,
        value: valueW,
        raiseAt: limitW + 1,
        clearBelow: limitW * OVER_CLEAR_SHARE,
        message: `grid ${words}${now} is over its limit of ${kw(limitW)}`,
        source: 'grid',
      }),
    );
  }
  const low = new Map(inputs.lowBalances.map((l) => [l.memberId, l]));
  for (const member of site.members) {
    if (!member.prepaid) continue;
    const l = low.get(member.id);
    conditions.push({
      key: `low-balance:${member.id}`,
      rule: RULES.lowBalance,
      active: l !== undefined,
      message: l
        ? `${member.name}: prepaid balance ${l.balanceMinor} is below ${l.thresholdMinor} (minor units)`
        : `${member.name}: prepaid balance is fine`,
      source: member.id,
    });
  }
  conditions.push({
    key: 'ledger-verification-failed',
    rule: RULES.ledgerInvalid,
    active: inputs.ledgerProblem !== null,
    message: `ledger verification failed: ${inputs.ledgerProblem ?? ''}`,
    source: 'ledger',
  });
  return [...conditions, ...(inputs.extra ?? [])];
}

// What a scenario measures on the simulator side, trusting nothing the station reports:
// every physics segment (power balance, SoC, grid flow, who went without) and every
// control write the simulated devices received. Energies sum in exact W·ms, so the
// summary does not depend on how the run was stepped. "Cycles" are physics ticks
// (tickMs, 1 s by default): a tick counts once if the limit was exceeded at any time in it.
import type { DemoPhysics, PhysicsSegment } from './demo-physics';

const WMS_PER_WH = 3_600_000;

export interface RecorderLimits {
  /** Grid import above this (W) counts a cycle over the import limit. */
  importLimitW: number;
  /** Export above this (W, positive) counts a cycle over the export limit. */
  exportLimitW: number;
  socMinLimitPct: number;
  socMaxLimitPct: number;
}

export interface ReceivedWrite {
  /** Simulated UTC ms when the device received it. */
  simMs: number;
  deviceId: string;
  /** "sunspec:123", "sunspec:124" or "profile:<id>". */
  target: string;
  /** Decoded values as written, by point name (scale factors applied). */
  values: Readonly<Record<string, number | boolean>>;
  accepted: boolean;
  /** The Modbus exception the device answered, null when accepted. */
  exceptionCode: number | null;
  /** Set when the write asks for more than the device's own nameplate or limits allow. */
  violation: string | null;
  /** A control enabled with revert timer 0: it would hold forever if the station died. */
  withoutRevert: boolean;
}

export interface DemoRunSummary {
  fromMs: number;
  toMs: number;
  cycles: number;
  minSocPct: number | null;
  maxSocPct: number | null;
  socMinLimitPct: number;
  socMaxLimitPct: number;
  /** Largest import seen (W ≥ 0; 0 if it never imported). */
  maxImportW: number;
  importLimitW: number;
  /** Largest export seen (W ≥ 0, as a positive number). */
  maxExportW: number;
  exportLimitW: number;
  cyclesOverImportLimit: number;
  cyclesOverExportLimit: number;
  gridImportWh: number;
  gridExportWh: number;
  unservedWh: number;
  /** Unserved energy per member id (critical and not), only members that went without. */
  unservedByMemberWh: Record<string, number>;
  criticalDemandWh: number;
  criticalUnservedWh: number;
  /** Critical demand the site could have met: all of it on grid, up to the island's capacity in an outage. */
  criticalServableWh: number;
  /** Critical energy unserved although the island had enough for the critical members. */
  criticalUnservedWhileServableWh: number;
  outages: { startMs: number; endMs: number | null }[];
  writesReceived: number;
  writesRefused: number;
  envelopeViolations: number;
  writesWithoutRevert: number;
  /** Largest |demand − supply| over all segments and meters; 0 W when the books balance. */
  powerBalanceMaxErrorW: number;
  /** Powers that were not whole watts (should be 0). */
  nonIntegerPowers: number;
}

export interface DemoRecorder {
  readonly writes: readonly ReceivedWrite[];
  recordWrite(write: ReceivedWrite): void;
  summary(): DemoRunSummary;
  /** Stops listening to the physics; the summary stays readable. */
  stop(): void;
}

export function createDemoRecorder(physics: DemoPhysics, limits: RecorderLimits): DemoRecorder {
  const writes: ReceivedWrite[] = [];
  const fromMs = physics.simNowMs;
  const t = {
    toMs: fromMs,
    minSoc: null as number | null,
    maxSoc: null as number | null,
    maxImportW: 0,
    maxExportW: 0,
    importTicks: 0,
    exportTicks: 0,
    lastImportTick: -1,
    lastExportTick: -1,
    balanceErrorW: 0,
    nonInteger: 0,
    wms: {
      imp: 0,
      exp: 0,
      unserved: 0,
      critDemand: 0,
      critUnserved: 0,
      critServable: 0,
      critLost: 0,
    },
    unservedByMember: new Map<string, number>(),
    outages: [] as { startMs: number; endMs: number | null }[],
  };

  const onSegment = (s: PhysicsSegment): void => {
    const dt = s.endMs - s.startMs;
    const d = s.dispatch;
    const tick = Math.floor(s.startMs / s.tickMs);
    t.toMs = s.endMs;
    for (const soc of [s.socPctStart, s.socPctEnd]) {
      t.minSoc = t.minSoc === null ? soc : Math.min(t.minSoc, soc);
      t.maxSoc = t.maxSoc === null ? soc : Math.max(t.maxSoc, soc);
    }
    t.maxImportW = Math.max(t.maxImportW, d.gridW);
    t.maxExportW = Math.max(t.maxExportW, -d.gridW);
    if (d.gridW > limits.importLimitW && tick !== t.lastImportTick) {
      t.importTicks++;
      t.lastImportTick = tick;
    }
    if (-d.gridW > limits.exportLimitW && tick !== t.lastExportTick) {
      t.exportTicks++;
      t.lastExportTick = tick;
    }
    if (d.gridW > 0) t.wms.imp += d.gridW * dt;
    else t.wms.exp -= d.gridW * dt;
    t.wms.unserved += d.unservedW * dt;
    trackOutage(s);
    checkBalance(s);
    trackMembers(s, dt);
  };

  function trackOutage(s: PhysicsSegment): void {
    const last = t.outages[t.outages.length - 1];
    if (s.outage && (!last || last.endMs !== null))
      t.outages.push({ startMs: s.startMs, endMs: null });
    if (!s.outage && last && last.endMs === null) last.endMs = s.startMs;
  }

  function checkBalance(s: PhysicsSegment): void {
    const { env, dispatch: d } = s;
    const powers = [
      d.gridW,
      d.batteryW,
      d.unservedW,
      ...d.householdNetW,
      ...d.pvW,
      ...env.communityLoadW,
    ];
    t.nonInteger += powers.filter((w) => !Number.isInteger(w)).length;
    const demandW = sum(d.householdNetW) + sum(env.communityLoadW);
    let worst = Math.abs(demandW - (d.gridW + d.batteryW + d.unservedW));
    // Each meter must read its load minus the PV behind it.
    d.householdNetW.forEach((netW, i) => {
      const loadW = env.householdLoadW[i] ?? 0;
      worst = Math.max(worst, Math.abs(loadW - (d.householdPvW[i] ?? 0) - netW));
    });
    // Unserved power is split over members without losing a watt.
    const split = sum(d.householdUnservedW) + sum(d.communityUnservedW);
    worst = Math.max(worst, Math.abs(split - d.unservedW));
    t.balanceErrorW = Math.max(t.balanceErrorW, worst);
  }

  function trackMembers(s: PhysicsSegment, dt: number): void {
    const { topology, dispatch: d, env } = s;
    let demandW = 0;
    let unservedW = 0;
    const member = (memberId: string, critical: boolean, drawW: number, lostW: number): void => {
      if (lostW > 0)
        t.unservedByMember.set(memberId, (t.unservedByMember.get(memberId) ?? 0) + lostW * dt);
      if (!critical) return;
      demandW += Math.max(0, drawW);
      unservedW += lostW;
    };
    topology.households.forEach((h, i) =>
      member(h.memberId, h.critical, d.householdNetW[i] ?? 0, d.householdUnservedW[i] ?? 0),
    );
    topology.communityLoads.forEach((c, i) =>
      member(c.memberId, c.critical, env.communityLoadW[i] ?? 0, d.communityUnservedW[i] ?? 0),
    );
    const servableW =
      d.islandCapacityW === null ? demandW : Math.min(demandW, Math.max(0, d.islandCapacityW));
    t.wms.critDemand += demandW * dt;
    t.wms.critUnserved += unservedW * dt;
    t.wms.critServable += servableW * dt;
    // Only what goes missing beyond the part the island could not have covered anyway.
    t.wms.critLost += Math.max(0, unservedW - (demandW - servableW)) * dt;
  }

  const stop = physics.onSegment(onSegment);
  return {
    writes,
    recordWrite(write) {
      writes.push(write);
    },
    summary() {
      const wh = (wms: number): number => Math.floor(wms / WMS_PER_WH);
      return {
        fromMs,
        toMs: t.toMs,
        cycles: Math.ceil((t.toMs - fromMs) / physics.tickMs),
        minSocPct: t.minSoc,
        maxSocPct: t.maxSoc,
        socMinLimitPct: limits.socMinLimitPct,
        socMaxLimitPct: limits.socMaxLimitPct,
        maxImportW: t.maxImportW,
        importLimitW: limits.importLimitW,
        maxExportW: t.maxExportW,
        exportLimitW: limits.exportLimitW,
        cyclesOverImportLimit: t.importTicks,
        cyclesOverExportLimit: t.exportTicks,
        gridImportWh: wh(t.wms.imp),
        gridExportWh: wh(t.wms.exp),
        unservedWh: wh(t.wms.unserved),
        unservedByMemberWh: Object.fromEntries(
          [...t.unservedByMember].map(([id, wms]) => [id, wh(wms)]),
        ),
        criticalDemandWh: wh(t.wms.critDemand),
        criticalUnservedWh: wh(t.wms.critUnserved),
        criticalServableWh: wh(t.wms.critServable),
        criticalUnservedWhileServableWh: wh(t.wms.critLost),
        outages: t.outages.map((o) => ({ ...o })),
        writesReceived: writes.length,
        writesRefused: writes.filter((w) => !w.accepted).length,
        envelopeViolations: writes.filter((w) => w.violation !== null).length,
        writesWithoutRevert: writes.filter((w) => w.withoutRevert).length,
        powerBalanceMaxErrorW: t.balanceErrorW,
        nonIntegerPowers: t.nonInteger,
      };
    },
    stop,
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

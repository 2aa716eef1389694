// What the simulated inverters do with the SunSpec controls the station writes, and which
// values they refuse (exception 03), as a device checking its own nameplate would.
//
// Model 123 (PV inverters): WMaxLim_Ena = ENABLED caps the output at WMaxLimPct % of the
// rating (model 120 WRtg) from the write on; WMaxLimPct_RvrtTms (s, 0 = never) runs in
// simulated time and restarts with every write of WMaxLimPct, its timer or the enable.
// When it runs out the inverter sets WMaxLim_Ena back to DISABLED. WinTms and RmpTms are
// stored and read back but act at once (no random window, no ramp).
//
// Model 124 (battery): StorCtl_Mod bit 0 (CHARGE) puts InWRte in force, bit 1 (DiSCHARGE)
// OutWRte, both in % of WChaMax. The battery keeps its own self-consumption control but
// inside the window [−InWRte·WChaMax, +OutWRte·WChaMax] (> 0 discharge): a negative
// OutWRte forces charging, a negative InWRte forces discharging, and both bits with
// OutWRte = −InWRte = p hold exactly p % (a setpoint). Where the two contradict, the
// discharge bound wins. InOutWRte_RvrtTms (s, 0 = never) restarts with every write of the
// rates, the timer or StorCtl_Mod; on expiry StorCtl_Mod reads 0 again and the battery is
// back in self-consumption. WChaMax caps charging from the write on (no revert: a setting);
// MinRsvPct is the SoC it keeps while grid-connected (an island may use it).
import type { DemoPhysics } from '../demo/demo-physics';
import type { DemoState } from '../demo/demo-state';
import type { SunspecImage } from '../../sunspec/device-image';

export interface SunspecControl {
  /** The refusal for values just written (the image already holds them), null to accept. */
  check(written: readonly string[]): string | null;
  /** Acts on accepted values; returns true when it enabled a control that never reverts. */
  apply(written: readonly string[]): boolean;
  /** Shows on the registers what the device did on its own since (a revert). */
  reflect(state: DemoState): void;
}

const num = (image: SunspecImage, model: number, point: string): number | null => {
  const value = image.getPoint(model, point);
  return typeof value === 'number' ? value : null;
};
const secondsToMs = (s: number | null): number | null => (s && s > 0 ? s * 1000 : null);
const touches = (written: readonly string[], names: readonly string[]): boolean =>
  written.some((w) => names.includes(w));
const outside = (v: number | null, min: number, max: number): boolean =>
  v !== null && (v < min || v > max);

export function pvControl(
  image: SunspecImage,
  deviceId: string,
  physics: DemoPhysics,
): SunspecControl {
  const LIMIT_POINTS = ['WMaxLimPct', 'WMaxLimPct_RvrtTms', 'WMaxLim_Ena'];
  return {
    check(written) {
      const pct = num(image, 123, 'WMaxLimPct');
      if (written.includes('WMaxLimPct') && outside(pct, 0, 100))
        return `WMaxLimPct ${pct} % is outside 0–100 %`;
      return null;
    },
    apply(written) {
      if (!touches(written, LIMIT_POINTS)) return false;
      const enabled = num(image, 123, 'WMaxLim_Ena') === 1;
      if (!enabled) {
        if (written.includes('WMaxLim_Ena')) physics.setPvLimit(deviceId, null);
        return false;
      }
      const revertS = num(image, 123, 'WMaxLimPct_RvrtTms');
      const pct = num(image, 123, 'WMaxLimPct') ?? 100;
      physics.setPvLimit(deviceId, pct, { revertAfterMs: secondsToMs(revertS) });
      return !revertS;
    },
    reflect(state) {
      const pv = state.pv[deviceId];
      if (pv?.limitPct === null && num(image, 123, 'WMaxLim_Ena') === 1)
        image.setPoint(123, 'WMaxLim_Ena', 0);
    },
  };
}

export function batteryControl(
  image: SunspecImage,
  physics: DemoPhysics,
  nameplate: { maxChargeW: number; maxDischargeW: number },
): SunspecControl {
  const WINDOW_POINTS = ['StorCtl_Mod', 'InWRte', 'OutWRte', 'InOutWRte_RvrtTms'];
  return {
    check(written) {
      const value = (p: string) => num(image, 124, p);
      const has = (p: string) => written.includes(p);
      const wChaMax = value('WChaMax');
      if (has('WChaMax') && outside(wChaMax, 0, nameplate.maxChargeW))
        return `WChaMax ${wChaMax} W is outside 0–${nameplate.maxChargeW} W (nameplate)`;
      for (const p of ['InWRte', 'OutWRte'])
        if (has(p) && outside(value(p), -100, 100)) return `${p} ${value(p)} % is outside ±100 %`;
      if (has('MinRsvPct') && outside(value('MinRsvPct'), 0, 100))
        return `MinRsvPct ${value('MinRsvPct')} % is outside 0–100 %`;
      const mod = value('StorCtl_Mod') ?? 0;
      if (has('StorCtl_Mod') && (mod & ~3) !== 0)
        return `StorCtl_Mod ${mod} sets bits other than CHARGE (0) and DiSCHARGE (1)`;
      for (const p of ['WChaGra', 'WDisChaGra'])
        if (has(p) && outside(value(p), 0, 100)) return `${p} ${value(p)} % is outside 0–100 %`;
      return null;
    },
    apply(written) {
      const value = (p: string) => num(image, 124, p);
      const wChaMax = value('WChaMax') ?? nameplate.maxChargeW;
      if (written.includes('WChaMax'))
        physics.setBatteryChargeCap(wChaMax >= nameplate.maxChargeW ? null : wChaMax);
      if (written.includes('MinRsvPct')) physics.setBatteryReserve(value('MinRsvPct'));
      if (!touches(written, WINDOW_POINTS)) return false;
      const mod = value('StorCtl_Mod') ?? 0;
      if (mod === 0) {
        if (written.includes('StorCtl_Mod')) physics.setBatteryWindow(null);
        return false;
      }
      const maxW =
        mod & 2 ? Math.round(((value('OutWRte') ?? 100) * wChaMax) / 100) : nameplate.maxDischargeW;
      const minW =
        mod & 1 ? -Math.round(((value('InWRte') ?? 100) * wChaMax) / 100) : -nameplate.maxChargeW;
      const revertS = value('InOutWRte_RvrtTms');
      physics.setBatteryWindow(
        { minW: Math.min(minW, maxW), maxW },
        { revertAfterMs: secondsToMs(revertS) },
      );
      return !revertS;
    },
    reflect(state) {
      if (state.battery.window === null && num(image, 124, 'StorCtl_Mod') !== 0)
        image.setPoint(124, 'StorCtl_Mod', 0);
    },
  };
}

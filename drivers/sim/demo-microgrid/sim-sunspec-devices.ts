// The demo microgrid's devices as SunSpec register images: what a real meter, PV inverter
// or battery inverter of the role would offer, with scale factors chosen for the device's
// size (int16 W tops out at 32 767, so a 50 kW battery reports in 10 W steps). Values come
// from the physics state on every tick.
import type { DeviceConfig } from '../../../core/site/site-types';
import { buildSunspecImage, type SunspecImage } from '../../sunspec/device-image';
import { getModelDef } from '../../sunspec/model-table';
import type { DemoState } from '../demo/demo-state';
import { meterValues, phaseValues } from './demo-meter-values';

/** Simulated meters and inverters have a lifetime reading; SunSpec reads acc 0 as "not implemented". */
const COUNTER_BASE_WH = 1_000_000;
const MANUFACTURER = 'Microgrid Station';

export interface SimDevice {
  readonly config: DeviceConfig;
  readonly image: SunspecImage;
  update(state: DemoState): void;
}

const common = (device: DeviceConfig, model: string, unitId: number) => ({
  id: 1,
  values: {
    points: {
      Mn: MANUFACTURER,
      Md: model,
      Opt: 'demo',
      Vr: '1.0.0',
      SN: `SIM-${device.id}`,
      DA: unitId,
    },
  },
});

const wattScale = (maxW: number): number => (maxW > 32_000 ? 1 : 0);

/** Three-phase inverter model 103, in operation (MPPT), no events. */
const inverterModel = (wSf: number, ampSf: number) => ({
  id: 103,
  values: { points: { St: 4, Evt1: 0, Evt2: 0 } },
  scaleFactors: {
    A_SF: ampSf,
    V_SF: -1,
    W_SF: wSf,
    Hz_SF: -2,
    WH_SF: 0,
    Tmp_SF: -1,
    VA_SF: wSf,
    VAr_SF: wSf,
    PF_SF: -2,
    DCA_SF: ampSf,
    DCV_SF: -1,
    DCW_SF: wSf,
  },
});

function meter(device: DeviceConfig, unitId: number, maxW: number): SimDevice {
  const wSf = wattScale(maxW);
  const image = buildSunspecImage({
    models: [
      common(device, 'Sim Meter 203', unitId),
      {
        id: 203,
        scaleFactors: {
          A_SF: -1,
          V_SF: -1,
          Hz_SF: -2,
          W_SF: wSf,
          TotWh_SF: 0,
          VA_SF: wSf,
          VAR_SF: wSf,
          PF_SF: -2,
          TotVAh_SF: 0,
          TotVArh_SF: 0,
        },
      },
    ],
  });
  return {
    config: device,
    image,
    update(state) {
      const v = meterValues(device, state);
      if (!v) return;
      const phaseA = phaseValues(v).currentA;
      for (const [point, value] of Object.entries({
        W: v.powerW,
        PhV: v.voltageV,
        PhVphA: v.voltageV,
        PhVphB: v.voltageV,
        PhVphC: v.voltageV,
        Hz: v.frequencyHz,
        A: phaseA * 3,
        AphA: phaseA,
        AphB: phaseA,
        AphC: phaseA,
        TotWhImp: COUNTER_BASE_WH + v.energyImportWh,
        TotWhExp: COUNTER_BASE_WH + v.energyExportWh,
      })) {
        setScaled(image, 203, point, value);
      }
    },
  };
}

function pvInverter(device: DeviceConfig, unitId: number): SimDevice {
  const image = buildSunspecImage({
    models: [
      common(device, 'Sim PV Inverter', unitId),
      inverterModel(0, -2),
      {
        id: 120,
        values: { points: { DERTyp: 4 } },
        scaleFactors: {
          WRtg_SF: 0,
          VARtg_SF: 0,
          VArRtg_SF: 0,
          ARtg_SF: -1,
          PFRtg_SF: -2,
          WHRtg_SF: 0,
          AhrRtg_SF: 0,
          MaxChaRte_SF: 0,
          MaxDisChaRte_SF: 0,
        },
      },
      {
        id: 123,
        values: {
          points: {
            Conn: 1,
            WMaxLimPct: 100,
            // Timers read 0 (not "not implemented"), as on devices that support them.
            WMaxLimPct_WinTms: 0,
            WMaxLimPct_RvrtTms: 0,
            WMaxLimPct_RmpTms: 0,
            WMaxLim_Ena: 0,
            OutPFSet_Ena: 0,
            VArPct_Ena: 0,
          },
        },
        scaleFactors: { WMaxLimPct_SF: 0, OutPFSet_SF: -3, VArPct_SF: 0 },
      },
    ],
  });
  return {
    config: device,
    image,
    update(state) {
      const pv = state.pv[device.id];
      if (!pv) return;
      setScaled(image, 103, 'W', pv.powerW);
      setScaled(image, 103, 'WH', COUNTER_BASE_WH + pv.energyProducedWh);
      setScaled(image, 103, 'PhVphA', state.grid.outage ? 230 : state.grid.voltageV);
      setScaled(image, 103, 'Hz', state.grid.outage ? 50 : state.grid.frequencyHz);
      // 5 THROTTLED while the station's power limit is in force, 4 MPPT, 2 SLEEPING at night.
      setScaled(image, 103, 'St', pv.powerW > 0 ? (pv.limitPct === null ? 4 : 5) : 2);
      setScaled(image, 120, 'WRtg', pv.ratedPowerW);
    },
  };
}

function batteryInverter(device: DeviceConfig, unitId: number, state0: DemoState): SimDevice {
  const b = state0.battery;
  const wSf = wattScale(Math.max(b.maxChargeW, b.maxDischargeW));
  const image = buildSunspecImage({
    models: [
      common(device, 'Sim Battery Inverter', unitId),
      inverterModel(wSf, -1),
      {
        id: 120,
        values: { points: { DERTyp: 82 } },
        scaleFactors: {
          WRtg_SF: wSf,
          VARtg_SF: wSf,
          VArRtg_SF: wSf,
          ARtg_SF: -1,
          PFRtg_SF: -2,
          WHRtg_SF: 1,
          AhrRtg_SF: 0,
          MaxChaRte_SF: wSf,
          MaxDisChaRte_SF: wSf,
        },
      },
      {
        // Status: a storage inverter without a PV input, connected, available and operating.
        // ECPConn follows the physics: in an outage the inverter opens the connection point
        // and forms the island, which is what a grid-forming battery inverter reports.
        id: 122,
        values: { points: { PVConn: 0, StorConn: 0b111, ECPConn: 1 } },
      },
      {
        id: 124,
        values: {
          points: {
            WChaGra: 100,
            WDisChaGra: 100,
            StorCtl_Mod: 0,
            OutWRte: 100,
            InWRte: 100,
            InOutWRte_WinTms: 0,
            InOutWRte_RvrtTms: 0,
            InOutWRte_RmpTms: 0,
          },
        },
        scaleFactors: {
          WChaMax_SF: wSf,
          WChaDisChaGra_SF: 0,
          VAChaMax_SF: wSf,
          MinRsvPct_SF: 0,
          ChaState_SF: -1,
          StorAval_SF: 0,
          InBatV_SF: -1,
          // 0.1 % steps: 1 % of a 50 kW inverter would be 500 W, too coarse to follow a setpoint.
          InOutWRte_SF: -1,
        },
      },
      {
        id: 802,
        values: {
          points: {
            LocRemCtl: 0,
            AlmRst: 0,
            Typ: 4,
            State: 3,
            Evt1: 0,
            Evt2: 0,
            EvtVnd1: 0,
            EvtVnd2: 0,
            SetOp: 1,
            SetInvState: 2,
          },
        },
        scaleFactors: {
          AHRtg_SF: 0,
          WHRtg_SF: 1,
          WChaDisChaMax_SF: wSf,
          DisChaRte_SF: 0,
          SoC_SF: -1,
          DoD_SF: 0,
          SoH_SF: 0,
          V_SF: -1,
          CellV_SF: -3,
          A_SF: -1,
          AMax_SF: 0,
          W_SF: wSf,
        },
      },
    ],
  });
  // Settings the station may write (WChaMax, MinRsvPct): set once, so read-back shows its value.
  setScaled(image, 124, 'WChaMax', b.maxChargeW);
  setScaled(image, 124, 'MinRsvPct', b.minSocPct);
  return {
    config: device,
    image,
    update(state) {
      const bat = state.battery;
      const soc = Math.round(bat.socPct * 10) / 10;
      setScaled(image, 103, 'W', bat.powerW);
      setScaled(image, 103, 'Hz', state.grid.outage ? 50 : state.grid.frequencyHz);
      setScaled(image, 103, 'PhVphA', state.grid.outage ? 230 : state.grid.voltageV);
      setScaled(image, 103, 'WH', COUNTER_BASE_WH + bat.energyDischargedWh);
      setScaled(image, 120, 'WRtg', Math.max(bat.maxChargeW, bat.maxDischargeW));
      setScaled(image, 120, 'WHRtg', bat.capacityWh);
      setScaled(image, 122, 'ECPConn', state.grid.outage ? 0 : 1);
      setScaled(image, 124, 'ChaState', soc);
      setScaled(image, 802, 'SoC', soc);
      setScaled(image, 802, 'WHRtg', bat.capacityWh);
      setScaled(image, 802, 'AHRtg', Math.round(bat.capacityWh / 800));
      setScaled(image, 802, 'WChaRteMax', bat.maxChargeW);
      setScaled(image, 802, 'WDisChaRteMax', bat.maxDischargeW);
      setScaled(image, 802, 'V', 800);
      setScaled(image, 802, 'A', Math.round((bat.powerW / 800) * 10) / 10);
      setScaled(image, 802, 'W', bat.powerW);
    },
  };
}

/** Sets a value, rounded to what the point's scale factor can carry. */
function setScaled(image: SunspecImage, modelId: number, point: string, value: number): void {
  const sfName = getModelDef(modelId)?.points.find((p) => p.name === point)?.sf;
  const sf = typeof sfName === 'string' ? image.getPoint(modelId, sfName) : (sfName ?? null);
  const result = image.setPoint(modelId, point, roundTo(value, typeof sf === 'number' ? sf : null));
  if (!result.ok) throw new Error(`demo simulator: ${result.error.message}`);
}

function roundTo(value: number, sf: number | null): number {
  if (sf === null) return Math.round(value);
  return sf >= 0
    ? Math.round(value / 10 ** sf) * 10 ** sf
    : Math.round(value * 10 ** -sf) / 10 ** -sf;
}

export function createSimDevice(
  device: DeviceConfig,
  unitId: number,
  state0: DemoState,
  maxGridW: number,
): SimDevice | null {
  // A device with a profile speaks its vendor's map instead (sim-profile-devices.ts).
  if (device.profile !== undefined) return null;
  switch (device.role) {
    case 'grid-meter':
      return meter(device, unitId, maxGridW);
    case 'household-meter':
      return meter(device, unitId, 20_000);
    case 'pv-inverter':
      return pvInverter(device, unitId);
    case 'battery':
      return batteryInverter(device, unitId, state0);
    default:
      return null;
  }
}

// The control snapshot keeps only fresh, plausible values.
import { describe, expect, it } from 'vitest';
import { gridAt, SITE, T0, view } from './support';

describe('buildControlSnapshot', () => {
  it('turns NaN, Infinity, SoC 150 %, negative ratings and negative PV into null', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(1000),
      bat1: { powerW: Number.NaN, socPct: 150, ratedPowerW: -5, maxChargeW: Infinity },
      pv1: { powerW: -20, powerLimitPct: 101 },
    });
    expect(snap.byId.bat1).toMatchObject({
      powerW: null,
      socPct: null,
      ratedPowerW: null,
      maxChargeW: null,
      stale: true,
    });
    expect(snap.byId.pv1).toMatchObject({ powerW: null, powerLimitPct: null, stale: true });
    expect(snap.site).toMatchObject({
      gridVoltageV: 230,
      gridFrequencyHz: 50,
      gridMeterFresh: true,
    });
  });

  it('marks devices online only when ok or degraded, and critical by their member', () => {
    const snap = view(
      SITE,
      T0,
      { grid: gridAt(0) },
      { states: { bat1: 'degraded', pv1: 'connecting', 'load-alice': 'offline' } },
    );
    expect(snap.byId.bat1?.online).toBe(true);
    expect(snap.byId.pv1?.online).toBe(false);
    expect(snap.byId['load-alice']?.online).toBe(false);
    expect(snap.byId['load-clinic']?.critical).toBe(true);
    expect(snap.byId['load-pool']?.critical).toBe(false);
  });

  it('a stale grid meter gives no grid power and no voltage/frequency', () => {
    const snap = view(SITE, T0, { grid: gridAt(1000) }, { stale: ['grid'] });
    expect(snap.site).toMatchObject({ gridW: null, gridVoltageV: null, gridMeterFresh: false });
  });
});

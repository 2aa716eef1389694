import { describe, expect, it } from 'vitest';
import type { SiteFlows } from '../../../renderer/api/contract';
import { describeFlows } from '../../../renderer/lib/flow-description';
import {
  NO_FLOWS,
  batteryDirection,
  displayFlows,
  gridDirection,
  memberDirection,
} from '../../../renderer/lib/flows';
import { STALE_AFTER_MS, isLive, stationNowMs } from '../../../renderer/lib/liveness';

const flows: SiteFlows = { pvW: 5000, loadW: 3000, batteryW: -1500, gridW: -500, socPct: 64 };

describe('directions follow the contract sign conventions', () => {
  it('grid: positive imports, negative exports, near zero idle', () => {
    expect(gridDirection(1200)).toBe('import');
    expect(gridDirection(-1200)).toBe('export');
    expect(gridDirection(4)).toBe('idle');
  });

  it('battery: positive discharges, negative charges', () => {
    expect(batteryDirection(800)).toBe('discharge');
    expect(batteryDirection(-800)).toBe('charge');
    expect(batteryDirection(-3)).toBe('idle');
  });

  it('member meter: positive draws, negative feeds in', () => {
    expect(memberDirection(300)).toBe('draw');
    expect(memberDirection(-300)).toBe('feed');
  });
});

describe('liveness', () => {
  it('is live only while connected and a snapshot arrived recently', () => {
    expect(isLive({ connection: 'open', receivedAtMs: 1_000, nowMs: 1_000 + STALE_AFTER_MS })).toBe(
      true,
    );
    expect(isLive({ connection: 'open', receivedAtMs: 1_000, nowMs: 1_001 + STALE_AFTER_MS })).toBe(
      false,
    );
    expect(isLive({ connection: 'reconnecting', receivedAtMs: 1_000, nowMs: 1_000 })).toBe(false);
    expect(isLive({ connection: 'open', receivedAtMs: null, nowMs: 0 })).toBe(false);
  });

  it('never shows old numbers as live', () => {
    expect(displayFlows(flows, true)).toBe(flows);
    expect(displayFlows(flows, false)).toEqual(NO_FLOWS);
    expect(displayFlows(undefined, true)).toEqual(NO_FLOWS);
  });

  it('estimates the station clock from the last snapshot', () => {
    expect(stationNowMs(10_000, 50_000, 53_000)).toBe(13_000);
  });
});

describe('describeFlows', () => {
  it('says every flow and its direction in words', () => {
    expect(describeFlows(flows, 'en')).toBe(
      'Solar panels produce 5 kW. Homes and community buildings use 3 kW. ' +
        'The battery is charging with 1.5 kW. It is 64% charged. 500 W goes to the grid.',
    );
  });

  it('says what is unavailable', () => {
    expect(describeFlows(NO_FLOWS, 'en')).toContain('Solar production is unavailable.');
    expect(describeFlows(NO_FLOWS, 'en')).not.toContain('charged');
  });

  it('speaks Arabic in Arabic', () => {
    expect(describeFlows(flows, 'ar')).toContain('تنتج الألواح الشمسية');
  });
});

// Energy meters as exact integer arithmetic: powers are integer W and times integer ms, so
// W·ms sums exactly in a double up to 2^53 (about 2.5 GWh, years of this microgrid), and
// Wh is its floor. No remainder is ever dropped, and slicing time differently cannot
// change the total.

const WMS_PER_WH = 3_600_000;

export interface EnergyCounter {
  wattMs: number;
}

export function createEnergyCounter(): EnergyCounter {
  return { wattMs: 0 };
}

/** Adds the positive part of `powerW` over `durationMs`. */
export function addPositive(counter: EnergyCounter, powerW: number, durationMs: number): void {
  if (powerW > 0) counter.wattMs += powerW * durationMs;
}

export function counterWh(counter: EnergyCounter): number {
  return Math.floor(counter.wattMs / WMS_PER_WH);
}

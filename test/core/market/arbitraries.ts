// fast-check generators shared by the market's property tests.
import fc from 'fast-check';
import type { MarketTariffs } from '../../../core/market/order-types';

/** Tariffs up to 0.1 feed-in, 0.3 spread and 0.06 fee per kWh, 0–3 minor digits. */
export const tariffsArb = fc
  .record({
    feedIn: fc.integer({ min: 0, max: 100_000 }),
    spread: fc.integer({ min: 0, max: 300_000 }),
    fee: fc.integer({ min: 0, max: 60_000 }),
    digits: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ feedIn, spread, fee, digits }): MarketTariffs => ({
    feedInMicroPerKWh: feedIn,
    retailMicroPerKWh: feedIn + spread,
    gridFeeMicroPerKWh: fee,
    minorUnitDigits: digits,
  }));

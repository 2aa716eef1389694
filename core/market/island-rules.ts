// The island rules of the market, resolved from the site: which rule, the fixed island
// price and the scarcity cap, all in integer micro-currency per kWh. In an island there is
// no utility, so feed-in and retail no longer bound local prices; the defaults still lean
// on them because they are the prices members know.
import type { IslandMarketSettings, IslandRule } from '../site/site-types';
import type { MarketTariffs } from './order-types';
import { midpointHalfEven } from './price';

export type { IslandRule } from '../site/site-types';

/** The rules an interval cleared under: the normal market, or one of the island rules. */
export type MarketRuleName = 'normal' | IslandRule;
export const MARKET_RULE_NAMES = ['normal', 'fair-share', 'scarcity-price'] as const;

/** Grid state as the market sees it: any island phase of control counts as `island`. */
export type GridState = 'grid-connected' | 'island';

export interface IslandTerms {
  rule: IslandRule;
  /** What sellers receive per kWh (buyers pay it plus the grid fee), before any scarcity. */
  basePriceMicroPerKWh: number;
  /** The scarcity price never exceeds this; ≥ basePriceMicroPerKWh. */
  capMicroPerKWh: number;
}

/** Default cap: three times retail, the worst a member would otherwise pay, tripled. */
export const DEFAULT_CAP_RETAIL_MULTIPLE = 3;

/**
 * Island terms with defaults: fair-share at the midpoint of feed-in and retail (a half unit
 * to even, as the pay-as-clear price), cap 3 × retail but never below the island price
 * (so setting only a high price stays valid; an explicit cap below it is refused by the
 * site schema).
 */
export function islandTerms(
  settings: IslandMarketSettings | undefined,
  tariffs: MarketTariffs,
): IslandTerms {
  const basePriceMicroPerKWh =
    settings?.priceMicroPerKWh ??
    midpointHalfEven(tariffs.feedInMicroPerKWh, tariffs.retailMicroPerKWh);
  return {
    rule: settings?.rule ?? 'fair-share',
    basePriceMicroPerKWh,
    capMicroPerKWh:
      settings?.scarcityCapMicroPerKWh ??
      Math.max(basePriceMicroPerKWh, DEFAULT_CAP_RETAIL_MULTIPLE * tariffs.retailMicroPerKWh),
  };
}

/**
 * The scarcity price: base × demand ÷ supply, rounded half up to a whole micro-unit and
 * capped, when demand exceeds supply; the base otherwise. No supply at all under demand is
 * the worst shortage: the cap. BigInt, since base × demand may leave the safe integers.
 */
export function scarcityPrice(
  baseMicroPerKWh: number,
  capMicroPerKWh: number,
  supplyWh: number,
  demandWh: number,
): number {
  if (demandWh <= supplyWh) return baseMicroPerKWh;
  if (supplyWh === 0) return capMicroPerKWh;
  const numerator = BigInt(baseMicroPerKWh) * BigInt(demandWh);
  const supply = BigInt(supplyWh);
  const rounded = (2n * numerator + supply) / (2n * supply);
  const cap = BigInt(capMicroPerKWh);
  return Number(rounded < cap ? rounded : cap);
}

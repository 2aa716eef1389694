// market.island in the site file: optional, defaults filled in by the market, prices in
// whole micro-currency per kWh, a cap below the island price refused with its path.
import { describe, expect, it } from 'vitest';
import { parseSite } from '../../../core/site/site-schema';
import type { IslandMarketSettings } from '../../../core/site/site-types';
import { smallSite } from './site-fixture';

function withIsland(island: unknown) {
  const site = smallSite() as unknown as { market: Record<string, unknown> };
  site.market.island = island;
  return parseSite(site);
}

describe('market.island', () => {
  it('is optional and accepts each rule with its prices', () => {
    expect(parseSite(smallSite()).ok).toBe(true);
    const island: IslandMarketSettings = {
      rule: 'scarcity-price',
      priceMicroPerKWh: 201_000,
      scarcityCapMicroPerKWh: 960_000,
    };
    const parsed = withIsland(island);
    expect(parsed.ok && parsed.value.market.island).toEqual(island);
    expect(withIsland({}).ok).toBe(true);
    expect(withIsland({ rule: 'fair-share' }).ok).toBe(true);
  });

  it.each([
    [{ rule: 'lottery' }, /market\.island\.rule: /],
    [{ priceMicroPerKWh: -1 }, /market\.island\.priceMicroPerKWh: must not be negative/],
    [{ priceMicroPerKWh: 0.2 }, /market\.island\.priceMicroPerKWh: must be whole micro-currency/],
    [{ scarcityCapMicroPerKWh: 1.5 }, /scarcityCapMicroPerKWh: must be whole micro-currency/],
    [
      { priceMicroPerKWh: 300_000, scarcityCapMicroPerKWh: 250_000 },
      /market\.island\.scarcityCapMicroPerKWh: must not be below the island price \(300000\)/,
    ],
    // smallSite: feed-in 8.2, retail 32 ct/kWh → default island price 0.201.
    [
      { scarcityCapMicroPerKWh: 200_000 },
      /scarcityCapMicroPerKWh: must not be below the island price \(default, midpoint of feed-in and retail: 201000\)/,
    ],
    [{ price: 1 }, /market\.island: Unrecognized key/],
  ])('refuses %j', (island, message) => {
    const parsed = withIsland(island);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(message);
  });
});

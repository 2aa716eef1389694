// How the market service's stored intervals look to the Market page (summaries, members'
// positions, preferences with their defaults), the boundary meter readings it settles on,
// and the refusal reasons in words.
import type {
  MarketIntervalSummary,
  MemberPosition,
  MemberPreferencesView,
} from '../api/market-api';
import type { Snapshot } from '../points/snapshot';
import type { Site } from '../site/site-types';
import type { ClearingResult } from './clearing-types';
import type { BoundaryReading, StoredInterval } from './market-repository';
import { defaultLimitPrices, type MemberPreferences } from './member-agent';
import type { MarketTariffs } from './order-types';

export function preferencesView(
  memberId: string,
  p: MemberPreferences,
  tariffs: MarketTariffs,
): MemberPreferencesView {
  const defaults = defaultLimitPrices(tariffs);
  return {
    memberId,
    autoTrade: p.autoTrade ?? true,
    minSellPriceMicroPerKWh: p.minSellPriceMicroPerKWh ?? null,
    maxBuyPriceMicroPerKWh: p.maxBuyPriceMicroPerKWh ?? null,
    preferredPartners: [...(p.preferredPartners ?? [])],
    greenOnly: p.greenOnly ?? false,
    defaultSellPriceMicroPerKWh: defaults.sellMicroPerKWh,
    defaultBuyPriceMicroPerKWh: defaults.buyMicroPerKWh,
  };
}

export function summary(interval: StoredInterval): MarketIntervalSummary {
  const totals = interval.clearing?.totals;
  return {
    id: interval.id,
    startMs: interval.startMs,
    endMs: interval.endMs,
    state: interval.state,
    rules: interval.rules,
    clearingPriceMicroPerKWh: interval.clearing?.clearingPriceMicroPerKWh ?? null,
    tradedWh: totals?.tradedWh ?? 0,
    importWh: totals?.importWh ?? 0,
    exportWh: totals?.exportWh ?? 0,
  };
}

export function positions(result: ClearingResult | null, settlement: unknown): MemberPosition[] {
  const byMember = new Map<string, MemberPosition>();
  const at = (memberId: string): MemberPosition => {
    let p = byMember.get(memberId);
    if (!p) {
      p = {
        memberId,
        tradedNetWh: 0,
        tradeAmountMinor: 0,
        meteredNetWh: null,
        settledAmountMinor: null,
      };
      byMember.set(memberId, p);
    }
    return p;
  };
  // In an island a member with an order but no ration still has a position: it asked.
  for (const ration of result?.island?.rations ?? []) {
    const p = at(ration.memberId);
    p.requestedWh = ration.requestedWh;
    p.rationWh = ration.rationWh;
  }
  for (const trade of result?.trades ?? []) {
    const buyer = at(trade.buyerId);
    buyer.tradedNetWh += trade.energyWh;
    buyer.tradeAmountMinor -= trade.buyerPaysMinor;
    const seller = at(trade.sellerId);
    seller.tradedNetWh -= trade.energyWh;
    seller.tradeAmountMinor += trade.sellerReceivesMinor;
  }
  const settled = settlement as {
    members?: ReadonlyArray<{ memberId: string; meteredNetWh: number; amountMinor: number }>;
  } | null;
  for (const m of settled?.members ?? []) {
    const p = at(m.memberId);
    p.meteredNetWh = m.meteredNetWh;
    p.settledAmountMinor = m.amountMinor;
  }
  return [...byMember.values()].sort((a, b) => a.memberId.localeCompare(b.memberId));
}

/** Household meters' energy counters per member (summed when a member has several). */
export function meterReadings(site: Site, snapshot: Snapshot): BoundaryReading[] {
  const byMember = new Map<string, BoundaryReading>();
  const incomplete = new Set<string>();
  for (const device of site.devices) {
    if (device.role !== 'household-meter' || !device.memberId || !device.enabled) continue;
    const imported = snapshot.points[`${device.id}.energyImportWh`];
    const exported = snapshot.points[`${device.id}.energyExportWh`];
    // A stale counter is no reading: settling on it would shift energy between intervals.
    if (
      !imported ||
      !exported ||
      imported.stale ||
      exported.stale ||
      imported.value === null ||
      exported.value === null
    ) {
      incomplete.add(device.memberId);
      continue;
    }
    const r = byMember.get(device.memberId) ?? {
      memberId: device.memberId,
      importWh: 0,
      exportWh: 0,
    };
    r.importWh += Math.round(imported.value);
    r.exportWh += Math.round(exported.value);
    byMember.set(device.memberId, r);
  }
  return [...byMember.values()].filter((r) => !incomplete.has(r.memberId));
}

const REASONS: Record<string, string> = {
  duplicate_id: 'an order with this id exists',
  unknown_side: 'side must be buy or sell',
  unknown_member: 'no such member in the site',
  energy_not_integer: 'energy must be whole Wh',
  energy_not_positive: 'energy must be more than 0 Wh',
  energy_too_large: 'energy is above 1 GWh',
  price_not_a_number: 'the price is not a number',
  price_not_finite: 'the price is not finite',
  price_negative: 'the price is negative',
  price_too_precise: 'the price has more than 6 decimals',
  price_too_large: 'the price is too large',
  price_below_feed_in: 'the price is below the feed-in tariff',
  price_above_retail: 'the price is above the retail tariff',
  opposite_side: 'the member already has an order on the other side in this interval',
};

export const rejectionText = (reason: string): string => REASONS[reason] ?? reason;

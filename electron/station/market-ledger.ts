// What the market writes into the ledger: at clearing, a `market-rules` entry for every
// interval under island rules (the switch into them has previousRule 'normal') and for the
// first normal one after (the switch out), every accepted order and every trade of the interval, then the
// interval's block is sealed; at settlement, each member's meter
// energy and settlement amount (which moves its prepaid balance). A ledger refusal is
// logged and never stops the market: the market tables still hold the interval.
import type { Ledger } from '../../core/ledger/ledger-repository';
import type { StoredInterval, StoredOrder } from '../../core/market/market-repository';
import type { IntervalSettlement } from '../../core/market/settlement-types';
import type { MarketTariffs } from '../../core/market/order-types';
import { validateOrders } from '../../core/market/validate-orders';

export function recordClearing(
  ledger: Ledger,
  interval: StoredInterval,
  orders: readonly StoredOrder[],
  tariffs: MarketTariffs,
  log: (line: string) => void,
): void {
  const clearing = interval.clearing;
  if (!clearing) return;
  const timeMs = interval.clearedAtMs ?? interval.gateClosureMs;
  const book = validateOrders(
    orders.map((o) => o.input),
    tariffs,
  );
  const entries = [
    ...rulesChange(interval, timeMs),
    ...book.accepted.map((o) => ({
      kind: 'order' as const,
      timeMs,
      memberId: o.memberId,
      payload: {
        orderId: o.id,
        side: o.side,
        energyWh: o.energyWh,
        priceMicroPerKWh: o.priceMicroPerKWh,
        intervalStartMs: interval.startMs,
        ...(o.energyType !== 'any' && o.energyType !== 'unspecified'
          ? { energyType: o.energyType }
          : {}),
      },
    })),
    ...clearing.trades.map((t, i) => ({
      kind: 'trade' as const,
      timeMs,
      payload: {
        tradeId: `${interval.id}#${i}`,
        intervalStartMs: interval.startMs,
        buyOrderId: t.buyOrderId,
        sellOrderId: t.sellOrderId,
        buyerId: t.buyerId,
        sellerId: t.sellerId,
        energyWh: t.energyWh,
        priceMicroPerKWh: t.priceMicroPerKWh,
      },
    })),
  ];
  if (entries.length > 0) {
    const appended = ledger.appendBatch(entries);
    if (!appended.ok) log(`ledger: interval ${interval.id}: ${appended.error.message}`);
  }
  // One block per interval: it also takes whatever else was acknowledged since the last one.
  const sealed = ledger.seal(`interval ${interval.id}`);
  if (!sealed.ok) log(`ledger: sealing ${interval.id}: ${sealed.error.message}`);
}

/**
 * The rules of an island interval, with its price, supply, demand and rations, or the
 * switch back to normal; nothing while the market stays normal. Every island interval gets
 * one, not just the switch: the rations are what members will ask about.
 */
function rulesChange(interval: StoredInterval, timeMs: number) {
  const previousRule = interval.previousRules ?? 'normal';
  const clearing = interval.clearing;
  if (!clearing || (interval.rules === 'normal' && previousRule === 'normal')) return [];
  const island = clearing.island;
  return [
    {
      kind: 'market-rules' as const,
      timeMs,
      payload: {
        intervalId: interval.id,
        intervalStartMs: interval.startMs,
        rule: interval.rules,
        previousRule,
        priceMicroPerKWh: island?.priceMicroPerKWh ?? clearing.clearingPriceMicroPerKWh,
        supplyWh: clearing.totals.offeredWh,
        demandWh: clearing.totals.demandedWh,
        rations: (island?.rations ?? []).map((r) => ({
          memberId: r.memberId,
          side: r.side,
          requestedWh: r.requestedWh,
          rationWh: r.rationWh,
        })),
      },
    },
  ];
}

export function recordSettlement(
  ledger: Ledger,
  interval: StoredInterval,
  timeMs: number,
  log: (line: string) => void,
): void {
  const settlement = interval.settlement as IntervalSettlement | null;
  if (!settlement) return;
  const entries = settlement.members.map((m) => ({
    kind: 'settlement' as const,
    timeMs,
    memberId: m.memberId,
    amountMinor: m.amountMinor,
    payload: {
      intervalStartMs: interval.startMs,
      intervalEndMs: interval.endMs,
      tradedWh: m.tradedNetWh,
      meteredWh: m.meteredNetWh,
      description: `interval ${interval.id}: bought ${m.boughtWh} Wh, sold ${m.soldWh} Wh, deviation ${m.deviationWh} Wh${m.readingAssumed ? ' (no reading: assumed as traded)' : ''}`,
    },
  }));
  if (entries.length === 0) return;
  const appended = ledger.appendBatch(entries);
  if (!appended.ok) log(`ledger: settlement of ${interval.id}: ${appended.error.message}`);
}

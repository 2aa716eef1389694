// Market-following: during a market interval the batteries deliver the cleared net position
// evenly over the interval (netWh over its length gives W: > 0 sold, discharge). Outside the
// position's interval it asks nothing. The position comes in as an input; positionFromTrades
// derives it from a clearing's trades for the battery's market account.
import type { Trade } from '../../market/clearing-types';
import { unclaimedBatteries } from '../grid-projection';
import { batteryRequests } from './battery-requests';
import type { MarketPosition, Strategy } from './strategy-types';

const MS_PER_HOUR = 3_600_000;

export const marketFollowing: Strategy = (snapshot, config, previous, inputs) => {
  const position = inputs.marketPosition;
  if (!position || !Number.isFinite(position.netWh)) return [];
  const { startMs, endMs } = position;
  if (!(endMs > startMs) || snapshot.nowMs < startMs || snapshot.nowMs >= endMs) return [];
  const free = unclaimedBatteries(snapshot, previous);
  if (free.length === 0) return [];
  const totalW = (position.netWh * MS_PER_HOUR) / (endMs - startMs);
  return batteryRequests(totalW, free, config);
};

/** Net position of one market account in the trades of an interval: sold − bought, Wh. */
export function positionFromTrades(
  trades: readonly Pick<Trade, 'buyerId' | 'sellerId' | 'energyWh'>[],
  accountId: string,
  interval: { startMs: number; endMs: number },
): MarketPosition {
  let netWh = 0;
  for (const trade of trades) {
    if (trade.sellerId === accountId) netWh += trade.energyWh;
    if (trade.buyerId === accountId) netWh -= trade.energyWh;
  }
  return { startMs: interval.startMs, endMs: interval.endMs, netWh };
}

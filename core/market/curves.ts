// Supply and demand as cumulative steps, for the Market page's chart of the clearing point.
import type { Order } from './order-types';
import { sortByPrice } from './sort-book';

export interface CurveStep {
  orderId: string;
  /** Cumulative energy before and after this order's step. */
  fromWh: number;
  toWh: number;
  priceMicroPerKWh: number;
}

/**
 * Demand (bids, highest first) and supply (asks, lowest first) in merit order. The
 * clearing compares a bid with ask + grid fee, so the chart should lift the supply curve
 * by `gridFeeMicroPerKWh` (returned with the curves) where it draws the crossing.
 */
export function supplyDemandCurves(
  orders: readonly Order[],
  gridFeeMicroPerKWh: number,
): { demand: CurveStep[]; supply: CurveStep[]; gridFeeMicroPerKWh: number } {
  const price = Float64Array.from(orders, (o) => o.priceMicroPerKWh);
  const steps = (side: 'buy' | 'sell'): CurveStep[] => {
    const indices = Int32Array.from(orders.keys()).filter((i) => orders[i]?.side === side);
    let cumulativeWh = 0;
    return Array.from(sortByPrice(indices, price, side === 'buy'), (i) => {
      const o = orders[i] as Order;
      const step = {
        orderId: o.id,
        fromWh: cumulativeWh,
        toWh: cumulativeWh + o.energyWh,
        priceMicroPerKWh: o.priceMicroPerKWh,
      };
      cumulativeWh = step.toWh;
      return step;
    });
  };
  return { demand: steps('buy'), supply: steps('sell'), gridFeeMicroPerKWh };
}

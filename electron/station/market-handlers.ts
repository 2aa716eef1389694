// Request handlers of the market methods. The market service decides; refusals become
// ApiErrors the Market page can show next to the order form.
import { ApiError, type RequestHandlers } from '../../core/api/dispatcher';
import type { MarketService } from '../../core/market/market-service';
import type { Clock } from './station-clock';

export type MarketMethod =
  | 'market.state'
  | 'market.interval'
  | 'market.submitOrder'
  | 'market.cancelOrder'
  | 'market.preferences'
  | 'market.setPreferences';

export function marketHandlers(
  market: MarketService | null,
  clock: Clock,
): Pick<RequestHandlers, MarketMethod> {
  const service = (): MarketService => {
    if (!market) throw new ApiError('unavailable', 'this station runs no market');
    return market;
  };
  return {
    'market.state': () => service().state(clock.nowMs()),
    'market.interval': ({ id }) => {
      const view = service().interval(id);
      if (!view) throw new ApiError('not_found', `no market interval "${id}"`);
      return view;
    },
    'market.submitOrder': (request) => {
      const placed = service().submitOrder(request, clock.nowMs());
      if (!placed.ok)
        throw new ApiError('order_rejected', `${placed.error.code}: ${placed.error.message}`);
      return placed.value;
    },
    'market.cancelOrder': ({ orderId }) => {
      const cancelled = service().cancelOrder(orderId, clock.nowMs());
      if (!cancelled.ok) throw new ApiError('not_found', cancelled.error.message);
      return cancelled.value;
    },
    'market.preferences': () => service().preferences(),
    'market.setPreferences': (input) => {
      const saved = service().setPreferences(input, clock.nowMs());
      if (!saved.ok)
        throw new ApiError(
          saved.error.code === 'not_found' ? 'not_found' : 'bad_request',
          saved.error.message,
        );
      return saved.value;
    },
  };
}

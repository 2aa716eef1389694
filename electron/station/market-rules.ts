// The station's market rules: the forecast, member agent and settlement of core/market,
// put together as the market service wants them. Saved preferences that no longer pass
// validation (tariffs changed since) are skipped, so the member trades with the defaults.
import { forecastIntervalWh, forecastSolarShare } from '../../core/market/forecast';
import type { MarketRules } from '../../core/market/market-service';
import {
  agentOrders,
  validatePreferences,
  type MemberPreferences,
} from '../../core/market/member-agent';
import { settleInterval } from '../../core/market/settlement';

export const stationMarketRules: MarketRules = {
  forecast(samples, interval, nowMs) {
    const options = { nowMs };
    const forecastWh = forecastIntervalWh(samples, interval, options);
    const pvSamples = samples.flatMap((s) =>
      s.pvW === null ? [] : [{ tsMs: s.tsMs, pvW: s.pvW }],
    );
    const solar =
      pvSamples.length > 0
        ? (forecastSolarShare(pvSamples, interval, forecastWh, options)?.solar ?? false)
        : false;
    return { forecastWh, solar };
  },
  agentOrders({ intervalId, members, preferences, tariffs }) {
    const valid = new Map<string, MemberPreferences>();
    for (const [memberId, raw] of preferences) {
      const checked = validatePreferences(raw, tariffs, memberId);
      if (checked.ok) valid.set(memberId, checked.value);
    }
    return agentOrders({ intervalId, members, preferences: valid, tariffs });
  },
  settle: (input) => settleInterval(input),
};

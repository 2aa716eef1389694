// The per-member trading agent (issue #5 item 3): members do not type orders; for each
// interval the agent turns a member's forecast need or surplus and its preferences into
// at most one order, in the same OrderInput form the UI and the CLI use, so it goes
// through the same validation (validateOrders).
//
// Default limit prices, when a member set none. The spread retail − feed-in is what a
// local trade can save both sides together; the grid fee takes its part first, leaving
// the useful spread U = max(0, retail − feed-in − gridFee). Sellers ask feed-in + U/4,
// buyers bid retail − U/4 (a bid includes the grid fee), quarters rounded down to the
// micro-unit. So:
//   - two default orders always trade when U ≥ 0 (bid − fee − ask = U/2 ≥ 0);
//   - neither side trades for less than a quarter of U better than the utility;
//   - at pay-as-clear between defaults the price is (feed-in + retail − fee) / 2, so the
//     seller gains U/2 over feed-in and the buyer saves U/2 against retail: a fair split.
// A member's own limit replaces the default; every price is clamped into
// [feed-in, retail] (tariffs may change after a member saved its preferences).
//
// Preferences are checked when a member saves them (validatePreferences), against the
// tariffs of that moment. A minimum sell price above the maximum buy price (or below it)
// is fine: a member holds one side per interval, so the two limits never meet in one
// interval and cannot make the member trade with itself.
import { z } from 'zod';
import type { Problem, Result } from '../result';
import type { MarketTariffs, OrderInput } from './order-types';
import { clamp, formatScaled, MAX_PRICE_MICRO_PER_KWH } from './price';
import { MAX_ORDER_ENERGY_WH } from './validate-orders';

/** Smaller needs or surpluses are not worth an order (meter noise, standby loads). */
export const DEFAULT_MIN_ORDER_WH = 10;

const priceMicro = z.int().min(0).max(MAX_PRICE_MICRO_PER_KWH);

/** Shape of a member's saved preferences; unknown keys (typos) are refused. */
export const memberPreferencesSchema = z.strictObject({
  /** Default true: the agent trades for the member. */
  autoTrade: z.boolean().optional(),
  /** Least a sell accepts, micro-currency per kWh. */
  minSellPriceMicroPerKWh: priceMicro.optional(),
  /** Most a buy pays per kWh including the grid fee, micro-currency per kWh. */
  maxBuyPriceMicroPerKWh: priceMicro.optional(),
  /** Members to trade with first (a preference, see match-passes.ts). */
  preferredPartners: z.array(z.string().min(1)).max(100).optional(),
  /** Buys take only energy offered as `solar`. */
  greenOnly: z.boolean().optional(),
  /** Default DEFAULT_MIN_ORDER_WH. */
  minOrderWh: z.int().min(1).max(MAX_ORDER_ENERGY_WH).optional(),
});

export type MemberPreferences = z.infer<typeof memberPreferencesSchema>;

export interface PreferenceProblem extends Problem {
  code: 'invalid_preferences' | 'price_below_feed_in' | 'price_above_retail' | 'self_partner';
}

/**
 * Checks preferences a member saves: the shape (whole non-negative micro-units, whole Wh ≥
 * 1, no unknown keys), limit prices within [feed-in, retail] (a limit outside could never
 * trade, or is meaningless), and no member as its own partner (when memberId is given).
 */
export function validatePreferences(
  raw: unknown,
  tariffs: MarketTariffs,
  memberId?: string,
): Result<MemberPreferences, PreferenceProblem> {
  const parsed = memberPreferencesSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    const message = `${path || 'preferences'}: ${issue?.message ?? 'invalid'}`;
    return { ok: false, error: { code: 'invalid_preferences', path, message } };
  }
  const prefs = parsed.data;
  for (const path of ['minSellPriceMicroPerKWh', 'maxBuyPriceMicroPerKWh'] as const) {
    const micro = prefs[path];
    if (micro === undefined) continue;
    const problem = (code: PreferenceProblem['code'], what: string): PreferenceProblem => ({
      code,
      path,
      message: `${path}: ${formatScaled(micro)} per kWh is ${what}`,
    });
    if (micro < tariffs.feedInMicroPerKWh)
      return { ok: false, error: problem('price_below_feed_in', 'below the feed-in tariff') };
    if (micro > tariffs.retailMicroPerKWh)
      return { ok: false, error: problem('price_above_retail', 'above the retail tariff') };
  }
  if (memberId !== undefined && prefs.preferredPartners?.includes(memberId)) {
    const path = 'preferredPartners';
    const message = `${path}: a member cannot be its own partner`;
    return { ok: false, error: { code: 'self_partner', path, message } };
  }
  return { ok: true, value: prefs };
}

export interface AgentMember {
  memberId: string;
  /** Forecast net energy of the interval, Wh: > 0 need (buy), < 0 surplus (sell), null none. */
  forecastWh: number | null;
  /** The surplus is the member's PV production (forecastSolarShare): sells offer `solar`. */
  solar: boolean;
}

export interface AgentInput {
  intervalId: string;
  members: ReadonlyArray<AgentMember>;
  /** Members without an entry trade with the defaults. */
  preferences: ReadonlyMap<string, MemberPreferences>;
  tariffs: MarketTariffs;
}

export type AgentSkipReason = 'no_forecast' | 'auto_trade_off' | 'below_min_order';

/** What the agent did for one member, for the Market page ("why no order"). */
export type AgentDecision =
  | { memberId: string; order: OrderInput }
  | { memberId: string; order: null; reason: AgentSkipReason };

export interface DefaultLimits {
  sellMicroPerKWh: number;
  buyMicroPerKWh: number;
}

/** The default ask and bid (see the top of this file), micro-currency per kWh. */
export function defaultLimitPrices(tariffs: MarketTariffs): DefaultLimits {
  const { feedInMicroPerKWh: feedIn, retailMicroPerKWh: retail } = tariffs;
  const useful = Math.max(0, retail - feedIn - tariffs.gridFeeMicroPerKWh);
  const quarter = Math.floor(useful / 4);
  return { sellMicroPerKWh: feedIn + quarter, buyMicroPerKWh: retail - quarter };
}

/** The orders of one interval, one per trading member, in the order of `members`. */
export function agentOrders(input: AgentInput): OrderInput[] {
  const orders: OrderInput[] = [];
  for (const d of agentDecisions(input)) if (d.order) orders.push(d.order);
  return orders;
}

/** agentOrders with a reason for every member that sends no order. */
export function agentDecisions(input: AgentInput): AgentDecision[] {
  const defaults = defaultLimitPrices(input.tariffs);
  return input.members.map((m) => decide(m, input, defaults));
}

function decide(m: AgentMember, input: AgentInput, defaults: DefaultLimits): AgentDecision {
  const { memberId, forecastWh } = m;
  const prefs = input.preferences.get(memberId) ?? {};
  if (prefs.autoTrade === false) return { memberId, order: null, reason: 'auto_trade_off' };
  if (forecastWh === null || !Number.isFinite(forecastWh))
    return { memberId, order: null, reason: 'no_forecast' };
  const energyWh = Math.abs(Math.round(forecastWh));
  // Also catches 0: a member in balance has nothing to trade.
  if (energyWh === 0 || energyWh < (prefs.minOrderWh ?? DEFAULT_MIN_ORDER_WH))
    return { memberId, order: null, reason: 'below_min_order' };
  const side = forecastWh > 0 ? 'buy' : 'sell';
  const { feedInMicroPerKWh: feedIn, retailMicroPerKWh: retail } = input.tariffs;
  const limit =
    side === 'buy'
      ? (prefs.maxBuyPriceMicroPerKWh ?? defaults.buyMicroPerKWh)
      : (prefs.minSellPriceMicroPerKWh ?? defaults.sellMicroPerKWh);
  const order: OrderInput = {
    id: `${input.intervalId}:${memberId}`,
    member: memberId,
    side,
    energyWh,
    // Exact decimal text: validateOrders parses it back to the same micro-units.
    price: formatScaled(clamp(limit, feedIn, retail)),
  };
  const partners = prefs.preferredPartners?.filter((p) => p !== memberId) ?? [];
  if (partners.length > 0) order.preferredPartners = partners;
  if (side === 'buy' && prefs.greenOnly) order.energyType = 'solar';
  if (side === 'sell' && m.solar) order.energyType = 'solar';
  return { memberId, order };
}

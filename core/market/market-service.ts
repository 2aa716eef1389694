// The market as it runs in the station: every interval, members' agents turn forecasts into
// orders, the operator may add orders, the book clears at gate closure over the site's
// feeder network, and after delivery the interval settles against the household meters'
// energy counters read at the interval boundaries. Time comes in through tick(nowMs) and
// telemetry through onSnapshot(), so tests drive a whole day in milliseconds.
import type {
  ManualOrderRequest,
  MarketIntervalView,
  MarketState,
  MemberPreferencesInput,
  MemberPreferencesView,
} from '../api/market-api';
import type { Snapshot } from '../points/snapshot';
import { fail, ok, type Problem, type Result } from '../result';
import type { Site } from '../site/site-types';
import { clearMarket } from './clear-market';
import type { ClearingResult, Mechanism } from './clearing-types';
import { clearIsland } from './island-clearing';
import { islandTerms, type GridState, type IslandTerms, type MarketRuleName } from './island-rules';
import { supplyDemandCurves } from './curves';
import {
  gatesClosedBetween,
  openIntervalAt,
  type DeliveryInterval,
  type MarketSchedule,
} from './interval-schedule';
import type { MarketRepository, StoredInterval } from './market-repository';
import type { MarketTariffs, OrderInput } from './order-types';
import { tariffsFromSite } from './tariffs';
import { validateOrders } from './validate-orders';
import { validatePreferences, type MemberPreferences } from './member-agent';
import { meterReadings, positions, preferencesView, rejectionText, summary } from './market-views';
import { parseScaledDecimal } from './price';
import type { AgentMember, MarketRules, MemberSample } from './market-rules';

export type { MarketRules, MemberSample } from './market-rules';

export interface MarketServiceDeps {
  repository: MarketRepository;
  site(): Site;
  rules: MarketRules;
  /**
   * Whether the utility grid is there (control's island detection). An interval whose gate
   * closes while it is `island` clears under the site's island rules. Absent: always
   * grid-connected.
   */
  gridState?(): GridState;
  /** Called after a clearing or settlement, e.g. to record it in the ledger and push an event. */
  onCleared?(interval: StoredInterval): void;
  onSettled?(interval: StoredInterval): void;
}

/** How much telemetry the forecasts look back on. */
const SAMPLE_WINDOW_MS = 30 * 60_000;
const DEFAULT_GATE_CLOSURE_MIN = 1;
const SETTLE_DELAY_MS = 10_000;
const INDICATIVE_TTL_MS = 5_000;
/** A snapshot later than this after a boundary (station stalled) is no reading "at" it. */
const MAX_BOUNDARY_LAG_MS = 60_000;

export class MarketService {
  readonly #samples = new Map<string, MemberSample[]>();
  #lastTickMs: number | null = null;
  #lastSnapshotMs = 0;
  readonly #notes = new Map<string, string>();
  #indicative: { atMs: number; view: MarketIntervalView } | null = null;

  constructor(private readonly deps: MarketServiceDeps) {}

  schedule(): MarketSchedule {
    const market = this.deps.site().market;
    return {
      intervalMinutes: market.intervalMinutes,
      gateClosureMinutes: market.gateClosureMinutes ?? DEFAULT_GATE_CLOSURE_MIN,
      settleDelayMs: SETTLE_DELAY_MS,
    };
  }

  /** Telemetry: members' net power for forecasts, meter counters at interval boundaries. */
  onSnapshot(snapshot: Snapshot): void {
    const cutoff = snapshot.tsMs - SAMPLE_WINDOW_MS;
    for (const member of snapshot.members) {
      if (member.netW === null) continue;
      const samples = this.#samples.get(member.memberId) ?? [];
      samples.push({ tsMs: snapshot.tsMs, netW: member.netW, pvW: member.pvW });
      while (samples.length > 0 && samples[0]!.tsMs < cutoff) samples.shift();
      this.#samples.set(member.memberId, samples);
    }
    // The first snapshot at or after a boundary holds the counters "at" that boundary: at
    // 1 s snapshots that is within a second, and the same reading ends one interval and
    // starts the next, so no Wh falls between two intervals.
    const lengthMs = this.schedule().intervalMinutes * 60_000;
    const boundary = Math.floor(snapshot.tsMs / lengthMs) * lengthMs;
    const seenBefore = this.#lastSnapshotMs > 0 && this.#lastSnapshotMs < boundary;
    if (seenBefore && snapshot.tsMs - boundary <= MAX_BOUNDARY_LAG_MS) {
      const readings = meterReadings(this.deps.site(), snapshot);
      if (readings.length > 0) this.deps.repository.saveReadings(boundary, readings);
    }
    this.#lastSnapshotMs = snapshot.tsMs;
  }

  /** Clears intervals whose gate closed and settles delivered ones. */
  tick(nowMs: number): void {
    const schedule = this.schedule();
    // After a restart, intervals whose gate closed while the station was off are not
    // cleared late: nobody's orders were collected for them.
    const since = this.#lastTickMs ?? nowMs;
    this.#lastTickMs = nowMs;
    for (const interval of gatesClosedBetween(since, nowMs, schedule)) this.#clear(interval, nowMs);
    for (const interval of this.deps.repository.unsettled())
      if (interval.endMs + schedule.settleDelayMs <= nowMs) this.#settle(interval, nowMs);
  }

  state(nowMs: number): MarketState {
    const site = this.deps.site();
    const tariffs = this.#tariffs();
    return {
      currency: site.tariffs.currency,
      minorUnitDigits: site.tariffs.minorUnitDigits,
      tariffs,
      mechanism: this.#mechanism(),
      rules: this.#rulesNow(),
      island: this.#islandTerms(),
      intervalMinutes: site.market.intervalMinutes,
      gateClosureMinutes: this.schedule().gateClosureMinutes,
      open: this.#openView(nowMs),
      recent: this.deps.repository.recentIntervals(48).map(summary),
    };
  }

  interval(id: string): MarketIntervalView | null {
    const stored = this.deps.repository.interval(id);
    if (!stored) return null;
    return this.#view(
      stored,
      this.deps.repository.orders(id).map((o) => o),
      false,
    );
  }

  submitOrder(request: ManualOrderRequest, nowMs: number): Result<OrderInput> {
    const open = openIntervalAt(nowMs, this.schedule());
    const existing = this.deps.repository.orders(open.id).filter((o) => o.source === 'manual');
    const input: OrderInput = {
      id: `${open.id}:manual:${request.memberId}:${existing.length + 1}`,
      member: request.memberId,
      side: request.side,
      energyWh: request.energyWh,
      price: request.price,
      ...(request.energyType ? { energyType: request.energyType } : {}),
      ...(request.preferredPartners ? { preferredPartners: request.preferredPartners } : {}),
    };
    // The same checks as at clearing, with the member's other manual orders: a refusal is
    // given now, with its reason, not discovered at gate closure.
    const book = validateOrders(
      [...existing.map((o) => o.input), input],
      this.#tariffs(),
      new Set(this.deps.site().members.map((m) => m.id)),
    );
    const refused = book.rejected.find((r) => r.orderId === input.id);
    if (refused) return fail({ code: refused.reason, message: rejectionText(refused.reason) });
    this.deps.repository.addOrder({
      intervalId: open.id,
      source: 'manual',
      createdMs: nowMs,
      input,
    });
    this.#indicative = null;
    return ok(input);
  }

  cancelOrder(orderId: string, nowMs: number): Result<{ orderId: string }> {
    const open = openIntervalAt(nowMs, this.schedule());
    const order = this.deps.repository.orders(open.id).find((o) => o.input.id === orderId);
    if (!order || order.source !== 'manual')
      return fail({
        code: 'not_found',
        message: `no manual order "${orderId}" in the open interval ${open.id}`,
      });
    this.deps.repository.removeOrder(open.id, orderId);
    this.#indicative = null;
    return ok({ orderId });
  }

  preferences(): MemberPreferencesView[] {
    const saved = this.deps.repository.preferences();
    const tariffs = this.#tariffs();
    return this.deps.site().members.map((m) => {
      const checked = validatePreferences(saved.get(m.id) ?? {}, tariffs, m.id);
      return preferencesView(m.id, checked.ok ? checked.value : {}, tariffs);
    });
  }

  setPreferences(input: MemberPreferencesInput, nowMs: number): Result<MemberPreferencesView> {
    if (!this.deps.site().members.some((m) => m.id === input.memberId))
      return fail({ code: 'not_found', message: `no member "${input.memberId}" in the site` });
    const micro = (text: string | null, path: string): Result<number | undefined> => {
      if (text === null) return ok(undefined);
      const parsed = parseScaledDecimal(text);
      return parsed.ok
        ? ok(parsed.micro)
        : fail({ code: parsed.reason, path, message: `${path}: ${rejectionText(parsed.reason)}` });
    };
    const minSell = micro(input.minSellPrice, 'minSellPrice');
    if (!minSell.ok) return minSell;
    const maxBuy = micro(input.maxBuyPrice, 'maxBuyPrice');
    if (!maxBuy.ok) return maxBuy;
    const raw: MemberPreferences = {
      autoTrade: input.autoTrade,
      greenOnly: input.greenOnly,
      preferredPartners: input.preferredPartners,
      ...(minSell.value !== undefined ? { minSellPriceMicroPerKWh: minSell.value } : {}),
      ...(maxBuy.value !== undefined ? { maxBuyPriceMicroPerKWh: maxBuy.value } : {}),
    };
    const tariffs = this.#tariffs();
    const checked = validatePreferences(raw, tariffs, input.memberId);
    if (!checked.ok) return checked;
    const unknown = input.preferredPartners.find(
      (p) => !this.deps.site().members.some((m) => m.id === p),
    );
    if (unknown)
      return fail({ code: 'unknown_member', message: `preferredPartners: no member "${unknown}"` });
    this.deps.repository.setPreferences(input.memberId, checked.value, nowMs);
    this.#indicative = null;
    return ok(preferencesView(input.memberId, checked.value, tariffs));
  }

  #tariffs(): MarketTariffs {
    const parsed = tariffsFromSite(this.deps.site().tariffs);
    // The site schema admits only tariffs the market can represent; a failure is a bug.
    if (!parsed.ok) throw new Error(`site tariffs: ${parsed.error.message}`);
    return parsed.value;
  }

  #mechanism(): Mechanism {
    return this.deps.site().market.mechanism ?? 'pay-as-clear';
  }

  #islandTerms(): IslandTerms {
    return islandTerms(this.deps.site().market.island, this.#tariffs());
  }

  /** The rules an interval would clear under if its gate closed now. */
  #rulesNow(): MarketRuleName {
    return this.deps.gridState?.() === 'island' ? this.#islandTerms().rule : 'normal';
  }

  #agentOrders(interval: DeliveryInterval, nowMs: number): OrderInput[] {
    const site = this.deps.site();
    const members: AgentMember[] = site.members.map((m) => ({
      memberId: m.id,
      ...this.deps.rules.forecast(this.#samples.get(m.id) ?? [], interval, nowMs),
    }));
    return this.deps.rules.agentOrders({
      intervalId: interval.id,
      members,
      preferences: this.deps.repository.preferences(),
      tariffs: this.#tariffs(),
    });
  }

  #clearBook(
    orders: readonly OrderInput[],
    rules: MarketRuleName,
  ): Result<ClearingResult, Problem> {
    const site = this.deps.site();
    if (rules !== 'normal') {
      // The same validation as the normal market (one side per member, known members);
      // what island clearing then ignores is said in island-clearing.ts.
      const memberIds = new Set(site.members.map((m) => m.id));
      const book = validateOrders(orders, this.#tariffs(), memberIds);
      return ok(
        clearIsland(
          book.accepted,
          book.rejected,
          this.#tariffs(),
          { ...this.#islandTerms(), rule: rules },
          this.#mechanism(),
        ),
      );
    }
    return clearMarket({
      mechanism: this.#mechanism(),
      tariffs: this.#tariffs(),
      orders,
      members: site.members.map((m) => ({ id: m.id, feederId: m.feederId })),
      feeders: site.feeders,
    });
  }

  #clear(interval: DeliveryInterval, nowMs: number): void {
    const repository = this.deps.repository;
    if (repository.interval(interval.id)) return; // cleared before a restart
    const manual = repository.orders(interval.id);
    const manualMembers = new Set(manual.map((o) => o.input.member));
    // An operator's order for a member replaces the member's agent for this interval.
    const agent = this.#agentOrders(interval, nowMs).filter((o) => !manualMembers.has(o.member));
    for (const input of agent)
      repository.addOrder({ intervalId: interval.id, source: 'agent', createdMs: nowMs, input });
    const rules = this.#rulesNow();
    const result = this.#clearBook([...manual.map((o) => o.input), ...agent], rules);
    if (!result.ok) {
      this.#notes.set(interval.id, result.error.message);
      return;
    }
    const stored: StoredInterval = {
      ...interval,
      state: 'cleared',
      mechanism: result.value.mechanism,
      rules,
      previousRules: repository.lastRules(),
      clearedAtMs: nowMs,
      settledAtMs: null,
      clearing: result.value,
      settlement: null,
    };
    repository.saveCleared(stored);
    this.#indicative = null;
    this.deps.onCleared?.(stored);
  }

  #settle(interval: StoredInterval, nowMs: number): void {
    if (!interval.clearing) return;
    const repository = this.deps.repository;
    const start = repository.readings(interval.startMs);
    const end = repository.readings(interval.endMs);
    if (start.length === 0 || end.length === 0) {
      this.#notes.set(
        interval.id,
        `waiting for meter readings at ${start.length === 0 ? 'the start' : 'the end'} of delivery`,
      );
      return;
    }
    const before = new Map(start.map((r) => [r.memberId, r]));
    const metered = end.flatMap((r) => {
      const b = before.get(r.memberId);
      return b
        ? [
            {
              memberId: r.memberId,
              importWh: r.importWh - b.importWh,
              exportWh: r.exportWh - b.exportWh,
            },
          ]
        : [];
    });
    const imbalance = this.deps.site().market.imbalance;
    const digits = this.deps.site().tariffs.minorUnitDigits;
    const settled = this.deps.rules.settle({
      intervalId: interval.id,
      clearing: interval.clearing,
      metered,
      tariffs: this.#tariffs(),
      ...(imbalance
        ? {
            imbalance: {
              shortMicroPerKWh: Math.round(imbalance.shortMinorPerKWh * 10 ** (6 - digits)),
              longMicroPerKWh: Math.round(imbalance.longMinorPerKWh * 10 ** (6 - digits)),
            },
          }
        : {}),
    });
    if (!settled.ok) {
      this.#notes.set(interval.id, settled.error.message);
      return;
    }
    this.#notes.delete(interval.id);
    repository.saveSettled(interval.id, nowMs, settled.value);
    const stored = repository.interval(interval.id);
    if (stored) this.deps.onSettled?.(stored);
  }

  #openView(nowMs: number): MarketIntervalView {
    const open = openIntervalAt(nowMs, this.schedule());
    const rules = this.#rulesNow();
    const cached = this.#indicative;
    // A grid loss or return shows at once, not after the cache's few seconds.
    if (
      cached &&
      cached.view.id === open.id &&
      cached.view.rules === rules &&
      nowMs - cached.atMs < INDICATIVE_TTL_MS
    )
      return cached.view;
    const manual = this.deps.repository.orders(open.id);
    const manualMembers = new Set(manual.map((o) => o.input.member));
    const agent = this.#agentOrders(open, nowMs)
      .filter((o) => !manualMembers.has(o.member))
      .map((input) => ({ intervalId: open.id, source: 'agent' as const, createdMs: nowMs, input }));
    const orders = [...manual, ...agent];
    const result = this.#clearBook(
      orders.map((o) => o.input),
      rules,
    );
    const view = this.#view(
      {
        ...open,
        state: 'open',
        mechanism: this.#mechanism(),
        rules,
        previousRules: null,
        clearedAtMs: null,
        settledAtMs: null,
        clearing: result.ok ? result.value : null,
        settlement: null,
      },
      orders,
      true,
    );
    this.#indicative = { atMs: nowMs, view };
    return view;
  }

  #view(
    interval: StoredInterval,
    orders: MarketIntervalView['orders'],
    indicative: boolean,
  ): MarketIntervalView {
    const result = interval.clearing;
    const book = validateOrders(
      orders.map((o) => o.input),
      this.#tariffs(),
    );
    return {
      id: interval.id,
      startMs: interval.startMs,
      endMs: interval.endMs,
      gateClosureMs: interval.gateClosureMs,
      state: interval.state,
      mechanism: (interval.mechanism as Mechanism) ?? this.#mechanism(),
      rules: interval.rules,
      island: result?.island ?? null,
      indicative,
      orders: orders.map((o) => ({ input: o.input, source: o.source, createdMs: o.createdMs })),
      result,
      curves: result ? supplyDemandCurves(book.accepted, result.gridFeeMicroPerKWh) : null,
      positions: positions(result, interval.settlement),
      settlementNote: this.#notes.get(interval.id) ?? null,
      settlement: interval.settlement,
    };
  }
}

export { rejectionText } from './market-views';

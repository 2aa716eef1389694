// Settlement of one interval after delivery (issue #5 item 5): the clearing's local
// trades are financial transfers; what each member metered beyond its trades settles
// with the utility at the imbalance prices.
//
//   traded net  = bought − sold (Wh, from the trades)
//   metered net = import − export (Wh, from the meter counters)
//   deviation   = metered − traded: > 0 short, the member pays short × deviation to the
//                 utility; < 0 long, the utility pays long × |deviation| to the member.
//
// Energy the clearing left unmatched is not booked separately: with no trade it is all
// deviation, so a member whose meter matched its order settles exactly the clearing's
// `unmatched` amount at the default imbalance prices (the utility tariffs).
//
// Per local trade: buyer → seller sellerReceivesMinor ('local-buy' / 'local-sell'),
// buyer → network operator gridFeeMinor, buyer → community fund congestionMinor (the
// rent between zone prices of a split market; the community decides its use).
//
// Island intervals (clearing.island, island-clearing.ts): there is no utility to take a
// deviation, so the community fund does, at the interval's island price both ways. The
// energy physically comes from or goes into the community's battery; the fund is its
// account. The site's imbalance prices are utility prices and do not apply.
//
// Rounding: each line is rounded once, half up on its magnitude, by money.ts. Trade lines
// take the clearing's booked amounts (the buyer's and the seller's side rounded, the fee
// the difference); imbalance lines round |deviation| × price. Every transfer is written as
// two lines with opposite amounts, so all lines sum to exactly 0 whatever the rounding.
import { fail, ok, type Result } from '../result';
import { amountMinor } from './money';
import { MAX_PRICE_MICRO_PER_KWH } from './price';
import {
  COMMUNITY_FUND,
  NETWORK_OPERATOR,
  SYSTEM_PARTIES,
  UTILITY,
  type ImbalancePrices,
  type IntervalSettlement,
  type MemberSettlement,
  type MeterReading,
  type SettlementInput,
  type SettlementLine,
  type SettlementLineKind,
  type SettlementProblem,
} from './settlement-types';

export * from './settlement-types';

/** A reading above 1 GWh per member and interval is a broken counter, not a microgrid. */
const MAX_READING_WH = 1e9;

export function settleInterval(
  input: SettlementInput,
): Result<IntervalSettlement, SettlementProblem> {
  const { intervalId, clearing, tariffs } = input;
  const islandPrice = clearing.island?.priceMicroPerKWh;
  const imbalance =
    islandPrice !== undefined
      ? { shortMicroPerKWh: islandPrice, longMicroPerKWh: islandPrice }
      : (input.imbalance ?? {
          shortMicroPerKWh: tariffs.retailMicroPerKWh,
          longMicroPerKWh: tariffs.feedInMicroPerKWh,
        });
  const counterparty = clearing.island ? COMMUNITY_FUND : UTILITY;
  const badPrice = checkImbalance(imbalance);
  if (badPrice) return fail(badPrice);
  const readings = readingsById(input.metered);
  if (!readings.ok) return readings;

  const positions = new Map<string, { boughtWh: number; soldWh: number }>();
  const position = (memberId: string) => {
    let p = positions.get(memberId);
    if (!p) positions.set(memberId, (p = { boughtWh: 0, soldWh: 0 }));
    return p;
  };
  const lines: SettlementLine[] = [];
  clearing.trades.forEach((t, index) => {
    position(t.buyerId).boughtWh += t.energyWh;
    position(t.sellerId).soldWh += t.energyWh;
    const tradeRef = `${intervalId}#${index}`;
    const e = t.energyWh;
    transfer(lines, t.buyerId, t.sellerId, 'local-buy', e, t.sellerReceivesMinor, tradeRef);
    if (t.gridFeeMinor !== 0)
      transfer(lines, t.buyerId, NETWORK_OPERATOR, 'grid-fee', e, t.gridFeeMinor, tradeRef);
    if (t.congestionMinor !== 0)
      transfer(lines, t.buyerId, COMMUNITY_FUND, 'congestion', e, t.congestionMinor, tradeRef);
  });
  // Members with an unmatched order took part too: without their reading the utility's
  // share of their energy would go unbilled.
  for (const u of clearing.unmatched) position(u.memberId);
  for (const r of clearing.island?.rations ?? []) position(r.memberId);
  for (const id of readings.value.keys()) position(id);

  const memberIds = [...positions.keys()].sort(byCodeUnit);
  const reserved = memberIds.filter((id) => (SYSTEM_PARTIES as readonly string[]).includes(id));
  if (reserved.length > 0)
    return fail(problem('reserved_member_id', reserved, 'member ids name a system party'));
  const missing = memberIds.filter((id) => !readings.value.has(id));
  if (missing.length > 0 && !input.assumeTradedWhenMissing)
    return fail(problem('missing_readings', missing, 'no meter reading: settlement waits'));

  const members: MemberSettlement[] = [];
  for (const memberId of memberIds) {
    const { boughtWh, soldWh } = position(memberId);
    const tradedNetWh = boughtWh - soldWh;
    const reading = readings.value.get(memberId);
    const meteredNetWh = reading ? reading.importWh - reading.exportWh : tradedNetWh;
    const deviationWh = meteredNetWh - tradedNetWh;
    if (deviationWh > 0) {
      const cost = amountMinor(deviationWh, imbalance.shortMicroPerKWh, tariffs.minorUnitDigits);
      transfer(lines, memberId, counterparty, 'imbalance-short', deviationWh, cost);
    } else if (deviationWh < 0) {
      const pay = amountMinor(-deviationWh, imbalance.longMicroPerKWh, tariffs.minorUnitDigits);
      transfer(lines, counterparty, memberId, 'imbalance-long', -deviationWh, pay);
    }
    members.push({
      memberId,
      boughtWh,
      soldWh,
      tradedNetWh,
      meteredNetWh,
      deviationWh,
      amountMinor: 0,
      readingAssumed: !reading,
    });
  }
  const totals = new Map<string, number>([...memberIds, ...SYSTEM_PARTIES].map((p) => [p, 0]));
  for (const l of lines) totals.set(l.party, (totals.get(l.party) ?? 0) + l.amountMinor);
  for (const m of members) m.amountMinor = totals.get(m.memberId) ?? 0;
  const parties = [...totals].map(([party, amount]) => ({ party, amountMinor: amount }));
  return ok({ intervalId, imbalance, lines, members, parties });
}

/** `payer` pays `amount` to `payee`: one line for each of them. */
function transfer(
  lines: SettlementLine[],
  payer: string,
  payee: string,
  kind: SettlementLineKind,
  energyWh: number,
  amount: number,
  tradeRef?: string,
): void {
  const isMember = (p: string) => !(SYSTEM_PARTIES as readonly string[]).includes(p);
  const about = (party: string, other: string) => (isMember(party) ? party : other);
  // The payee side of a local trade is the seller's 'local-sell'; other kinds keep their name.
  const payeeKind = kind === 'local-buy' ? 'local-sell' : kind;
  const ref = tradeRef === undefined ? {} : { tradeRef };
  lines.push(
    {
      party: payer,
      counterparty: payee,
      kind,
      energyWh,
      amountMinor: -amount,
      memberId: about(payer, payee),
      ...ref,
    },
    {
      party: payee,
      counterparty: payer,
      kind: payeeKind,
      energyWh,
      amountMinor: amount,
      memberId: about(payee, payer),
      ...ref,
    },
  );
}

function checkImbalance(prices: ImbalancePrices): SettlementProblem | null {
  for (const [name, micro] of Object.entries(prices)) {
    if (!Number.isSafeInteger(micro) || micro < 0 || micro > MAX_PRICE_MICRO_PER_KWH)
      return problem('bad_imbalance_price', [], `imbalance.${name}: not whole micro-units ≥ 0`);
  }
  return null;
}

function readingsById(
  metered: ReadonlyArray<MeterReading>,
): Result<Map<string, MeterReading>, SettlementProblem> {
  const byId = new Map<string, MeterReading>();
  for (const r of metered) {
    const counters = [r.importWh, r.exportWh];
    if (
      !r.memberId ||
      counters.some((wh) => !Number.isInteger(wh) || wh < 0 || wh > MAX_READING_WH)
    )
      return fail(problem('bad_reading', [r.memberId], 'readings are whole Wh from 0 to 1e9'));
    if (byId.has(r.memberId))
      return fail(problem('duplicate_reading', [r.memberId], 'more than one reading'));
    byId.set(r.memberId, r);
  }
  return ok(byId);
}

function problem(
  code: SettlementProblem['code'],
  memberIds: string[],
  what: string,
): SettlementProblem {
  const who = memberIds.length > 0 ? ` (${memberIds.join(', ')})` : '';
  return { code, memberIds, message: `${what}${who}` };
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// `microgrid market clear`: clears one interval's order book from a JSON file or stdin and
// prints the result as JSON (issue #5 item 6). Prices in and out are currency per kWh.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { clearMarket } from '../../core/market/clear-market';
import { MECHANISMS, type ClearingResult, type Mechanism } from '../../core/market/clearing-types';
import { priceToCurrencyNumber } from '../../core/market/price';
import { parseTariffs } from '../../core/market/tariffs';
import { formatPath } from '../../core/site/site-schema';
import { CliError, printJson, UsageError } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';

const HELP = `
Usage: microgrid market clear --mechanism pay-as-clear|pay-as-bid [--input FILE]

Clears one market interval and prints the trades as JSON. Reads from stdin without --input:
  { "feedInTariff": 0.08, "retailTariff": 0.30, "gridFee": 0.02,
    "orders": [ { "id": "b1", "member": "alice", "side": "buy", "energyWh": 3000,
                  "price": 0.28, "energyType": "solar", "preferredPartners": ["bob"] } ] }
Prices are currency per kWh, as JSON numbers or decimal strings, at most 6 decimals.
Optional "members": [{ "id", "feederId" }] rejects orders of anyone else, and with
"feeders": [{ "id", "parentId", "linkCapacityWh" }] the clearing respects link capacities
and prints "zones" and "bindingLinks".

Prints { mechanism, clearingPrice, trades: [{ buyOrder, sellOrder, buyer, seller,
energyWh, price }], unmatched: [{ order, energyWh }], rejected: [{ order, reason }] }.

Example:
  microgrid market clear --mechanism pay-as-clear --input book.json`;

const price = z.union([z.number(), z.string()]);
const inputSchema = z.strictObject({
  feedInTariff: price,
  retailTariff: price,
  gridFee: price.optional(),
  // Order fields are checked loosely here on purpose: a bad side, energy or price is a
  // rejected order with a reason code, not a malformed file.
  orders: z.array(
    z.strictObject({
      id: z.string().min(1),
      member: z.string().min(1),
      side: z.string(),
      energyWh: z.number(),
      price,
      energyType: z.string().min(1).optional(),
      preferredPartners: z.array(z.string()).optional(),
    }),
  ),
  members: z
    .array(z.strictObject({ id: z.string().min(1), feederId: z.string().min(1) }))
    .optional(),
  feeders: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        parentId: z.string().min(1).nullable(),
        linkCapacityWh: z.number().int().min(0).nullable(),
      }),
    )
    .optional(),
});
type MarketFile = z.infer<typeof inputSchema>;

/** The stdin reader is a parameter so tests can run the command in-process. */
export function createMarketCommand(readStdin: () => Promise<string> = readProcessStdin): Command {
  return {
    summary: 'clear a market interval from a JSON order book (pay-as-clear or pay-as-bid)',
    help: HELP,
    options: { ...COMMON_OPTIONS, mechanism: { type: 'string' }, input: { type: 'string' } },
    async run({ values, positionals, io }) {
      const [action, extra] = positionals;
      if (action !== 'clear')
        throw new UsageError(
          action ? `unknown market action "${action}"` : 'market needs an action: clear',
        );
      if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
      const mechanism = values.mechanism;
      if (!MECHANISMS.includes(mechanism as Mechanism))
        throw new UsageError(`--mechanism must be one of ${MECHANISMS.join(', ')}`);
      const file = values.input as string | undefined;
      const source = file ?? 'stdin';
      const text = file === undefined ? await readStdin() : readInput(file);
      const input = parseInput(text, source);
      const tariffs = parseTariffs({
        feedIn: input.feedInTariff,
        retail: input.retailTariff,
        gridFee: input.gridFee,
      });
      if (!tariffs.ok)
        throw new CliError(`invalid market input ${source}: ${tariffs.error.message}`);
      const result = clearMarket({
        mechanism: mechanism as Mechanism,
        tariffs: tariffs.value,
        orders: input.orders,
        members: input.members,
        feeders: input.feeders,
      });
      if (!result.ok) throw new CliError(`invalid market input ${source}: ${result.error.message}`);
      printJson(io, toJson(result.value, input.feeders !== undefined));
      return 0;
    },
  };
}

export const marketCommand = createMarketCommand();

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseInput(text: string, source: string): MarketFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `invalid market input ${source}: not valid JSON (${(error as Error).message})`,
    );
  }
  const parsed = inputSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  throw new CliError(
    `invalid market input ${source}: ${path || 'input'}: ${issue?.message ?? 'invalid'}`,
  );
}

/** The issue's JSON shape; prices back in currency per kWh, exact decimals. */
function toJson(result: ClearingResult, network: boolean) {
  const currency = (micro: number | null) => (micro === null ? null : priceToCurrencyNumber(micro));
  return {
    mechanism: result.mechanism,
    clearingPrice: currency(result.clearingPriceMicroPerKWh),
    trades: result.trades.map((t) => ({
      buyOrder: t.buyOrderId,
      sellOrder: t.sellOrderId,
      buyer: t.buyerId,
      seller: t.sellerId,
      energyWh: t.energyWh,
      price: currency(t.priceMicroPerKWh),
      ...(t.buyerPriceMicroPerKWh !== t.priceMicroPerKWh + result.gridFeeMicroPerKWh
        ? { buyerPrice: currency(t.buyerPriceMicroPerKWh) }
        : {}),
    })),
    unmatched: result.unmatched.map((u) => ({ order: u.orderId, energyWh: u.energyWh })),
    rejected: result.rejected.map((r) => ({ order: r.orderId, reason: r.reason })),
    ...(network
      ? {
          zones: result.zones.map((z) => ({
            feeders: z.feederIds,
            clearingPrice: currency(z.clearingPriceMicroPerKWh),
          })),
          bindingLinks: result.bindingLinks.map((l) => ({
            feeder: l.feederId,
            capacityWh: l.capacityWh,
            flowWh: l.flowWh,
          })),
        }
      : {}),
  };
}

// Shapes of the market requests. Whether an order fits the market (tariff bounds, the
// member's side, exact price) is decided by the market's own validation, so both say the same.
import { z } from 'zod';

const id = z.string().min(1).max(200);

export const marketIntervalSchema = z.strictObject({ id });

export const manualOrderSchema = z.strictObject({
  memberId: z.string().min(1).max(63),
  side: z.enum(['buy', 'sell']),
  energyWh: z.number().int('must be whole Wh').min(1).max(1e9),
  price: z.string().regex(/^\d{1,7}(\.\d{1,6})?$/, 'must be a decimal price per kWh such as 0.185'),
  energyType: z.string().min(1).max(40).optional(),
  preferredPartners: z.array(z.string().min(1).max(63)).max(100).optional(),
});

const decimalPrice = z
  .string()
  .regex(/^\d{1,7}(\.\d{1,6})?$/, 'must be a decimal price per kWh such as 0.185');

export const memberPreferencesInputSchema = z.strictObject({
  memberId: z.string().min(1).max(63),
  autoTrade: z.boolean(),
  minSellPrice: decimalPrice.nullable(),
  maxBuyPrice: decimalPrice.nullable(),
  preferredPartners: z.array(z.string().min(1).max(63)).max(100),
  greenOnly: z.boolean(),
});

export const cancelOrderSchema = z.strictObject({ orderId: id });

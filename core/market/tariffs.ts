// Tariffs of the market in micro-currency per kWh, from a JSON file (currency per kWh)
// or from the Site (minor units per kWh with up to 4 decimals).
import { fail, ok, type Problem, type Result } from '../result';
import type { Tariffs } from '../site/site-types';
import type { MarketTariffs } from './order-types';
import { parseScaledDecimal, PRICE_DIGITS } from './price';

export interface TariffInput {
  feedIn: number | string;
  retail: number | string;
  gridFee?: number | string;
  minorUnitDigits?: number;
}

/** Tariffs in currency per kWh (feed-in ≤ retail); a grid fee wider than the spread is allowed: nothing trades. */
export function parseTariffs(input: TariffInput): Result<MarketTariffs> {
  const feedIn = priceField('feedInTariff', input.feedIn, PRICE_DIGITS);
  if (!feedIn.ok) return feedIn;
  const retail = priceField('retailTariff', input.retail, PRICE_DIGITS);
  if (!retail.ok) return retail;
  const gridFee = priceField('gridFee', input.gridFee ?? 0, PRICE_DIGITS);
  if (!gridFee.ok) return gridFee;
  return build(feedIn.value, retail.value, gridFee.value, input.minorUnitDigits ?? 2);
}

/** The Site's tariffs (minor units per kWh): 8.25 ct/kWh with 2 minor digits → 82_500. */
export function tariffsFromSite(tariffs: Tariffs): Result<MarketTariffs> {
  const digits = PRICE_DIGITS - tariffs.minorUnitDigits;
  const feedIn = priceField('tariffs.feedInMinorPerKWh', tariffs.feedInMinorPerKWh, digits);
  if (!feedIn.ok) return feedIn;
  const retail = priceField('tariffs.retailMinorPerKWh', tariffs.retailMinorPerKWh, digits);
  if (!retail.ok) return retail;
  const gridFee = priceField('tariffs.gridFeeMinorPerKWh', tariffs.gridFeeMinorPerKWh, digits);
  if (!gridFee.ok) return gridFee;
  return build(feedIn.value, retail.value, gridFee.value, tariffs.minorUnitDigits);
}

function priceField(path: string, value: number | string, digits: number): Result<number> {
  const parsed = parseScaledDecimal(value, digits);
  if (parsed.ok) return ok(parsed.micro);
  const problem: Problem = {
    code: parsed.reason,
    path,
    message: `${path}: ${parsed.reason.replaceAll('_', ' ')} (${String(value)})`,
  };
  return fail(problem);
}

function build(
  feedInMicroPerKWh: number,
  retailMicroPerKWh: number,
  gridFeeMicroPerKWh: number,
  minorUnitDigits: number,
): Result<MarketTariffs> {
  if (feedInMicroPerKWh > retailMicroPerKWh) {
    return fail({
      code: 'feed_in_above_retail',
      path: 'feedInTariff',
      message: 'feedInTariff: must not be above retailTariff',
    });
  }
  if (!Number.isInteger(minorUnitDigits) || minorUnitDigits < 0 || minorUnitDigits > 6) {
    return fail({
      code: 'bad_minor_unit_digits',
      path: 'minorUnitDigits',
      message: 'minorUnitDigits: must be a whole number from 0 to 6',
    });
  }
  return ok({ feedInMicroPerKWh, retailMicroPerKWh, gridFeeMicroPerKWh, minorUnitDigits });
}

// Booking energy × price as money in integer minor units (cents for EUR).
import { PRICE_DIGITS } from './price';

/**
 * energyWh × priceMicroPerKWh in minor units, rounded half up (amounts are never
 * negative; half up is the usual commercial rule on invoices). The exact amount is
 * energyWh × price / 10^(3 + 6) currency units, so the division is by an integer and the
 * rounding is exact; BigInt takes over only when the product leaves the safe integers.
 */
export function amountMinor(
  energyWh: number,
  priceMicroPerKWh: number,
  minorUnitDigits: number,
): number {
  const shift = 3 + PRICE_DIGITS - minorUnitDigits;
  const product = energyWh * priceMicroPerKWh;
  if (shift <= 0) return product * 10 ** -shift;
  const divisor = 10 ** shift;
  if (Number.isSafeInteger(product)) {
    let quotient = Math.floor(product / divisor);
    let rest = product - quotient * divisor;
    // The float quotient may be one off near an integer; the remainder tells.
    if (rest < 0) {
      quotient -= 1;
      rest += divisor;
    } else if (rest >= divisor) {
      quotient += 1;
      rest -= divisor;
    }
    return rest * 2 >= divisor ? quotient + 1 : quotient;
  }
  const big = BigInt(energyWh) * BigInt(priceMicroPerKWh);
  const bigDivisor = BigInt(divisor);
  const quotient = big / bigDivisor;
  return Number((big % bigDivisor) * 2n >= bigDivisor ? quotient + 1n : quotient);
}

// Merit order: buys by price descending, sells ascending, equal prices in input order.

const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;

/**
 * Sorts order indices by price, stably, and returns a new array. Prices are integers
 * (micro-currency per kWh) within a narrow band, so an LSD radix sort on the price offset
 * (11-bit digits: two passes for a band up to 4.19 currency/kWh) is linear and needs no
 * comparator calls; it is stable, so equal prices keep input order. Offsets of 2^32 µ or
 * more (a band above 4294 currency/kWh) fall back to Array#sort with a comparator.
 */
export function sortByPrice(
  indices: Int32Array,
  priceMicroPerKWh: Float64Array,
  descending: boolean,
): Int32Array {
  const n = indices.length;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const p = priceMicroPerKWh[indices[k] as number] as number;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  if (n === 0) return new Int32Array(0);
  const span = max - min;
  if (span >= 2 ** 32) return comparatorSort(indices, priceMicroPerKWh, descending);
  let keys = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const p = priceMicroPerKWh[indices[k] as number] as number;
    keys[k] = descending ? max - p : p - min;
  }
  let src = Int32Array.from(indices);
  let dst = new Int32Array(n);
  let dstKeys = new Uint32Array(n);
  const count = new Int32Array(BUCKETS + 1);
  for (let shift = 0; shift < 32 && span >>> shift > 0; shift += DIGIT_BITS) {
    count.fill(0);
    for (let k = 0; k < n; k++) {
      const d = (((keys[k] as number) >>> shift) & (BUCKETS - 1)) + 1;
      count[d] = (count[d] as number) + 1;
    }
    for (let d = 1; d <= BUCKETS; d++) count[d] = (count[d] as number) + (count[d - 1] as number);
    for (let k = 0; k < n; k++) {
      const key = keys[k] as number;
      const d = (key >>> shift) & (BUCKETS - 1);
      const pos = count[d] as number;
      count[d] = pos + 1;
      dst[pos] = src[k] as number;
      dstKeys[pos] = key;
    }
    [src, dst] = [dst, src];
    [keys, dstKeys] = [dstKeys, keys];
  }
  return src;
}

function comparatorSort(
  indices: Int32Array,
  priceMicroPerKWh: Float64Array,
  descending: boolean,
): Int32Array {
  const sign = descending ? -1 : 1;
  const sorted = Array.from(indices).sort(
    (a, b) => sign * ((priceMicroPerKWh[a] as number) - (priceMicroPerKWh[b] as number)) || a - b,
  );
  return Int32Array.from(sorted);
}

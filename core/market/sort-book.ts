// Merit order: buys by price descending, sells ascending, equal prices in input order.

/**
 * Sorts order indices by price, stably, and returns a new array. Each key packs
 * (price offset, position) into one exact integer in a double, so a plain numeric
 * Float64Array sort (native, no comparator calls) is stable and several times faster than
 * Array#sort with a comparator. Falls back to that comparator when the key would leave
 * the exact integers (price span × count ≥ 2^53).
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
  const out = new Int32Array(n);
  if (n === 0) return out;
  if ((max - min + 1) * n < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const p = priceMicroPerKWh[indices[k] as number] as number;
      keys[k] = (descending ? max - p : p - min) * n + k;
    }
    keys.sort();
    for (let k = 0; k < n; k++) out[k] = indices[(keys[k] as number) % n] as number;
    return out;
  }
  const sign = descending ? -1 : 1;
  const sorted = Array.from(indices).sort(
    (a, b) => sign * ((priceMicroPerKWh[a] as number) - (priceMicroPerKWh[b] as number)) || a - b,
  );
  out.set(sorted);
  return out;
}

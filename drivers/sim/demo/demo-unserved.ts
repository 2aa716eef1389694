// Splitting an integer amount of power over integer weights, exactly: the parts are whole
// watts and add up to the amount, so per-member unserved energy sums to the site's.

/**
 * `amount` (integer ≥ 0) in proportion to `weights` (integers ≥ 0): floors first, then the
 * watts left over one each to the largest remainders (earlier index on a tie). All zeros
 * when the weights are all zero.
 */
export function apportion(weights: readonly number[], amount: number): number[] {
  const total = weights.reduce((a, w) => a + w, 0);
  if (amount <= 0 || total <= 0) return weights.map(() => 0);
  const target = Math.min(amount, total);
  const parts = weights.map((w) => Math.floor((target * w) / total));
  let left = target - parts.reduce((a, p) => a + p, 0);
  const order = weights
    .map((w, i) => ({ i, rest: (target * w) % total }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

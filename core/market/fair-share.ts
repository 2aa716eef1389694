// Sharing whole Wh fairly: pro rata with largest remainders, and max-min fair
// (water-filling) shares of a scarce supply. Pure integer arithmetic: what is shared out
// sums exactly to what there is.

/**
 * Splits `total` in proportion to `weights` (whole numbers ≥ 0, total ≤ Σ weights, so no
 * share exceeds its weight): each gets the floor of its exact share, and the Wh left over
 * go one each to the largest remainders, earlier index first on a tie. BigInt: total ×
 * weight may leave the safe integers.
 */
export function proRata(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (total < 0 || total > sum) throw new RangeError(`proRata: ${total} outside 0..${sum}`);
  if (sum === 0) return weights.map(() => 0);
  const big = BigInt(sum);
  const shares: number[] = [];
  const remainders: bigint[] = [];
  let given = 0;
  for (const w of weights) {
    const exact = BigInt(total) * BigInt(w);
    const floor = exact / big;
    shares.push(Number(floor));
    remainders.push(exact - floor * big);
    given += Number(floor);
  }
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = remainders[a] as bigint;
      const rb = remainders[b] as bigint;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
  for (let k = 0; k < total - given; k++) {
    const i = order[k] as number;
    shares[i] = (shares[i] as number) + 1;
  }
  return shares;
}

/**
 * Max-min fair shares of `supply` among `demands` (whole Wh): everyone whose demand fits
 * under a common level gets all of it, the rest get the level; the Wh the level leaves
 * over go one each to the unsatisfied, earlier index first. So every unsatisfied share is
 * at least every other share minus 1 Wh, and the shares sum to min(supply, Σ demands).
 */
export function waterFill(demands: readonly number[], supply: number): number[] {
  const shares = demands.map(() => 0);
  const byDemand = demands.map((_, i) => i).sort((a, b) => demands[a]! - demands[b]! || a - b);
  let remaining = supply;
  for (let k = 0; k < byDemand.length; k++) {
    const left = byDemand.length - k;
    const level = Math.floor(remaining / left);
    const i = byDemand[k] as number;
    const demand = demands[i] as number;
    if (demand <= level) {
      shares[i] = demand;
      remaining -= demand;
      continue;
    }
    // Everyone from here on wants more than the level: all get it, and the remainder
    // (< left) goes one Wh each in index order.
    const rest = byDemand.slice(k).sort((a, b) => a - b);
    let extra = remaining - level * left;
    for (const j of rest) {
      shares[j] = level + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
    }
    break;
  }
  return shares;
}

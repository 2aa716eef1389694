/**
 * Tick positions at whole multiples of `stepMs` within [minMs, maxMs]. Multiples of ten
 * minutes since the epoch are also whole ten minutes of local time in every zone whose
 * UTC offset is a multiple of ten minutes (all but a few, such as Nepal's +05:45).
 */
export function alignedTicks(minMs: number, maxMs: number, stepMs: number): number[] {
  if (!(stepMs > 0) || !(maxMs >= minMs)) return [];
  const ticks: number[] = [];
  for (let t = Math.ceil(minMs / stepMs) * stepMs; t <= maxMs; t += stepMs) ticks.push(t);
  return ticks;
}

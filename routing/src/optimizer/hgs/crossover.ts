// Ordered crossover (OX, Oliver, Smith & Holland 1987) on giant tours, as in HGS-CVRP Genetic.cpp.

import type { Prng } from './prng.js';

/**
 * Copies the circular zone [start, end] of parent1, then fills the other positions with the missing
 * customers in the order of parent2 starting after `end`. `seen` is a scratch array indexed by customer.
 */
export function crossoverOx(
  result: Int32Array,
  parent1: Int32Array,
  parent2: Int32Array,
  rng: Prng,
  seen: Uint8Array,
): void {
  const n = result.length;
  if (n === 1) {
    result[0] = parent1[0]!;
    return;
  }
  seen.fill(0);
  const start = rng.nextInt(n);
  let end = rng.nextInt(n);
  while (end === start) end = rng.nextInt(n);
  let j = start;
  const stop = (end + 1) % n;
  while (j % n !== stop) {
    const c = parent1[j % n]!;
    result[j % n] = c;
    seen[c] = 1;
    j++;
  }
  for (let i = 1; i <= n; i++) {
    const c = parent2[(end + i) % n]!;
    if (seen[c] === 0) {
      result[j % n] = c;
      j++;
    }
  }
}

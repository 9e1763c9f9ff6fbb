import type { Rng } from './rng';

/** Resting size in lots: log-normal body, a Pareto tail, larger with depth, often a round number. */
export function restingSize(rng: Rng, baseLots: number, rank: number): number {
  let s = baseLots * Math.exp(0.8 * rng.gauss()) * (1 + Math.min(rank, 200) / 50);
  if (rng.float() < 0.05) s *= Math.min(40, (1 - rng.float()) ** (-1 / 1.5));
  if (rng.float() < 0.3) {
    const round = Math.max(1, Math.round(baseLots / 10));
    s = Math.round(s / round) * round;
  }
  return Math.max(1, Math.round(s));
}

/** Size of a market order in lots: smaller than resting sizes, with a heavier tail. */
export function marketSize(rng: Rng, baseLots: number): number {
  let s = baseLots * 0.15 * Math.exp(1.1 * rng.gauss());
  if (rng.float() < 0.05) s *= Math.min(40, (1 - rng.float()) ** (-1 / 1.3));
  return Math.max(1, Math.round(s));
}

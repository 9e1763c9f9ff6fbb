import { Rng, seedOf } from './rng';
import type { SimSymbolParams } from './instruments';

export const BUCKET_MICROS = 50_000;
const BUCKET_SECONDS = BUCKET_MICROS / 1e6;
/** Mean-reversion time of a venue's deviation from the fundamental. */
const DEVIATION_TAU_SECONDS = 15;

/**
 * A process stepped once per fixed time bucket and read with linear interpolation, so its
 * value at time t depends only on its seed and t, not on when or how often it is read.
 * Reads must come at non-decreasing times.
 */
export class BucketedPath {
  private k = 0;
  private v0: number;
  private v1: number;

  constructor(first: number, private readonly step: (prev: number) => number) {
    this.v0 = first;
    this.v1 = step(first);
  }

  at(t: number): number {
    const k = Math.floor(t / BUCKET_MICROS);
    while (this.k < k) {
      this.v0 = this.v1;
      this.v1 = this.step(this.v0);
      this.k++;
    }
    return this.v0 + (this.v1 - this.v0) * ((t - k * BUCKET_MICROS) / BUCKET_MICROS);
  }
}

/** The common price of a symbol: geometric random walk seeded from (seed, symbol) only. */
export function fundamentalPath(seed: number, symbol: string, p: SimSymbolParams): BucketedPath {
  const rng = new Rng(seedOf(seed, 'fundamental', symbol));
  const sigma = p.volBps * 1e-4 * Math.sqrt(BUCKET_SECONDS);
  return new BucketedPath(p.startPrice, (prev) => prev * Math.exp(sigma * rng.gauss()));
}

/** A venue's relative deviation from the fundamental: Ornstein–Uhlenbeck, started in its stationary law. */
export function deviationPath(seed: number, venue: string, symbol: string, p: SimSymbolParams): BucketedPath {
  const rng = new Rng(seedOf(seed, 'deviation', venue, symbol));
  const sd = p.devBps * 1e-4;
  const a = Math.exp(-BUCKET_SECONDS / DEVIATION_TAU_SECONDS);
  const kick = sd * Math.sqrt(1 - a * a);
  return new BucketedPath(sd * rng.gauss(), (prev) => prev * a + kick * rng.gauss());
}

/** Where a venue wants its mid for one symbol, in (fractional) ticks. */
export class VenueMid {
  private readonly fundamental: BucketedPath;
  private readonly deviation: BucketedPath;

  constructor(seed: number, venue: string, symbol: string, p: SimSymbolParams, private readonly tickSize: number) {
    this.fundamental = fundamentalPath(seed, symbol, p);
    this.deviation = deviationPath(seed, venue, symbol, p);
  }

  ticksAt(t: number): number {
    return (this.fundamental.at(t) * (1 + this.deviation.at(t))) / this.tickSize;
  }
}

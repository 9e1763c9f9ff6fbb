/**
 * One latency, in microseconds, recorded into an HDR histogram: constant time and no allocation
 * per value, 2 significant digits from 1 µs to 60 s. It is read two ways:
 * - `last`: the second closed by the latest tick() (the perf panel, once a second);
 * - `window()`: quantiles over the last 30–60 s (the previous and the current 30 s window plus
 *   the open second), with a cumulative count and sum: a Prometheus summary.
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencyFigures } from '../../shared/protocol';

/** The quantiles every latency summary reports. */
export const QUANTILES = [0.5, 0.95, 0.99, 0.999] as const;

const MAX_US = 60_000_000;
/** ticks (seconds) per window; quantiles cover one to two windows */
export const WINDOW_TICKS = 30;

export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_US, numberOfSignificantValueDigits: 2 });
}

export const NO_FIGURES: LatencyFigures = { count: 0, p50Us: 0, p99Us: 0, maxUs: 0 };

export function figuresOf(h: hdr.Histogram): LatencyFigures {
  if (h.totalCount === 0) return NO_FIGURES;
  return { count: h.totalCount, p50Us: h.getValueAtPercentile(50), p99Us: h.getValueAtPercentile(99), maxUs: h.maxValue };
}

export class LatencyStat {
  /** values recorded since start */
  count = 0;
  sumUs = 0;
  /** figures of the second closed by the latest tick() */
  last: LatencyFigures = NO_FIGURES;
  private readonly second = newHistogram();
  private current = newHistogram();
  private previous = newHistogram();
  private readonly merged = newHistogram();
  private ticks = 0;

  record(us: number): void {
    const v = us >= 1 ? (us < MAX_US ? Math.round(us) : MAX_US) : 1;
    this.second.recordValue(v);
    this.count++;
    this.sumUs += us;
  }

  /** Adds values recorded in another histogram of the same layout (a venue's per-second latency). */
  addHistogram(h: hdr.Histogram): void {
    if (h.totalCount === 0) return;
    this.second.add(h);
    this.count += h.totalCount;
    this.sumUs += h.mean * h.totalCount;
  }

  /** Once a second: the open second becomes `last` and joins the window. */
  tick(): void {
    this.last = figuresOf(this.second);
    this.current.add(this.second);
    this.second.reset();
    if (++this.ticks >= WINDOW_TICKS) {
      const old = this.previous;
      this.previous = this.current;
      this.current = old;
      this.current.reset();
      this.ticks = 0;
    }
  }

  /** Quantiles (µs, NaN when nothing was recorded) over the window, in QUANTILES order. */
  windowQuantiles(): number[] {
    const h = this.windowHistogram();
    return QUANTILES.map((q) => (h.totalCount === 0 ? NaN : h.getValueAtPercentile(q * 100)));
  }

  windowFigures(): LatencyFigures {
    return figuresOf(this.windowHistogram());
  }

  private windowHistogram(): hdr.Histogram {
    const h = this.merged;
    h.reset();
    h.add(this.previous);
    h.add(this.current);
    h.add(this.second);
    return h;
  }
}

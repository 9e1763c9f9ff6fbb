/**
 * Training data from a simulated session: each venue's events are applied to an L2Book and fed
 * to a FeatureState exactly as the engine does (initial snapshot, then level changes closed by
 * endUpdate; trades as they come), and each book is sampled at most once per `sampleEveryMs`.
 * Every sample keeps the mid's move over the next `horizonMs` for labelling.
 */
import { Side, type Micros, type PriceTicks, type Qty } from '../../../shared/units';
import { L2Book } from '../../market/l2-book';
import { SimVenue, type SimSink } from '../../venues/simulator';
import { FEATURE_COUNT, FeatureState } from '../features';

export interface SessionOptions {
  readonly minutes: number;
  readonly seed: number;
  readonly venues: readonly string[];
  /** per venue, over all its symbols (the simulator's meaning) */
  readonly updatesPerSecond: number;
  readonly horizonMs: number;
  readonly sampleEveryMs: number;
  /** defaults to every symbol the simulator quotes */
  readonly symbols?: readonly string[];
}

export interface Samples {
  readonly count: number;
  /** count × FEATURE_COUNT, raw */
  readonly features: Float32Array;
  /** session time of each sample, ms from the start */
  readonly tsMs: Float64Array;
  /** mid move over the horizon, bps */
  readonly futureBps: Float64Array;
  /** index into `books` */
  readonly book: Uint16Array;
  /** "venue/symbol" */
  readonly books: readonly string[];
  readonly updates: number;
  readonly trades: number;
  readonly durationMs: number;
}

/** One simulated book as the engine would hold it, with the samples still waiting for their label. */
class BookFeed {
  readonly book = new L2Book(512);
  readonly features = new FeatureState();
  private nextSampleMs = 0;
  private mid = NaN;
  /** pending samples: their index in the output and their time */
  private readonly pendingIdx: number[] = [];
  private readonly pendingTs: number[] = [];
  private pendingHead = 0;

  constructor(readonly id: number, private readonly out: SampleBuilder, private readonly opts: SessionOptions) {}

  endUpdate(tsMs: number, row: Float32Array): void {
    // A sample at t is labelled with the mid as of t + horizon: the mid before the first update after it.
    const horizon = this.opts.horizonMs;
    while (this.pendingHead < this.pendingIdx.length && this.pendingTs[this.pendingHead] + horizon < tsMs) {
      this.out.label(this.pendingIdx[this.pendingHead], this.mid);
      this.pendingHead++;
    }
    if (this.pendingHead > 4096) {
      this.pendingIdx.splice(0, this.pendingHead);
      this.pendingTs.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    this.features.onBook(this.book, tsMs);
    const mid = this.book.mid();
    if (mid === mid && !this.book.isCrossed()) this.mid = mid;
    if (tsMs >= this.nextSampleMs && this.features.compute(row, tsMs)) {
      this.pendingIdx.push(this.out.add(row, tsMs, this.mid, this.id));
      this.pendingTs.push(tsMs);
      this.nextSampleMs = tsMs + this.opts.sampleEveryMs;
    }
  }
}

class SampleBuilder {
  private features = new Float32Array(FEATURE_COUNT * 4096);
  private ts = new Float64Array(4096);
  private midAt = new Float64Array(4096);
  private future = new Float64Array(4096);
  private books = new Uint16Array(4096);
  private labelled = new Uint8Array(4096);
  count = 0;

  add(row: Float32Array, tsMs: number, mid: number, book: number): number {
    if (this.count === this.ts.length) this.grow();
    const i = this.count++;
    this.features.set(row, i * FEATURE_COUNT);
    this.ts[i] = tsMs;
    this.midAt[i] = mid;
    this.books[i] = book;
    return i;
  }

  label(i: number, futureMid: number): void {
    this.future[i] = (futureMid / this.midAt[i] - 1) * 10_000;
    this.labelled[i] = 1;
  }

  /** Only the labelled samples (the last horizon of each book has no future yet). */
  build(): Pick<Samples, 'count' | 'features' | 'tsMs' | 'futureBps' | 'book'> {
    let n = 0;
    for (let i = 0; i < this.count; i++) n += this.labelled[i];
    const features = new Float32Array(n * FEATURE_COUNT);
    const tsMs = new Float64Array(n);
    const futureBps = new Float64Array(n);
    const book = new Uint16Array(n);
    let k = 0;
    for (let i = 0; i < this.count; i++) {
      if (!this.labelled[i]) continue;
      features.set(this.features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT), k * FEATURE_COUNT);
      tsMs[k] = this.ts[i];
      futureBps[k] = this.future[i];
      book[k] = this.books[i];
      k++;
    }
    return { count: n, features, tsMs, futureBps, book };
  }

  private grow(): void {
    const cap = this.ts.length * 2;
    const f = new Float32Array(cap * FEATURE_COUNT);
    f.set(this.features);
    this.features = f;
    this.ts = extend(this.ts, cap);
    this.midAt = extend(this.midAt, cap);
    this.future = extend(this.future, cap);
    const b = new Uint16Array(cap);
    b.set(this.books);
    this.books = b;
    const l = new Uint8Array(cap);
    l.set(this.labelled);
    this.labelled = l;
  }
}

function extend(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(cap);
  next.set(a);
  return next;
}

/** Simulated time advanced per step; any step gives the same events (SimVenue is step-invariant). */
const STEP_MICROS = 1_000_000;

export function simulateSession(opts: SessionOptions): Samples {
  if (!(opts.minutes > 0)) throw new RangeError(`minutes must be > 0, got ${opts.minutes}`);
  const out = new SampleBuilder();
  const names: string[] = [];
  const row = new Float32Array(FEATURE_COUNT);
  const endMicros = Math.round(opts.minutes * 60e6);
  let updates = 0;
  let trades = 0;
  for (const venue of opts.venues) {
    const sim = new SimVenue({
      venue,
      seed: opts.seed,
      symbols: opts.symbols ? [...opts.symbols] : undefined,
      updatesPerSecond: opts.updatesPerSecond,
      epochMicros: 0,
    });
    const feeds = sim.instruments.map((inst) => {
      names.push(`${venue}/${inst.symbol}`);
      return new BookFeed(names.length - 1, out, opts);
    });
    feeds.forEach((feed, i) => {
      const snap = sim.snapshot(i);
      for (const [p, q] of snap.bids) feed.book.apply(Side.Bid, p, q);
      for (const [p, q] of snap.asks) feed.book.apply(Side.Ask, p, q);
      feed.endUpdate(0, row);
    });
    const sink: SimSink = {
      level: (s: number, side: Side, price: PriceTicks, q: Qty) => feeds[s].book.apply(side, price, q),
      endUpdate: (s: number, ts: Micros) => {
        updates++;
        feeds[s].endUpdate(ts / 1000, row);
      },
      trade: (s: number, aggressor: 0 | 1, price: PriceTicks, q: Qty, ts: Micros) => {
        trades++;
        feeds[s].features.onTrade(price, q, aggressor, ts / 1000);
      },
    };
    for (let t = STEP_MICROS; t < endMicros + STEP_MICROS; t += STEP_MICROS) sim.advanceTo(Math.min(t, endMicros), sink);
  }
  return { ...out.build(), books: names, updates, trades, durationMs: endMicros / 1000 };
}

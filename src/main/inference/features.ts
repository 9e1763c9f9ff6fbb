/**
 * The signal model's features: one definition, used by training (fed from the simulator) and
 * by the engine (fed from its books), so the two can never drift apart. The exported model
 * carries FEATURE_NAMES in its metadata and the engine refuses a model whose list differs.
 *
 * Time is bucketed on a fixed grid (BUCKET_MS) in ring buffers sized for the longest window,
 * so memory and work per update are bounded whatever the update rate, and nothing is
 * allocated after construction.
 */
import { Side } from '../../shared/units';
import type { L2Book } from '../market/l2-book';

export const FEATURE_NAMES: readonly string[] = Object.freeze([
  /** (bid − ask) / (bid + ask) volume over the best 1, 5 and 10 levels of each side */
  'imbalance_l1',
  'imbalance_l5',
  'imbalance_l10',
  'spread_ticks',
  /** size-weighted mid (ask·bidQty + bid·askQty) / (bidQty + askQty) minus the mid */
  'microprice_minus_mid_ticks',
  /** mid now against the mid 1 s (5 s, 30 s) ago, up to one bucket more */
  'return_1s_bps',
  'return_5s_bps',
  'return_30s_bps',
  /** √Σ r² of the per-bucket mid returns over the last 30 s */
  'volatility_30s_bps',
  /** (buy − sell) / (buy + sell) aggressor volume, 0 when there were no trades */
  'trade_imbalance_5s',
  'trade_imbalance_30s',
  'updates_per_s_5s',
]);

export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * How each feature changes when the market is mirrored (bids and asks swapped, prices
 * reflected, buyers and sellers swapped): −1 flips sign, +1 stays. Training adds every sample's
 * mirror image with up and down swapped, so the model cannot learn the drift of its training
 * period as if it were a signal.
 */
export const FEATURE_MIRROR: readonly number[] = Object.freeze([-1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, 1]);

export const BUCKET_MS = 100;
const SHORT_BUCKETS = 1_000 / BUCKET_MS;
const MID_BUCKETS = 5_000 / BUCKET_MS;
const LONG_BUCKETS = 30_000 / BUCKET_MS;
/** Power of two above the longest look-back (LONG_BUCKETS + 1 closed buckets) plus the open one. */
const RING = 512;
const MASK = RING - 1;
/** Buckets of history before compute() answers: the 30 s return needs the close LONG_BUCKETS + 1 buckets back. */
export const WARMUP_BUCKETS = LONG_BUCKETS + 1;
export const WARMUP_MS = WARMUP_BUCKETS * BUCKET_MS;

/**
 * Feature state for one book. Call onBook after each applied update (snapshots included),
 * onTrade for each trade, and compute whenever a feature vector is wanted. Times are ms on
 * one clock per book (exchange or engine time); a time earlier than the last one seen counts
 * as the last one.
 */
export class FeatureState {
  /** Mid at the close of each bucket (the last mid seen before the bucket ended), in ticks. */
  private readonly closeMid = new Float64Array(RING);
  /** Squared mid return of each closed bucket against the previous one, bps². */
  private readonly sqReturn = new Float64Array(RING);
  private readonly buyLots = new Float64Array(RING);
  private readonly sellLots = new Float64Array(RING);
  private readonly updates = new Float64Array(RING);
  private buy5 = 0;
  private sell5 = 0;
  private buy30 = 0;
  private sell30 = 0;
  private updates5 = 0;
  /** Index of the open bucket; -1 before the first event. */
  private bucket = -1;
  private firstBucket = -1;
  private mid = NaN;
  private book: L2Book | null = null;

  /** Forget everything, e.g. after the book was replaced by a snapshot following a gap. */
  reset(): void {
    this.closeMid.fill(0);
    this.sqReturn.fill(0);
    this.buyLots.fill(0);
    this.sellLots.fill(0);
    this.updates.fill(0);
    this.buy5 = this.sell5 = this.buy30 = this.sell30 = this.updates5 = 0;
    this.bucket = this.firstBucket = -1;
    this.mid = NaN;
    this.book = null;
  }

  onBook(book: L2Book, tsMs: number): void {
    this.advance(tsMs);
    this.book = book;
    const bid = book.bestPrice(Side.Bid);
    const ask = book.bestPrice(Side.Ask);
    if (bid < ask) this.mid = (bid + ask) / 2;
    this.updates[this.bucket & MASK]++;
    this.updates5++;
  }

  /** aggressor: 0 buy (lifted the ask), 1 sell (hit the bid). */
  onTrade(_priceTicks: number, lots: number, aggressor: 0 | 1, tsMs: number): void {
    this.advance(tsMs);
    if (aggressor === 0) {
      this.buyLots[this.bucket & MASK] += lots;
      this.buy5 += lots;
      this.buy30 += lots;
    } else {
      this.sellLots[this.bucket & MASK] += lots;
      this.sell5 += lots;
      this.sell30 += lots;
    }
  }

  /** Whether there is enough history (and a two-sided book) for a feature vector at tsMs. */
  ready(tsMs: number): boolean {
    this.advance(tsMs);
    const book = this.book;
    return (
      book !== null &&
      this.bucket - this.firstBucket >= WARMUP_BUCKETS &&
      this.mid === this.mid &&
      book.depth(Side.Bid) > 0 &&
      book.depth(Side.Ask) > 0 &&
      !book.isCrossed()
    );
  }

  /** Writes FEATURE_COUNT values into out (in FEATURE_NAMES order); false, leaving out alone, while not ready. */
  compute(out: Float32Array, tsMs: number): boolean {
    if (!this.ready(tsMs)) return false;
    const book = this.book!;
    const bidP = book.bestPrice(Side.Bid);
    const askP = book.bestPrice(Side.Ask);
    const bidQ = book.bestQty(Side.Bid);
    const askQ = book.bestQty(Side.Ask);
    const mid = (bidP + askP) / 2;
    const b = this.bucket;
    const mid1 = this.closeMid[(b - SHORT_BUCKETS - 1) & MASK];
    const mid5 = this.closeMid[(b - MID_BUCKETS - 1) & MASK];
    const mid30 = this.closeMid[(b - LONG_BUCKETS - 1) & MASK];
    // NaN: the book was not two-sided back then
    if (!(mid1 === mid1 && mid5 === mid5 && mid30 === mid30)) return false;
    // Results go straight into `out`: a helper returning a fractional double would box it on the heap.
    writeImbalance(out, 0, book, 1);
    writeImbalance(out, 1, book, 5);
    writeImbalance(out, 2, book, 10);
    out[3] = askP - bidP;
    out[4] = (askP * bidQ + bidP * askQ) / (bidQ + askQ) - mid;
    out[5] = (mid / mid1 - 1) * 10_000;
    out[6] = (mid / mid5 - 1) * 10_000;
    out[7] = (mid / mid30 - 1) * 10_000;
    let sq = 0;
    for (let j = b - LONG_BUCKETS; j < b; j++) sq += this.sqReturn[j & MASK];
    out[8] = Math.sqrt(sq);
    writeRatio(out, 9, this.buy5, this.sell5);
    writeRatio(out, 10, this.buy30, this.sell30);
    out[11] = this.updates5 / ((MID_BUCKETS * BUCKET_MS) / 1_000);
    return true;
  }

  /** Moves the open bucket to the one holding tsMs, closing the buckets in between with the current mid. */
  private advance(tsMs: number): void {
    const target = Math.floor(tsMs / BUCKET_MS);
    if (this.bucket < 0) {
      this.bucket = this.firstBucket = target;
      return;
    }
    if (target <= this.bucket) return;
    let b = this.bucket;
    if (target - b > RING) {
      // silent for longer than the ring: every window now holds only flat, empty buckets
      this.closeMid.fill(this.mid);
      this.sqReturn.fill(0);
      this.buyLots.fill(0);
      this.sellLots.fill(0);
      this.updates.fill(0);
      this.buy5 = this.sell5 = this.buy30 = this.sell30 = this.updates5 = 0;
      this.bucket = target;
      return;
    }
    while (b < target) {
      this.close(b);
      b++;
      this.open(b);
    }
    this.bucket = target;
  }

  private close(b: number): void {
    const i = b & MASK;
    const mid = this.mid;
    this.closeMid[i] = mid;
    // the first bucket has no earlier close to compare with; NaN mids (no two-sided book yet) count as no move
    const prev = b > this.firstBucket ? this.closeMid[(b - 1) & MASK] : mid;
    const r = (mid / prev - 1) * 10_000;
    this.sqReturn[i] = r === r ? r * r : 0;
  }

  private open(b: number): void {
    const i = b & MASK;
    const old5 = (b - MID_BUCKETS) & MASK;
    const old30 = (b - LONG_BUCKETS) & MASK;
    this.buy5 -= this.buyLots[old5];
    this.sell5 -= this.sellLots[old5];
    this.updates5 -= this.updates[old5];
    this.buy30 -= this.buyLots[old30];
    this.sell30 -= this.sellLots[old30];
    this.buyLots[i] = 0;
    this.sellLots[i] = 0;
    this.updates[i] = 0;
  }
}

/** (bid − ask) / (bid + ask) volume over the best `levels` of each side, 0 for an empty book. */
function writeImbalance(out: Float32Array, at: number, book: L2Book, levels: number): void {
  let bid = 0;
  let ask = 0;
  for (let r = 0; r < levels; r++) {
    bid += book.qtyAt(Side.Bid, r);
    ask += book.qtyAt(Side.Ask, r);
  }
  out[at] = bid + ask > 0 ? (bid - ask) / (bid + ask) : 0;
}

function writeRatio(out: Float32Array, at: number, buy: number, sell: number): void {
  out[at] = buy + sell > 0 ? (buy - sell) / (buy + sell) : 0;
}

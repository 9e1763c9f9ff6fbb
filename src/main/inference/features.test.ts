import { PerformanceObserver, performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Side, qty, ticks } from '../../shared/units';
import { L2Book } from '../market/l2-book';
import { BUCKET_MS, FEATURE_COUNT, FEATURE_MIRROR, FEATURE_NAMES, FeatureState, WARMUP_MS } from './features';

const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<string, number>;

/** bids 100×30, 99..96 ×10, 95..91 ×5; asks 101..105 ×10, 106..110 ×20 */
function handBook(): L2Book {
  const book = new L2Book(16);
  book.apply(Side.Bid, ticks(100), qty(30));
  for (let p = 99; p >= 96; p--) book.apply(Side.Bid, ticks(p), qty(10));
  for (let p = 95; p >= 91; p--) book.apply(Side.Bid, ticks(p), qty(5));
  for (let p = 101; p <= 105; p++) book.apply(Side.Ask, ticks(p), qty(10));
  for (let p = 106; p <= 110; p++) book.apply(Side.Ask, ticks(p), qty(20));
  return book;
}

/** onBook every `stepMs` over [fromMs, toMs] */
function feed(state: FeatureState, book: L2Book, fromMs: number, toMs: number, stepMs = 50): void {
  for (let t = fromMs; t <= toMs; t += stepMs) state.onBook(book, t);
}

describe('FeatureState', () => {
  it('names its features once, with a mirror sign for each', () => {
    expect(FEATURE_COUNT).toBe(12);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    expect(FEATURE_MIRROR.length).toBe(FEATURE_COUNT);
    expect(FEATURE_MIRROR.every((s) => s === 1 || s === -1)).toBe(true);
  });

  it('is not ready before 30 s of history, then is', () => {
    const book = handBook();
    const s = new FeatureState();
    const out = new Float32Array(FEATURE_COUNT).fill(-7);
    feed(s, book, 0, WARMUP_MS - BUCKET_MS);
    expect(s.compute(out, WARMUP_MS - 1)).toBe(false);
    expect(out.every((v) => v === -7)).toBe(true);
    expect(s.compute(out, WARMUP_MS)).toBe(true);
  });

  it('computes the book features of a hand-built book exactly', () => {
    const book = handBook();
    const s = new FeatureState();
    feed(s, book, 0, 31_000);
    const out = new Float32Array(FEATURE_COUNT);
    expect(s.compute(out, 31_000)).toBe(true);
    expect(out[F.imbalance_l1]).toBe(0.5); // (30 − 10) / 40
    expect(out[F.imbalance_l5]).toBe(Math.fround(20 / 120)); // bids 30+4×10, asks 5×10
    expect(out[F.imbalance_l10]).toBe(Math.fround((95 - 150) / 245)); // bids 70+25, asks 50+100
    expect(out[F.spread_ticks]).toBe(1);
    expect(out[F.microprice_minus_mid_ticks]).toBe(0.25); // (101×30 + 100×10)/40 − 100.5
    expect(out[F.return_1s_bps]).toBe(0);
    expect(out[F.volatility_30s_bps]).toBe(0);
    expect(out[F.trade_imbalance_5s]).toBe(0);
  });

  it('measures mid returns, realised volatility, trade flow and update rate over their windows', () => {
    const book = handBook();
    const s = new FeatureState();
    const out = new Float32Array(FEATURE_COUNT);
    feed(s, book, 0, 28_950);
    s.onTrade(101, 7, 0, 29_000);
    feed(s, book, 29_000, 29_450);
    s.onTrade(100, 3, 1, 29_500);
    feed(s, book, 29_500, 29_950);
    book.apply(Side.Ask, ticks(101), qty(0)); // best ask 102: mid 100.5 → 101
    feed(s, book, 30_000, 31_500);
    expect(s.compute(out, 31_500)).toBe(true);
    const move = (101 / 100.5 - 1) * 10_000;
    expect(out[F.return_1s_bps]).toBe(0); // the mid moved 1.5 s ago
    expect(out[F.return_5s_bps]).toBe(Math.fround(move));
    expect(out[F.return_30s_bps]).toBe(Math.fround(move));
    expect(out[F.volatility_30s_bps]).toBe(Math.fround(Math.sqrt(move * move)));
    expect(out[F.spread_ticks]).toBe(2);
    expect(out[F.trade_imbalance_5s]).toBe(Math.fround(0.4)); // (7 − 3) / 10
    expect(out[F.trade_imbalance_30s]).toBe(Math.fround(0.4));
    // 49 full buckets of 2 updates and the open one holding 1, over 5 s
    expect(out[F.updates_per_s_5s]).toBe(Math.fround(99 / 5));

    feed(s, book, 31_550, 34_100);
    expect(s.compute(out, 34_100)).toBe(true);
    expect(out[F.trade_imbalance_5s]).toBe(-1); // the buy at 29.0 s left the 5 s window, the sell at 29.5 s has not
    expect(out[F.trade_imbalance_30s]).toBe(Math.fround(0.4));
    expect(out[F.return_1s_bps]).toBe(0);
    expect(out[F.return_30s_bps]).toBe(Math.fround(move));
  });

  it('answers false for a one-sided or crossed book, and after reset', () => {
    const book = handBook();
    const s = new FeatureState();
    const out = new Float32Array(FEATURE_COUNT);
    feed(s, book, 0, 31_000);
    expect(s.compute(out, 31_000)).toBe(true);
    book.apply(Side.Bid, ticks(101), qty(5)); // crossed
    s.onBook(book, 31_050);
    expect(s.compute(out, 31_050)).toBe(false);
    book.apply(Side.Bid, ticks(101), qty(0));
    for (let p = 101; p <= 110; p++) book.apply(Side.Ask, ticks(p), qty(0)); // no asks
    s.onBook(book, 31_100);
    expect(s.compute(out, 31_100)).toBe(false);
    s.reset();
    expect(s.compute(out, 31_200)).toBe(false);
  });

  it('treats a silence longer than its ring as flat and quiet', () => {
    const book = handBook();
    const s = new FeatureState();
    const out = new Float32Array(FEATURE_COUNT);
    feed(s, book, 0, 31_000);
    s.onTrade(101, 5, 0, 31_000);
    expect(s.compute(out, 3_600_000)).toBe(true);
    expect(out[F.return_30s_bps]).toBe(0);
    expect(out[F.trade_imbalance_30s]).toBe(0);
    expect(out[F.updates_per_s_5s]).toBe(0);
  });

  it('allocates nothing per update or compute (no garbage collection over two million calls)', async () => {
    const book = handBook();
    const s = new FeatureState();
    const out = new Float32Array(FEATURE_COUNT);
    let t = 0;
    const run = (n: number): number => {
      let ready = 0;
      for (let i = 0; i < n; i++) {
        t += 7;
        // moves the touch back and forth so the mid, returns and volatility all change
        book.apply(Side.Ask, ticks(101), qty(i & 1 ? 0 : 10));
        s.onBook(book, t);
        if ((i & 3) === 0) s.onTrade(101, 1 + (i & 7), (i & 8) === 0 ? 0 : 1, t);
        if (s.compute(out, t)) ready++;
      }
      return ready;
    };
    run(200_000); // warm-up: let the optimising compiler settle

    const gcs: number[] = [];
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcs.push(e.startTime);
    });
    obs.observe({ entryTypes: ['gc'] });
    const t0 = performance.now();
    const ready = run(2_000_000);
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, 50));
    obs.disconnect();
    expect(ready).toBeGreaterThan(1_900_000);
    // One 16-byte allocation per call would be 32 MB here, two or more young-generation collections
    // even at V8's largest semi-space; one is tolerated for the optimiser's own churn (a deopt and
    // re-optimisation runs a while in the interpreter, which boxes doubles).
    expect(gcs.filter((at) => at >= t0 && at <= t1).length).toBeLessThanOrEqual(1);
  });
});

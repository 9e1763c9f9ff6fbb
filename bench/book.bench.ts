/**
 * L2Book benchmark: level updates/s on one thread over a feed-shaped mix (bench/book-mix.ts),
 * against two naive books on the same mix, plus the cost of top(side, 20).
 * Every book reads the best bid and ask every READ_EVERY updates, as a consumer of each message would.
 * Run: node --import tsx bench/book.bench.ts   (about 10 s)
 */
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { L2Book } from '../src/main/market/l2-book';
import { Side, type PriceTicks, type Qty } from '../src/shared/units';
import { makeBookMix, type BookMix, type Updates } from './book-mix';

const LEVELS_PER_SIDE = 500;
const UPDATES = 1_000_000;
/** The Map baseline sorts on every read, so it only runs this prefix of the mix. */
const MAP_UPDATES = 50_000;
const READ_EVERY = 16;
const WARMUP_RUNS = 2;
const RUNS = 5;

interface Level {
  price: number;
  qty: number;
}

/** Naive baseline 1: a Map per side; the best is found by sorting the keys on each read. */
class MapBook {
  readonly sides = [new Map<number, number>(), new Map<number, number>()];
  apply(side: number, price: number, qty: number): void {
    if (qty === 0) this.sides[side].delete(price);
    else this.sides[side].set(price, qty);
  }
  best(side: number): Level | undefined {
    const dir = side === Side.Bid ? -1 : 1;
    const price = [...this.sides[side].keys()].sort((a, b) => dir * (a - b))[0];
    return price === undefined ? undefined : { price, qty: this.sides[side].get(price)! };
  }
}

/** Naive baseline 2: a best-first array of level objects, binary search, splice. */
class SpliceBook {
  readonly sides: Level[][] = [[], []];
  apply(side: number, price: number, qty: number): void {
    const levels = this.sides[side];
    const dir = side === Side.Bid ? -1 : 1;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (dir * (levels[m].price - price) < 0) lo = m + 1;
      else hi = m;
    }
    const hit = lo < levels.length && levels[lo].price === price;
    if (qty === 0) {
      if (hit) levels.splice(lo, 1);
    } else if (hit) levels[lo].qty = qty;
    else levels.splice(lo, 0, { price, qty });
  }
  best(side: number): Level | undefined {
    return this.sides[side][0];
  }
}

// One loop per book type, so each call site stays monomorphic.
function runL2(book: L2Book, u: Updates, n: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    book.apply(u.side[i] as Side, u.price[i] as PriceTicks, u.qty[i] as Qty);
    if (i % READ_EVERY === 0) sink += book.bestPrice(Side.Bid) + book.bestQty(Side.Bid) + book.bestPrice(Side.Ask) + book.bestQty(Side.Ask);
  }
  return sink;
}

function runMap(book: MapBook, u: Updates, n: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    book.apply(u.side[i], u.price[i], u.qty[i]);
    if (i % READ_EVERY === 0) {
      const b = book.best(Side.Bid)!;
      const a = book.best(Side.Ask)!;
      sink += b.price + b.qty + a.price + a.qty;
    }
  }
  return sink;
}

function runSplice(book: SpliceBook, u: Updates, n: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    book.apply(u.side[i], u.price[i], u.qty[i]);
    if (i % READ_EVERY === 0) {
      const b = book.best(Side.Bid)!;
      const a = book.best(Side.Ask)!;
      sink += b.price + b.qty + a.price + a.qty;
    }
  }
  return sink;
}

interface Contender {
  updates: number;
  /** Builds and loads a fresh book (untimed), then times one pass over the first `updates` updates. */
  once: () => { ns: number; sink: number };
  rates: number[];
}

function contender<B extends { apply(side: number, price: number, qty: number): void }>(
  mix: BookMix,
  updates: number,
  make: () => B,
  run: (book: B, u: Updates, n: number) => number,
): Contender {
  const once = () => {
    const book = make();
    const s = mix.snapshot;
    for (let i = 0; i < s.length; i++) book.apply(s.side[i], s.price[i], s.qty[i]);
    const t0 = process.hrtime.bigint();
    const sink = run(book, mix.updates, updates);
    return { ns: Number(process.hrtime.bigint() - t0), sink };
  };
  return { updates, once, rates: [] };
}

/** Runs the contenders round-robin, so a burst of load on this machine hits all of them alike. */
function measure(contenders: Contender[]): void {
  for (let r = 0; r < WARMUP_RUNS + RUNS; r++) {
    for (const c of contenders) {
      const { ns } = c.once();
      if (r >= WARMUP_RUNS) c.rates.push(c.updates / (ns / 1e9));
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function topCost(book: L2Book): number {
  const prices = new Float64Array(20);
  const qtys = new Float64Array(20);
  const calls = 1_000_000;
  let sink = 0;
  const rates: number[] = [];
  for (let r = 0; r < WARMUP_RUNS + RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink += book.top((i & 1) as Side, 20, prices, qtys) + prices[19];
    if (r >= WARMUP_RUNS) rates.push(Number(process.hrtime.bigint() - t0) / calls);
  }
  if (sink === 0) throw new Error('top() copied nothing');
  return rates.sort((a, b) => a - b)[rates.length >> 1];
}

const fmt = (rate: number) => `${(rate / 1e6).toFixed(2)} M updates/s`;

export async function main(): Promise<void> {
  const t0 = performance.now();
  const mix = makeBookMix({ updates: UPDATES, levelsPerSide: LEVELS_PER_SIDE, seed: 20240601 });
  const s = mix.stats;
  const pct = (n: number) => `${((100 * n) / mix.updates.length).toFixed(1)}%`;
  console.log(
    `book mix: ${mix.updates.length} updates on ${LEVELS_PER_SIDE} levels/side (generated in ${(performance.now() - t0).toFixed(0)} ms): ` +
      `modify ${pct(s.modifies)}, insert ${pct(s.inserts)}, delete ${pct(s.deletes)}, touch moves ${pct(s.touchMoves)}; ` +
      `rank < 10: ${pct(s.withinTop10)}, rank < 20: ${pct(s.withinTop20)}, deep ${pct(s.deep)}; best bid/ask read every ${READ_EVERY} updates`,
  );

  const l2 = contender(mix, UPDATES, () => new L2Book(), runL2);
  const splice = contender(mix, UPDATES, () => new SpliceBook(), runSplice);
  const map = contender(mix, MAP_UPDATES, () => new MapBook(), runMap);

  // The books must agree (same best bid/ask at every read) before any figure means anything.
  const l2OnMapPrefix = contender(mix, MAP_UPDATES, () => new L2Book(), runL2).once().sink;
  const l2Sink = l2.once().sink;
  if (l2Sink !== splice.once().sink || l2OnMapPrefix !== map.once().sink) throw new Error('the books disagree on the mix');

  measure([l2, splice, map]);
  const [rL2, rSplice, rMap] = [l2, splice, map].map((c) => median(c.rates));
  const runs = `median of ${RUNS}, round-robin after ${WARMUP_RUNS} warm-up rounds`;
  console.log(`L2Book:                   ${fmt(rL2)} (${(1e9 / rL2).toFixed(0)} ns/update; ${runs})`);
  console.log(`sorted objects + splice:  ${fmt(rSplice)}; L2Book is ${(rL2 / rSplice).toFixed(1)}x`);
  console.log(`Map + sort on read:       ${fmt(rMap)} (first ${MAP_UPDATES} updates only); L2Book is ${(rL2 / rMap).toFixed(0)}x`);

  const book = new L2Book();
  for (const u of [mix.snapshot, mix.updates]) runL2(book, u, u.length);
  const ns = topCost(book);
  console.log(`L2Book.top(side, 20) on ${book.depth(Side.Bid)}/${book.depth(Side.Ask)} levels: ${ns.toFixed(1)} ns/call (median of ${RUNS})`);
  const load = loadavg()[0].toFixed(1);
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s; 1-min load average ${load} on ${availableParallelism()} CPUs (wall-clock figures drop under load)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

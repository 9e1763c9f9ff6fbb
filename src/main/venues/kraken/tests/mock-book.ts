// The mock venue's reference book for one pair, and what one subscriber of depth D has been sent.
// Book rules from https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2: Kraken sends
// the levels that change within the subscribed depth (qty 0 = removed, and a level coming into
// scope is sent as new), never a removal for a level pushed out of scope by an insert; the
// checksum covers the top 10 of the whole book. The checksum here follows the documented string
// recipe (fixed decimals, '.' and leading zeros removed, zlib CRC32), independent of checksum.ts.
import { crc32 } from 'node:zlib';
import { unitsToDecimal } from '../../../../shared/instruments';

export interface MockPair {
  wsSymbol: string;
  pricePrecision: number;
  qtyPrecision: number;
  /** price units per tick */
  tickUnits: number;
  /** starting mid, in price units */
  mid: number;
}

export type Level = [price: number, qty: number];
export interface Trade { side: 'buy' | 'sell'; price: number; qty: number }

/** Deterministic PRNG (mulberry32), so a failing run can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class MockBook {
  /** side 0 bids, 1 asks: price units → qty units */
  readonly sides: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];

  constructor(readonly pair: MockPair, private readonly random: () => number, readonly levels = 40) {
    const t = pair.tickUnits;
    for (let i = 0; i < levels; i++) {
      this.sides[0].set(pair.mid - t * (1 + i * 2), this.size());
      this.sides[1].set(pair.mid + t * (1 + i * 2), this.size());
    }
  }

  price(units: number): string {
    return unitsToDecimal(units, this.pair.pricePrecision);
  }

  qty(units: number): string {
    return unitsToDecimal(units, this.pair.qtyPrecision);
  }

  /** Best first. */
  sorted(side: 0 | 1, n = Infinity): Level[] {
    const all = [...this.sides[side]].sort((a, b) => (side === 0 ? b[0] - a[0] : a[0] - b[0]));
    return n < all.length ? all.slice(0, n) : all;
  }

  best(side: 0 | 1): number {
    return this.sorted(side, 1)[0]![0];
  }

  checksum(): number {
    const field = (s: string) => s.replace('.', '').replace(/^0+/, '');
    let text = '';
    for (const side of [1, 0] as const) for (const [p, q] of this.sorted(side, 10)) text += field(this.price(p)) + field(this.qty(q));
    return crc32(text) >>> 0;
  }

  set(side: 0 | 1, price: number, qty: number): void {
    if (qty === 0) this.sides[side].delete(price);
    else this.sides[side].set(price, qty);
  }

  /** One random book event, clustered at the touch; a trade is returned when it was one. */
  mutate(): Trade | null {
    const r = this.random();
    const side = (this.random() < 0.5 ? 0 : 1) as 0 | 1;
    const levels = this.sorted(side);
    const rank = Math.min(levels.length - 1, Math.floor(-Math.log(1 - this.random()) * 6));
    const t = this.pair.tickUnits;
    let trade: Trade | null = null;
    if (r < 0.45) {
      this.set(side, levels[rank]![0], this.size());
    } else if (r < 0.65) {
      const dir = side === 0 ? -1 : 1;
      const price = levels[0]![0] + dir * t * (Math.floor(this.random() * 30) - 2);
      const other = this.best((1 - side) as 0 | 1);
      if ((side === 0 ? price < other : price > other) && price > 0) this.set(side, price, this.size());
    } else if (r < 0.85) {
      if (levels.length > 5) this.set(side, levels[rank]![0], 0);
    } else {
      const [price, qty] = levels[0]!;
      const filled = Math.min(qty, Math.max(1, Math.floor(qty * this.random() * 1.3)));
      this.set(side, price, qty - filled);
      trade = { side: side === 0 ? 'sell' : 'buy', price, qty: filled };
    }
    // Refill from the far end, out of every subscriber's scope, so depth stays near `levels`.
    for (const s of [0, 1] as const) {
      while (this.sides[s].size < this.levels - 5) {
        const worst = this.sorted(s).at(-1)![0];
        this.set(s, worst + (s === 0 ? -t : t) * (1 + Math.floor(this.random() * 3)), this.size());
      }
    }
    return trade;
  }

  size(): number {
    const scale = 10 ** this.pair.qtyPrecision;
    return Math.max(1, Math.round(this.random() ** 3 * 5 * scale));
  }
}

/** What a subscriber of depth D holds: the top D of the book as last sent. */
export class BookView {
  readonly sides: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  /** false until the subscription's snapshot is sent: nothing is published to it before */
  ready = false;

  constructor(readonly depth: number) {}

  /** Replaces the view with the book's top D; returns it as [bids, asks]. */
  snapshot(book: MockBook): [Level[], Level[]] {
    const out = [book.sorted(0, this.depth), book.sorted(1, this.depth)] as [Level[], Level[]];
    for (const s of [0, 1] as const) this.sides[s] = new Map(out[s]);
    this.ready = true;
    return out;
  }

  /** What Kraken sends this subscriber for the book as it is now; the view follows. */
  diff(book: MockBook): [Level[], Level[]] {
    const out: [Level[], Level[]] = [[], []];
    for (const s of [0, 1] as const) {
      const top = book.sorted(s, this.depth);
      const view = this.sides[s];
      const inTop = new Set(top.map(([p]) => p));
      for (const [p] of view) if (!inTop.has(p) && !book.sides[s].has(p)) out[s].push([p, 0]);
      for (const [p, q] of top) if (view.get(p) !== q) out[s].push([p, q]);
      this.sides[s] = new Map(top);
    }
    return out;
  }

  /** Engine-comparable form: decimal strings, best first. */
  formatted(book: MockBook): { bids: [string, string][]; asks: [string, string][] } {
    const f = (s: 0 | 1) =>
      [...this.sides[s]].sort((a, b) => (s === 0 ? b[0] - a[0] : a[0] - b[0])).map(([p, q]) => [book.price(p), book.qty(q)] as [string, string]);
    return { bids: f(0), asks: f(1) };
  }
}

export const viewKey = (b: { bids: [string, string][]; asks: [string, string][] }): string =>
  `${b.bids.map((l) => l.join(':')).join(',')}|${b.asks.map((l) => l.join(':')).join(',')}`;

/** Book messages are written by hand: Kraken puts full-precision numbers on the wire (0.10000000). */
export function bookMessage(type: 'snapshot' | 'update', book: MockBook, [bids, asks]: [Level[], Level[]], checksum: number, timestamp: string): string {
  const levels = (ls: Level[]) => `[${ls.map(([p, q]) => `{"price":${book.price(p)},"qty":${book.qty(q)}}`).join(',')}]`;
  return `{"channel":"book","type":"${type}","data":[{"symbol":"${book.pair.wsSymbol}","bids":${levels(bids)},"asks":${levels(asks)},"checksum":${checksum},"timestamp":"${timestamp}"}]}`;
}

export function tradeMessage(book: MockBook, trade: Trade, tradeId: number, timestamp: string): string {
  const item = `{"symbol":"${book.pair.wsSymbol}","side":"${trade.side}","price":${book.price(trade.price)},"qty":${book.qty(trade.qty)},"ord_type":"market","trade_id":${tradeId},"timestamp":"${timestamp}"}`;
  return `{"channel":"trade","type":"update","data":[${item}]}`;
}

/** Strictly increasing RFC 3339 stamps with microseconds, as Kraken writes them. */
export function clock(): () => string {
  let micros = Date.now() * 1000;
  return () => {
    micros = Math.max(micros + 1, Date.now() * 1000);
    return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
  };
}

/**
 * The mock venue's reference book for one symbol, and the Binance.US-shaped diff depth and trade
 * events it makes as it moves: update ids advance by at least one per changed level (several
 * changes of one price within an event count once, as on Binance), numbers travel as 8-decimal
 * strings, quantity 0 removes.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md#diff-depth-stream
 */
import { formatPrice, formatQty, precisionOf, type Precision } from '../../../../shared/instruments';
import type { PriceTicks, Qty } from '../../../../shared/units';

export interface MockInstrument {
  venueSymbol: string;
  base: string;
  quote: string;
  /** as exchangeInfo gives them, 8 decimals */
  tickSize: string;
  stepSize: string;
  status?: string;
  /** starting mid, in ticks */
  mid: number;
}

export const MOCK_INSTRUMENTS: MockInstrument[] = [
  { venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: '0.01000000', stepSize: '0.00001000', mid: 6_701_234 },
  { venueSymbol: 'ETHUSD', base: 'ETH', quote: 'USD', tickSize: '0.01000000', stepSize: '0.00010000', mid: 345_678 },
  { venueSymbol: 'SOLUSD', base: 'SOL', quote: 'USD', tickSize: '0.01000000', stepSize: '0.00100000', mid: 15_012 },
  { venueSymbol: 'XRPUSD', base: 'XRP', quote: 'USD', tickSize: '0.00010000', stepSize: '0.10000000', mid: 5_000, status: 'BREAK' },
];

export type Pair = [string, string];

export interface DepthEvent {
  e: 'depthUpdate';
  E: number;
  s: string;
  U: number;
  u: number;
  b: Pair[];
  a: Pair[];
}

/** mulberry32: small, seeded, good enough for test traffic */
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

const pad8 = (s: string) => {
  const [i, f = ''] = s.split('.');
  return `${i}.${f.padEnd(8, '0')}`;
};

export class MockBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  readonly precision: Precision;
  updateId: number;
  private mid: number;
  private tradeId = 1_000_000;
  /** changes made by trades, sent with the next diff event */
  private pending = new Map<string, [0 | 1, number, number]>();

  constructor(readonly inst: MockInstrument, private readonly rand: () => number, private readonly maxLevels = 120, private readonly maxChanges = 6) {
    this.precision = precisionOf({ tickSize: inst.tickSize.replace(/0+$/, ''), lotSize: inst.stepSize.replace(/0+$/, '').replace(/\.$/, '') });
    this.mid = inst.mid;
    this.updateId = 1_000_000 + Math.floor(rand() * 1_000_000);
    for (let i = 0; i < 60; i++) {
      this.bids.set(this.mid - 1 - i - Math.floor(rand() * 3) * i, this.size());
      this.asks.set(this.mid + i + Math.floor(rand() * 3) * i, this.size());
    }
  }

  price(ticks: number): string {
    return pad8(formatPrice(ticks as PriceTicks, this.precision));
  }

  qty(lots: number): string {
    return pad8(formatQty(lots as Qty, this.precision));
  }

  /** One diff event: the book moves, and the event says how. */
  step(now = Date.now()): DepthEvent {
    const changes = this.pending;
    this.pending = new Map();
    const set = (side: 0 | 1, p: number, q: number) => {
      const m = side === 0 ? this.bids : this.asks;
      if (q === 0) m.delete(p);
      else m.set(p, q);
      changes.set(`${side}:${p}`, [side, p, q]);
    };
    if (this.rand() < 0.2) {
      this.mid += this.rand() < 0.5 ? -1 - Math.floor(this.rand() * 3) : 1 + Math.floor(this.rand() * 3);
      for (const p of [...this.bids.keys()]) if (p >= this.mid) set(0, p, 0);
      for (const p of [...this.asks.keys()]) if (p < this.mid) set(1, p, 0);
    }
    const n = 1 + Math.floor(this.rand() * this.maxChanges);
    for (let i = 0; i < n; i++) {
      const side: 0 | 1 = this.rand() < 0.5 ? 0 : 1;
      const far = this.rand() < 0.15 ? 20 + Math.floor(this.rand() * 150) : Math.floor(this.rand() * 12);
      const p = side === 0 ? this.mid - 1 - far : this.mid + far;
      const has = (side === 0 ? this.bids : this.asks).has(p);
      set(side, p, has && this.rand() < 0.35 ? 0 : this.size());
    }
    for (const [side, m] of [[0, this.bids], [1, this.asks]] as const) {
      while (m.size > this.maxLevels) {
        const keys = [...m.keys()];
        set(side, side === 0 ? Math.min(...keys) : Math.max(...keys), 0);
      }
    }
    const U = this.updateId + 1;
    this.updateId += changes.size + Math.floor(this.rand() * 3);
    if (this.updateId < U) this.updateId = U;
    const b: Pair[] = [];
    const a: Pair[] = [];
    for (const [side, p, q] of changes.values()) (side === 0 ? b : a).push([this.price(p), this.qty(q)]);
    return { e: 'depthUpdate', E: now, s: this.inst.venueSymbol, U, u: this.updateId, b, a };
  }

  /** A trade at the touch: it takes size off that level (the change goes out with the next diff event). */
  trade(now = Date.now()): Record<string, unknown> | null {
    const sell = this.rand() < 0.5;
    const m = sell ? this.bids : this.asks;
    if (m.size === 0) return null;
    const p = sell ? Math.max(...m.keys()) : Math.min(...m.keys());
    const have = m.get(p)!;
    const q = Math.max(1, Math.floor(have * this.rand() * 0.5));
    const left = have - q;
    if (left <= 0) m.delete(p);
    else m.set(p, left);
    this.pending.set(`${sell ? 0 : 1}:${p}`, [sell ? 0 : 1, p, Math.max(0, left)]);
    this.tradeId++;
    return { e: 'trade', E: now, s: this.inst.venueSymbol, t: this.tradeId, p: this.price(p), q: this.qty(q), b: 88_000 + this.tradeId, a: 50_000 + this.tradeId, T: now - 1, m: sell, M: true };
  }

  /** GET /api/v3/depth answer: best `limit` levels per side */
  snapshot(limit: number): { lastUpdateId: number; bids: Pair[]; asks: Pair[] } {
    const top = (m: Map<number, number>, desc: boolean) =>
      [...m.entries()].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).slice(0, limit).map(([p, q]): Pair => [this.price(p), this.qty(q)]);
    return { lastUpdateId: this.updateId, bids: top(this.bids, true), asks: top(this.asks, false) };
  }

  /** The whole book as the engine's REST API prints it (instrument precision), best first. */
  view(): { bids: Pair[]; asks: Pair[] } {
    const fmt = (m: Map<number, number>, desc: boolean) =>
      [...m.entries()].sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).map(([p, q]): Pair => [formatPrice(p as PriceTicks, this.precision), formatQty(q as Qty, this.precision)]);
    return { bids: fmt(this.bids, true), asks: fmt(this.asks, false) };
  }

  private size(): number {
    return 1 + Math.floor(this.rand() * this.rand() * 200_000);
  }
}

// Coinbase Advanced Trade level2 semantics: https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/websocket/level2
/**
 * The mock venue's reference book for one product, in integer ticks and lots, and a generator of
 * realistic changes: most land within the top levels, levels appear inside and beyond the touch,
 * and the book never crosses (as a real level2 stream never does). new_quantity is the level's
 * new size, "0" removes it.
 */
import { precisionOf, unitsToDecimal, type Precision } from '../../../../shared/instruments';

export interface MockProductSpec {
  id: string;
  tick: string;
  lot: string;
  /** starting mid price, in ticks */
  midTicks: number;
  /** typical level size, in lots */
  sizeLots: number;
}

export type Change = [side: 0 | 1, price: number, qty: number];

export const DEFAULT_PRODUCTS: MockProductSpec[] = [
  { id: 'BTC-USD', tick: '0.01', lot: '0.00000001', midTicks: 6_412_015, sizeLots: 20_000_000 },
  { id: 'ETH-USD', tick: '0.01', lot: '0.00000001', midTicks: 301_544, sizeLots: 300_000_000 },
  { id: 'SOL-USD', tick: '0.01', lot: '0.00000001', midTicks: 14_321, sizeLots: 2_000_000_000 },
];

/** A trimmed decimal, as Coinbase writes them ("64120.1", "0.005", "0"). */
function trimmed(units: number, decimals: number): string {
  const s = unitsToDecimal(units, decimals);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export class MockBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  readonly precision: Precision;

  constructor(readonly spec: MockProductSpec, private readonly rng: () => number, private readonly levels: number) {
    this.precision = precisionOf({ tickSize: spec.tick, lotSize: spec.lot });
    let bid = spec.midTicks - 1;
    let ask = spec.midTicks + 1;
    for (let i = 0; i < levels; i++) {
      this.bids.set(bid, this.size());
      this.asks.set(ask, this.size());
      bid -= 1 + Math.floor(rng() * 4);
      ask += 1 + Math.floor(rng() * 4);
    }
  }

  side(side: 0 | 1): Map<number, number> {
    return side === 0 ? this.bids : this.asks;
  }

  /** Best first. */
  sorted(side: 0 | 1): Array<[number, number]> {
    return [...this.side(side).entries()].sort((a, b) => (side === 0 ? b[0] - a[0] : a[0] - b[0]));
  }

  best(side: 0 | 1): number {
    let best = NaN;
    for (const p of this.side(side).keys()) if (best !== best || (side === 0 ? p > best : p < best)) best = p;
    return best;
  }

  snapshot(): Change[] {
    return [...this.sorted(0).map(([p, q]): Change => [0, p, q]), ...this.sorted(1).map(([p, q]): Change => [1, p, q])];
  }

  /** One venue update: 1–4 level changes, applied here and returned. */
  step(): Change[] {
    const out: Change[] = [];
    const n = 1 + Math.floor(this.rng() * 4);
    for (let i = 0; i < n; i++) out.push(this.change());
    return out;
  }

  formatPrice(ticks: number): string {
    return trimmed(ticks * this.precision.tickUnits, this.precision.priceDecimals);
  }

  formatQty(lots: number): string {
    return trimmed(lots * this.precision.lotUnits, this.precision.sizeDecimals);
  }

  private change(): Change {
    const side: 0 | 1 = this.rng() < 0.5 ? 0 : 1;
    const levels = this.side(side);
    const r = this.rng();
    if (levels.size > this.levels * 1.5 || (r < 0.3 && levels.size > this.levels / 2)) {
      return this.set(side, this.priceAt(side, Math.floor(this.rng() ** 2 * Math.min(levels.size, 20))), 0);
    }
    if (r < 0.7) return this.set(side, this.priceAt(side, Math.floor(this.rng() ** 2 * Math.min(levels.size, 15))), this.size());
    // A new level: up to one tick better than the touch (never through the other side) or a few behind it.
    const best = this.best(side);
    const other = this.best(side === 0 ? 1 : 0);
    const dir = side === 0 ? 1 : -1;
    let price = best + dir * (1 - Math.floor(this.rng() * 8));
    if (best !== best) price = this.spec.midTicks - dir;
    if (other === other && (side === 0 ? price >= other : price <= other)) price = best - dir;
    return this.set(side, Math.max(1, price), this.size());
  }

  private set(side: 0 | 1, price: number, qty: number): Change {
    if (qty === 0) this.side(side).delete(price);
    else this.side(side).set(price, qty);
    return [side, price, qty];
  }

  private priceAt(side: 0 | 1, rank: number): number {
    return this.sorted(side)[rank]![0];
  }

  private size(): number {
    const q = Math.max(1, Math.round(this.spec.sizeLots * this.rng() ** 2 * 4));
    return this.rng() < 0.3 ? Math.max(1, Math.round(q / 1_000_000) * 1_000_000) : q;
  }
}

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import type { TradeList } from '../../shared/frame-codec';

/** Trades of one book since the last frame, in arrays ready to encode. */
export class TradeBatch implements TradeList {
  count = 0;
  ts = new Float64Array(16);
  prices = new Float64Array(16);
  qtys = new Float64Array(16);
  ids = new Float64Array(16);
  aggressors = new Uint8Array(16);

  push(ts: number, price: number, qty: number, id: number, aggressor: 0 | 1): void {
    if (this.count === this.ts.length) this.grow();
    const i = this.count++;
    this.ts[i] = ts;
    this.prices[i] = price;
    this.qtys[i] = qty;
    this.ids[i] = id;
    this.aggressors[i] = aggressor;
  }

  private grow(): void {
    const n = this.ts.length * 2;
    const copy = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.ts = copy(this.ts, (k) => new Float64Array(k));
    this.prices = copy(this.prices, (k) => new Float64Array(k));
    this.qtys = copy(this.qtys, (k) => new Float64Array(k));
    this.ids = copy(this.ids, (k) => new Float64Array(k));
    this.aggressors = copy(this.aggressors, (k) => new Uint8Array(k));
  }
}

/**
 * The desk's open orders, in placement order, with what pre-trade risk weighs kept summed as they
 * change: per instrument the remaining lots of open buys and sells and the notional of priced
 * orders. A check then costs the same with 5 open orders or 5,000, and nothing walks the day's
 * finished orders. Orders without a price (market, stop) are few and short-lived: they are
 * valued at the current mark when asked.
 */
import { priceToNumber, qtyToNumber } from '../../shared/instruments';
import type { PriceTicks, Qty } from '../../shared/units';
import type { Order } from './order';

interface Sums {
  buyLots: number;
  sellLots: number;
  /** Σ remaining × limit price of the priced orders (quote units) */
  notional: number;
  count: number;
}

interface Part {
  sums: Sums;
  lots: number;
  notional: number;
}

const key = (venue: string, symbol: string) => `${venue}/${symbol}`;

export class OpenOrders implements Iterable<Order> {
  private readonly parts = new Map<Order, Part>();
  private readonly byInstrument = new Map<string, Sums>();
  private readonly unpriced = new Set<Order>();

  get size(): number {
    return this.parts.size;
  }

  [Symbol.iterator](): IterableIterator<Order> {
    return this.parts.keys();
  }

  /** After an order was created or changed: its share of the sums follows; once terminal it leaves. */
  update(o: Order): void {
    const old = this.parts.get(o);
    if (old) this.subtract(o, old);
    if (!o.isOpen) {
      this.parts.delete(o);
      this.unpriced.delete(o);
      return;
    }
    const k = key(o.req.venue, o.req.symbol);
    let sums = this.byInstrument.get(k);
    if (!sums) this.byInstrument.set(k, (sums = { buyLots: 0, sellLots: 0, notional: 0, count: 0 }));
    const lots = o.remainingLots;
    const notional = o.priceTicks === null ? 0 : qtyToNumber(lots as Qty, o.precision) * priceToNumber(o.priceTicks as PriceTicks, o.precision);
    if (o.req.side === 'buy') sums.buyLots += lots;
    else sums.sellLots += lots;
    sums.notional += notional;
    sums.count++;
    this.parts.set(o, { sums, lots, notional });
    if (o.priceTicks === null) this.unpriced.add(o);
  }

  /** Remaining lots of the open buys and sells on one instrument. */
  pending(venue: string, symbol: string): { buyLots: number; sellLots: number } {
    const s = this.byInstrument.get(key(venue, symbol));
    return { buyLots: s?.buyLots ?? 0, sellLots: s?.sellLots ?? 0 };
  }

  /** Σ remaining × price over every open order: limit price if it has one, else `mark` (NaN: left out). */
  workingNotional(mark: (venue: string, symbol: string) => number): number {
    let total = 0;
    for (const s of this.byInstrument.values()) total += s.notional;
    for (const o of this.unpriced) {
      const px = mark(o.req.venue, o.req.symbol);
      if (Number.isFinite(px)) total += qtyToNumber(o.remainingLots as Qty, o.precision) * priceToNumber(px as PriceTicks, o.precision);
    }
    return total;
  }

  private subtract(o: Order, part: Part): void {
    const s = part.sums;
    if (o.req.side === 'buy') s.buyLots -= part.lots;
    else s.sellLots -= part.lots;
    s.count--;
    // sums of floats drift; an instrument with no open order is exactly zero again
    s.notional = s.count === 0 ? 0 : s.notional - part.notional;
  }
}

/**
 * Working orders of one book by ladder row: buys on the bid side, sells on the ask side, keyed by
 * the row's price bucket (grouping). Rebuilt only when the orders or the view change, so the
 * ladder painter does two Map lookups per row. Plain TS, no DOM.
 */
import type { Precision } from '../../shared/instruments';
import type { OrderView } from '../../shared/trading';
import { bucketOf } from './grouping';
import { priceTextToTicks, qtyTextToLots } from './order-math';
import { isWorking } from './trading-store';

export interface WorkingLevel {
  /** remaining lots of our working orders in this bucket */
  lots: number;
  ids: string[];
}

export class WorkingIndex {
  readonly bids = new Map<number, WorkingLevel>();
  readonly asks = new Map<number, WorkingLevel>();
  /** bucket prices best first: bids descending, asks ascending */
  bidPrices: number[] = [];
  askPrices: number[] = [];
  /** bumps when the index changed */
  version = 0;
  private key = '';

  /** Rebuilds when `ordersVersion` or the view changed; returns whether it did. */
  update(orders: Iterable<OrderView>, ordersVersion: number, venue: string, symbol: string, p: Precision | null, grouping: number): boolean {
    const key = `${ordersVersion}|${venue}|${symbol}|${grouping}|${p ? `${p.priceDecimals},${p.tickUnits},${p.sizeDecimals},${p.lotUnits}` : '-'}`;
    if (key === this.key) return false;
    this.key = key;
    const hadAny = this.bids.size + this.asks.size > 0;
    this.bids.clear();
    this.asks.clear();
    if (p) {
      for (const o of orders) {
        if (o.venue !== venue || o.symbol !== symbol || !isWorking(o) || o.price === null) continue;
        const ticks = priceTextToTicks(o.price, p);
        const lots = qtyTextToLots(o.qty, p, 'nearest') - qtyTextToLots(o.filledQty, p, 'nearest');
        if (!Number.isFinite(ticks) || !(lots > 0)) continue;
        const isAsk = o.side === 'sell';
        const bucket = bucketOf(ticks, grouping, isAsk);
        const side = isAsk ? this.asks : this.bids;
        const level = side.get(bucket);
        if (level) {
          level.lots += lots;
          level.ids.push(o.clientOrderId);
        } else side.set(bucket, { lots, ids: [o.clientOrderId] });
      }
    }
    this.bidPrices = [...this.bids.keys()].sort((a, b) => b - a);
    this.askPrices = [...this.asks.keys()].sort((a, b) => a - b);
    if (hadAny || this.bids.size + this.asks.size > 0) this.version++;
    return true;
  }

  at(isAsk: boolean, bucket: number): WorkingLevel | undefined {
    return (isAsk ? this.asks : this.bids).get(bucket);
  }
}

/**
 * Inserts our working prices that the book has no level for (a paper order does not add to the
 * venue's book) into one side's best-first rows, with size 0, so every working order has a row:
 * on a full side the worst book rows make room, so an order far from the touch still shows, at
 * the end. At most `max / 2` working prices (best first) are guaranteed a row. Scratch arrays
 * need room for `max + max / 2` rows; writes the result back and returns the new row count.
 */
export function mergeWorking(
  prices: Float64Array,
  qtys: Float64Array,
  count: number,
  extra: readonly number[],
  isAsk: boolean,
  max: number,
  scratchP: Float64Array,
  scratchQ: Float64Array,
): number {
  if (extra.length === 0) return count;
  const better = (a: number, b: number) => (isAsk ? a < b : a > b);
  const m = Math.min(extra.length, max >> 1);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < count || j < m) {
    if (j >= m || (i < count && !better(extra[j], prices[i]))) {
      if (j < m && extra[j] === prices[i]) j++;
      scratchP[n] = prices[i];
      scratchQ[n] = qtys[i];
      i++;
    } else {
      scratchP[n] = extra[j];
      scratchQ[n] = 0;
      j++;
    }
    n++;
  }
  // too many rows: drop the worst ones that hold none of our orders
  let excess = n - max;
  for (let k = n - 1, w = m - 1; k >= 0 && excess > 0; k--) {
    while (w >= 0 && better(scratchP[k], extra[w])) w--;
    if (w >= 0 && extra[w] === scratchP[k]) continue;
    scratchQ[k] = -1;
    excess--;
  }
  let out = 0;
  for (let k = 0; k < n; k++) {
    if (scratchQ[k] < 0) continue;
    prices[out] = scratchP[k];
    qtys[out] = scratchQ[k];
    out++;
  }
  return out;
}

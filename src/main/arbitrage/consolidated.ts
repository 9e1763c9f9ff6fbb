/**
 * One symbol's book across venues: every live venue's levels merged by price (each level keeps
 * each venue's part), and every venue's touch side by side, stale ones included and flagged.
 */
import { unitsToDecimal } from '../../shared/instruments';
import type { ConsolidatedLevel, ConsolidatedMessage, VenueBbo } from '../../shared/arbitrage';
import type { VenueDepth } from './detect';

export interface ConsolidatedInput extends VenueDepth {
  staleReason?: string;
  takerFeeBps: number;
}

/**
 * `depth` levels per side. Each venue's own best `depth` levels are enough: a price below a
 * venue's depth-th level has at least `depth` better prices in the merge.
 */
export function consolidate(symbol: string, venues: readonly ConsolidatedInput[], depth: number, ts: number): ConsolidatedMessage {
  const live = venues.filter((v) => v.live);
  const pd = Math.max(0, ...live.map((v) => v.priceDecimals));
  const sd = Math.max(0, ...live.map((v) => v.sizeDecimals));
  return {
    type: 'consolidated',
    symbol,
    ts,
    venues: venues.map(bboOf),
    bids: merge(live, 'bid', depth, pd, sd),
    asks: merge(live, 'ask', depth, pd, sd),
  };
}

function bboOf(v: ConsolidatedInput): VenueBbo {
  const price = (units: number | undefined, n: number) => (n > 0 && units !== undefined ? unitsToDecimal(units, v.priceDecimals) : null);
  const size = (units: number | undefined, n: number) => (n > 0 && units !== undefined ? unitsToDecimal(units, v.sizeDecimals) : null);
  return {
    venue: v.venue,
    live: v.live,
    ...(v.live ? {} : { staleReason: v.staleReason ?? 'stale' }),
    version: v.version,
    bid: price(v.bidPx[0], v.bids),
    bidSize: size(v.bidQty[0], v.bids),
    ask: price(v.askPx[0], v.asks),
    askSize: size(v.askQty[0], v.asks),
    takerFeeBps: v.takerFeeBps,
  };
}

function merge(venues: readonly ConsolidatedInput[], side: 'bid' | 'ask', depth: number, pd: number, sd: number): ConsolidatedLevel[] {
  const levels = new Map<number, { total: number; parts: Array<{ venue: string; units: number }> }>();
  for (const v of venues) {
    const px = side === 'bid' ? v.bidPx : v.askPx;
    const qty = side === 'bid' ? v.bidQty : v.askQty;
    const n = Math.min(depth, side === 'bid' ? v.bids : v.asks);
    const ps = 10 ** (pd - v.priceDecimals);
    const qs = 10 ** (sd - v.sizeDecimals);
    for (let i = 0; i < n; i++) {
      const p = px[i]! * ps;
      const q = qty[i]! * qs;
      let l = levels.get(p);
      if (!l) levels.set(p, (l = { total: 0, parts: [] }));
      l.total += q;
      l.parts.push({ venue: v.venue, units: q });
    }
  }
  const prices = [...levels.keys()].sort((a, b) => (side === 'bid' ? b - a : a - b)).slice(0, depth);
  return prices.map((p) => {
    const l = levels.get(p)!;
    return {
      price: unitsToDecimal(p, pd),
      size: unitsToDecimal(l.total, sd),
      venues: l.parts.map((x) => ({ venue: x.venue, size: unitsToDecimal(x.units, sd) })),
    };
  });
}

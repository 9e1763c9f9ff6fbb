/**
 * Crossed markets between venues, net of taker fees on both legs. Pure: the caller hands in the
 * top levels of each venue's book for one symbol and gets back every profitable (buy venue, sell
 * venue) pair. Prices and sizes arrive as integers of each venue's own decimals and are compared
 * on the finer of the two grids, so a cross is decided exactly; only profit is in floating point.
 */
import { unitsToDecimal } from '../../shared/instruments';
import type { ArbOpportunity } from '../../shared/arbitrage';

/** One venue's book for one symbol: best first, as integers of 10^-decimals. */
export interface VenueDepth {
  venue: string;
  /** false for a stale book (or a venue that is not live): it never makes an opportunity */
  live: boolean;
  version: number;
  priceDecimals: number;
  sizeDecimals: number;
  bidPx: ArrayLike<number>;
  bidQty: ArrayLike<number>;
  bids: number;
  askPx: ArrayLike<number>;
  askQty: ArrayLike<number>;
  asks: number;
}

/** A profitable pair as computed now; the tracker adds identity, the quote currency and times. */
export type Cross = Omit<ArbOpportunity, 'id' | 'quote' | 'firstSeen' | 'lastSeen' | 'endedAt' | 'durationMs' | 'peakNetBps'>;

export interface Detection {
  crosses: Cross[];
  /** live pairs crossed before fees that fees leave unprofitable */
  underFees: number;
}

/**
 * Every ordered pair of live venues where the sell venue's best bid, less its taker fee, beats
 * the buy venue's best ask plus its taker fee. Best net bps first.
 */
export function detect(symbol: string, venues: readonly VenueDepth[], feeBps: (venue: string) => number): Detection {
  const crosses: Cross[] = [];
  let underFees = 0;
  for (const buy of venues) {
    if (!buy.live || buy.asks === 0) continue;
    for (const sell of venues) {
      if (sell === buy || sell.venue === buy.venue || !sell.live || sell.bids === 0) continue;
      const c = walk(symbol, buy, sell, feeBps(buy.venue), feeBps(sell.venue));
      if (c === 'gross') underFees++;
      else if (c) crosses.push(c);
    }
  }
  crosses.sort((a, b) => b.netBps - a.netBps || b.profit - a.profit);
  return { crosses, underFees };
}

/**
 * Lifts the buy venue's asks upward and hits the sell venue's bids downward while the next unit
 * still earns more than both fees. The unit edge only shrinks as both books are walked, so
 * stopping at the first unprofitable pair of levels takes every profitable unit (and no other).
 * Returns 'gross' when the touches cross but fees eat the edge, null when they do not cross.
 */
export function walk(symbol: string, buy: VenueDepth, sell: VenueDepth, buyFeeBps: number, sellFeeBps: number): Cross | 'gross' | null {
  const pd = Math.max(buy.priceDecimals, sell.priceDecimals);
  const sd = Math.max(buy.sizeDecimals, sell.sizeDecimals);
  const askScale = 10 ** (pd - buy.priceDecimals);
  const bidScale = 10 ** (pd - sell.priceDecimals);
  const askQtyScale = 10 ** (sd - buy.sizeDecimals);
  const bidQtyScale = 10 ** (sd - sell.sizeDecimals);
  const bestAsk = buy.askPx[0]! * askScale;
  const bestBid = sell.bidPx[0]! * bidScale;
  if (!(bestBid > bestAsk)) return null;

  const priceUnit = 10 ** pd;
  const sizeUnit = 10 ** sd;
  const buyMul = 1 + buyFeeBps / 1e4;
  const sellMul = 1 - sellFeeBps / 1e4;
  let i = 0; // sell venue's bid rank
  let j = 0; // buy venue's ask rank
  let bidLeft = sell.bidQty[0]! * bidQtyScale;
  let askLeft = buy.askQty[0]! * askQtyScale;
  const touch = Math.min(bidLeft, askLeft);
  let size = 0;
  let profit = 0;
  let buyNotional = 0;
  let sellNotional = 0;
  while (i < sell.bids && j < buy.asks) {
    const bid = (sell.bidPx[i]! * bidScale) / priceUnit;
    const ask = (buy.askPx[j]! * askScale) / priceUnit;
    const edge = bid * sellMul - ask * buyMul;
    if (!(edge > 0)) break;
    const q = Math.min(bidLeft, askLeft);
    const qn = q / sizeUnit;
    size += q;
    profit += qn * edge;
    buyNotional += qn * ask;
    sellNotional += qn * bid;
    bidLeft -= q;
    askLeft -= q;
    if (bidLeft === 0 && ++i < sell.bids) bidLeft = sell.bidQty[i]! * bidQtyScale;
    if (askLeft === 0 && ++j < buy.asks) askLeft = buy.askQty[j]! * askQtyScale;
  }
  if (size === 0) return 'gross';
  const sizeNum = size / sizeUnit;
  return {
    symbol,
    buyVenue: buy.venue,
    sellVenue: sell.venue,
    buyPrice: unitsToDecimal(bestAsk, pd),
    sellPrice: unitsToDecimal(bestBid, pd),
    buyVersion: buy.version,
    sellVersion: sell.version,
    touchSize: unitsToDecimal(touch, sd),
    size: unitsToDecimal(size, sd),
    // a level partly taken counts as walked
    buyLevels: j + (j < buy.asks && askLeft < buy.askQty[j]! * askQtyScale ? 1 : 0),
    sellLevels: i + (i < sell.bids && bidLeft < sell.bidQty[i]! * bidQtyScale ? 1 : 0),
    buyVwap: buyNotional / sizeNum,
    sellVwap: sellNotional / sizeNum,
    grossBps: ((bestBid - bestAsk) / bestAsk) * 1e4,
    netBps: (profit / buyNotional) * 1e4,
    profit,
    buyFeeBps,
    sellFeeBps,
  };
}

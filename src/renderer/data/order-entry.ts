/**
 * What the ticket and the hotkeys turn into before anything is sent: the order on the grid, an
 * estimate of its cost and fee, and a client-side pre-check. Only a hint: the engine's pre-trade
 * risk decides, and its answer is shown when the order comes back. Plain TS, no DOM.
 */
import type { Precision } from '../../shared/instruments';
import type { OrderRequest, OrderSide, OrderType, TimeInForce } from '../../shared/trading';
import type { HotkeyAction } from './hotkeys';
import {
  PAPER_FEES,
  bpsFromMid,
  feeEstimate,
  lotsForNotional,
  lotsToNumber,
  lotsToText,
  priceTextToTicks,
  qtyTextToLots,
  sweep,
  ticksToNumber,
  ticksToText,
  type LevelSource,
} from './order-math';

export type QtyMode = 'lots' | 'notional';

export interface TicketForm {
  side: OrderSide;
  type: OrderType;
  tif: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  qtyMode: QtyMode;
  /** base units in 'lots' mode, quote currency in 'notional' mode */
  qty: string;
  price: string;
  stopPrice: string;
}

/** The book as the estimate needs it: both sides best first, in ticks and lots. */
export interface BookView {
  bids: LevelSource;
  asks: LevelSource;
  stale: boolean;
}

export interface TicketCheck {
  /** reasons the order cannot be sent as it is */
  errors: string[];
  /** the pre-check line: things worth a second look (the engine decides) */
  warnings: string[];
  lots: number;
  priceTicks: number;
  stopTicks: number;
  notional: number;
  fee: number;
  /** what the fee estimate assumed */
  liquidity: 'maker' | 'taker' | 'mixed' | 'unknown';
}

export interface CheckOptions {
  /** warn when a limit is further than this from the mid */
  warnBps: number;
  killSwitch?: boolean;
  fees?: { takerBps: number; makerBps: number };
}

const bestOf = (side: LevelSource | undefined): number => (side && side.depth > 0 ? side.priceAt(0) : NaN);

/** Checks a ticket against the instrument grid and (when there is one) the book. */
export function checkTicket(form: TicketForm, p: Precision | null, book: BookView | null, opts: CheckOptions): TicketCheck {
  const out: TicketCheck = { errors: [], warnings: [], lots: NaN, priceTicks: NaN, stopTicks: NaN, notional: NaN, fee: NaN, liquidity: 'unknown' };
  if (!p) {
    out.errors.push('no instrument details yet');
    return out;
  }
  const fees = opts.fees ?? PAPER_FEES;
  const isBuy = form.side === 'buy';
  const bid = bestOf(book?.bids);
  const ask = bestOf(book?.asks);
  const mid = Number.isFinite(bid) && Number.isFinite(ask) ? (bid + ask) / 2 : NaN;
  const far = isBuy ? ask : bid;
  const needsPrice = form.type !== 'market';

  if (needsPrice) {
    if (form.price.trim() === '') out.errors.push('price needed');
    else {
      out.priceTicks = priceTextToTicks(form.price, p);
      if (!(out.priceTicks > 0)) out.errors.push(`price "${form.price}" is not a positive number`);
    }
  }
  if (form.type === 'stop-limit') {
    if (form.stopPrice.trim() === '') out.errors.push('stop price needed');
    else {
      out.stopTicks = priceTextToTicks(form.stopPrice, p);
      if (!(out.stopTicks > 0)) out.errors.push(`stop price "${form.stopPrice}" is not a positive number`);
    }
  }
  if (form.type === 'market' && form.postOnly) out.errors.push('a market order cannot be post-only');
  if (form.postOnly && form.tif !== 'GTC' && form.type !== 'market') out.errors.push('post-only orders rest: time in force must be GTC');

  // quantity: typed in base units, or a notional converted at the order's price
  if (form.qtyMode === 'notional') {
    const notional = Number(form.qty.replace(/,/g, ''));
    const ref = needsPrice ? out.priceTicks : far;
    if (!(notional > 0)) out.errors.push('notional must be positive');
    else if (!(ref > 0)) out.errors.push(needsPrice ? 'a price is needed to convert the notional' : 'no price in the book to convert the notional');
    else out.lots = lotsForNotional(notional, ref, p);
  } else {
    out.lots = qtyTextToLots(form.qty, p);
    if (form.qty.trim() === '' || !Number.isFinite(out.lots)) out.errors.push('quantity needed');
  }
  if (Number.isFinite(out.lots) && out.lots < 1 && out.errors.length === 0) out.errors.push(`quantity below one lot (${lotsToText(1, p)})`);

  if (opts.killSwitch) out.warnings.push('kill switch engaged: the engine rejects new orders');
  if (!book || book.stale) out.warnings.push('book not live: estimates unreliable');

  if (!(out.lots >= 1)) return out;
  // estimate: the marketable part walks the far side, the rest rests at the limit
  const farSide = isBuy ? book?.asks : book?.bids;
  const limit = form.type === 'market' ? NaN : out.priceTicks;
  const taken = farSide && form.type !== 'stop-limit' ? sweep(farSide, out.lots, isBuy, limit) : { lots: 0, value: 0, worstTicks: NaN };
  const takerNotional = taken.lots > 0 ? lotsToValue(taken.value, p) : 0;
  const rest = out.lots - taken.lots;
  if (form.type === 'market') {
    out.notional = takerNotional;
    out.fee = feeEstimate(takerNotional, 'taker', fees);
    out.liquidity = 'taker';
    if (!Number.isFinite(far)) out.warnings.push(`no ${isBuy ? 'ask' : 'bid'} in the book`);
    else if (rest > 0) out.warnings.push(`book shows only ${lotsToText(taken.lots, p)} of ${lotsToText(out.lots, p)}: the rest is cancelled`);
    if (taken.lots > 0 && taken.worstTicks !== far) {
      const slip = bpsFromMid(taken.worstTicks, far);
      out.warnings.push(`walks the book to ${ticksToText(taken.worstTicks, p)} (${slip < 10 ? slip.toFixed(1) : slip.toFixed(0)} bps past the touch)`);
    }
    return out;
  }
  if (!(out.priceTicks > 0)) return out;
  const makerNotional = lotsToNumber(rest, p) * ticksToNumber(out.priceTicks, p);
  out.notional = takerNotional + makerNotional;
  if (form.type === 'stop-limit') {
    out.fee = feeEstimate(out.notional, 'taker', fees);
    out.liquidity = 'taker';
    const stopThrough = isBuy ? out.stopTicks <= ask : out.stopTicks >= bid;
    if (Number.isFinite(out.stopTicks) && stopThrough) out.warnings.push('stop is at or through the market: it triggers on the next trade');
  } else {
    out.fee = feeEstimate(takerNotional, 'taker', fees) + feeEstimate(makerNotional, 'maker', fees);
    out.liquidity = taken.lots === 0 ? 'maker' : rest === 0 ? 'taker' : 'mixed';
    if (taken.lots > 0) {
      if (form.postOnly) out.warnings.push('post-only but marketable: the venue will reject it');
      else out.warnings.push(`marketable: takes ${lotsToText(taken.lots, p)} now${rest > 0 ? `, rests ${lotsToText(rest, p)}` : ''}`);
    }
  }
  const bps = bpsFromMid(out.priceTicks, mid);
  if (bps > opts.warnBps) out.warnings.push(`price is ${bps.toFixed(0)} bps from the mid ${ticksToText(Math.round(mid), p)}`);
  return out;
}

/** Σ ticks × lots → quote currency */
function lotsToValue(tickLots: number, p: Precision): number {
  return (tickLots * p.tickUnits * p.lotUnits) / 10 ** (p.priceDecimals + p.sizeDecimals);
}

/** The order a checked ticket sends (without its id); null when it has errors. */
export function ticketRequest(form: TicketForm, check: TicketCheck, venue: string, symbol: string, p: Precision): Omit<OrderRequest, 'clientOrderId'> | null {
  if (check.errors.length > 0 || !(check.lots >= 1)) return null;
  const market = form.type === 'market';
  return {
    venue,
    symbol,
    side: form.side,
    type: form.type,
    qty: lotsToText(check.lots, p),
    ...(market ? {} : { price: ticksToText(check.priceTicks, p) }),
    ...(form.type === 'stop-limit' ? { stopPrice: ticksToText(check.stopTicks, p) } : {}),
    tif: market ? 'IOC' : form.tif,
    postOnly: market ? false : form.postOnly,
    reduceOnly: form.reduceOnly,
  };
}

export interface Quote {
  /** best bid / ask in ticks, NaN when unknown */
  bid: number;
  ask: number;
  stale: boolean;
}

export interface Intent {
  side: OrderSide;
  priceTicks: number;
  tif: TimeInForce;
}

/** The limit order a price hotkey means, or why there is none right now. */
export function hotkeyIntent(action: HotkeyAction, q: Quote): Intent | { error: string } {
  if (q.stale) return { error: 'the book is not live' };
  const need = (what: 'bid' | 'ask') => ({ error: `no best ${what} in the book` });
  switch (action) {
    case 'buyAsk':
      return Number.isFinite(q.ask) ? { side: 'buy', priceTicks: q.ask, tif: 'IOC' } : need('ask');
    case 'sellBid':
      return Number.isFinite(q.bid) ? { side: 'sell', priceTicks: q.bid, tif: 'IOC' } : need('bid');
    case 'joinBid':
      return Number.isFinite(q.bid) ? { side: 'buy', priceTicks: q.bid, tif: 'GTC' } : need('bid');
    case 'joinAsk':
      return Number.isFinite(q.ask) ? { side: 'sell', priceTicks: q.ask, tif: 'GTC' } : need('ask');
    case 'improveBid':
    case 'improveAsk': {
      if (!Number.isFinite(q.bid) || !Number.isFinite(q.ask)) return { error: 'needs both a bid and an ask' };
      if (q.ask - q.bid < 2) return { error: 'the spread is one tick: no room to improve' };
      return action === 'improveBid' ? { side: 'buy', priceTicks: q.bid + 1, tif: 'GTC' } : { side: 'sell', priceTicks: q.ask - 1, tif: 'GTC' };
    }
    default:
      return { error: `${action} does not place an order` };
  }
}

/** A limit order at `ticks` for `qtyText` (snapped down to the lot); null when the size is unusable. */
export function limitRequest(venue: string, symbol: string, side: OrderSide, ticks: number, qtyText: string, tif: TimeInForce, p: Precision): Omit<OrderRequest, 'clientOrderId'> | { error: string } {
  const lots = qtyTextToLots(qtyText, p);
  if (!(lots >= 1)) return { error: `size "${qtyText}" is below one lot (${lotsToText(1, p)})` };
  if (!(ticks > 0)) return { error: 'no price' };
  return { venue, symbol, side, type: 'limit', qty: lotsToText(lots, p), price: ticksToText(ticks, p), tif, postOnly: false, reduceOnly: false };
}

/** Orders at or above the threshold ask first; one whose notional is unknown asks too. */
export function needsConfirm(s: { confirmEnabled: boolean; confirmAbove: number }, notional: number): boolean {
  return s.confirmEnabled && !(notional < s.confirmAbove);
}

/**
 * The paper venue: executes against the live engine book of the order's venue.
 *
 * - Marketable orders take liquidity level by level up to their limit (market orders without
 *   one): slippage is what walking the book costs; taker fee on the notional. Paper fills do not
 *   remove liquidity from the real book, so two paper orders in a row can take the same level.
 * - IOC cancels what did not fill at once; FOK fills whole or expires; post-only is rejected if
 *   it would take liquidity.
 * - Queue model for resting limits: an order joins the back of its level, behind the quantity
 *   shown there when it arrived. Trades at its price reduce the queue ahead; once the queue is
 *   through, such trades fill it. A trade through its price, or the far side's best crossing
 *   it, fills the rest at its own price (maker fee).
 * - Stop-limit orders wait until a trade reaches the stop, then behave as limit orders.
 */
import { priceToNumber, qtyToNumber } from '../../shared/instruments';
import type { PriceTicks, Qty } from '../../shared/units';
import type { MarketBook } from '../market/market-book';
import type { ExecutionVenue, ReportSink } from './execution';
import type { Order } from './order';

export interface PaperFees {
  takerFeeBps: number;
  makerFeeBps: number;
}

interface Resting {
  order: Order;
  queueAhead: number;
}

export class PaperVenue implements ExecutionVenue {
  readonly mode = 'paper' as const;
  private readonly resting = new Map<string, Resting>();
  private readonly waitingStops = new Map<string, Order>();
  private seq = 0;

  constructor(
    readonly venue: string,
    private readonly books: (symbol: string) => MarketBook | undefined,
    private readonly fees: PaperFees,
    private readonly report: ReportSink,
    private readonly now: () => number = Date.now,
  ) {}

  submit(order: Order): void {
    if (!order.triggered) {
      this.ack(order);
      this.waitingStops.set(order.id, order);
      return;
    }
    this.execute(order, true);
  }

  private ack(order: Order): void {
    this.report({ type: 'ack', clientOrderId: order.id, venueOrderId: `paper-${this.venue}-${++this.seq}`, at: this.now() });
  }

  cancel(order: Order): void {
    const had = this.resting.delete(order.id) || this.waitingStops.delete(order.id);
    if (had) this.report({ type: 'cancelled', clientOrderId: order.id, reason: 'cancelled by request', at: this.now() });
  }

  restore(order: Order): void {
    if (!order.triggered) this.waitingStops.set(order.id, order);
    else this.rest(order);
  }

  stop(): void {
    this.resting.clear();
    this.waitingStops.clear();
  }

  get restingCount(): number {
    return this.resting.size + this.waitingStops.size;
  }

  /** A trade printed on the venue's market: triggers stops, works the resting queues. */
  onTrade(symbol: string, priceTicks: number, lots: number, aggressor: 0 | 1): void {
    for (const [id, order] of this.waitingStops) {
      if (order.req.symbol !== symbol) continue;
      const stop = order.stopTicks!;
      if (order.req.side === 'buy' ? priceTicks >= stop : priceTicks <= stop) {
        this.waitingStops.delete(id);
        order.triggered = true;
        this.execute(order, false);
      }
    }
    for (const r of this.resting.values()) {
      const o = r.order;
      if (o.req.symbol !== symbol) continue;
      const limit = o.priceTicks!;
      const isBuy = o.req.side === 'buy';
      // only sells hit resting buys and buys lift resting sells
      if ((isBuy && aggressor !== 1) || (!isBuy && aggressor !== 0)) continue;
      if (isBuy ? priceTicks < limit : priceTicks > limit) {
        this.fillResting(r, o.remainingLots);
      } else if (priceTicks === limit) {
        r.queueAhead -= lots;
        if (r.queueAhead < 0) {
          this.fillResting(r, Math.min(o.remainingLots, -r.queueAhead));
          r.queueAhead = 0;
        }
      }
    }
  }

  /** The book moved: a resting order the far side now crosses has been traded through. */
  onBook(symbol: string): void {
    const mb = this.books(symbol);
    if (!mb || mb.stale) return;
    for (const r of this.resting.values()) {
      const o = r.order;
      if (o.req.symbol !== symbol) continue;
      const far = mb.book.bestPrice(o.req.side === 'buy' ? 1 : 0);
      if (Number.isNaN(far)) continue;
      if (o.req.side === 'buy' ? far <= o.priceTicks! : far >= o.priceTicks!) this.fillResting(r, o.remainingLots);
    }
  }

  /** Rejections (no book, post-only, FOK) come before the ack, as venues do; `ack` false for triggered stops. */
  private execute(order: Order, ack: boolean): void {
    const at = this.now();
    const mb = this.books(order.req.symbol);
    if (!mb || mb.stale) {
      this.report({ type: 'rejected', clientOrderId: order.id, reason: `no live book for ${order.req.venue}/${order.req.symbol}`, at });
      return;
    }
    const book = mb.book;
    const side = order.req.side === 'buy' ? 1 : 0; // the side we take from
    const limit = order.priceTicks;
    const within = (p: number) => limit === null || (order.req.side === 'buy' ? p <= limit : p >= limit);
    let available = 0;
    for (let i = 0; i < book.depth(side) && within(book.priceAt(side, i)); i++) available += book.qtyAt(side, i);
    if (available > 0 && order.req.postOnly) {
      this.report({ type: 'rejected', clientOrderId: order.id, reason: 'post-only order would take liquidity', at });
      return;
    }
    if (order.req.tif === 'FOK' && available < order.remainingLots) {
      this.report({ type: 'expired', clientOrderId: order.id, reason: `fill-or-kill: only ${available} of ${order.remainingLots} lots available within the limit`, at });
      return;
    }
    if (ack) this.ack(order);
    const filledAt = this.now(); // after the ack, so an order's times never run backwards
    let remaining = order.remainingLots;
    for (let i = 0; remaining > 0 && i < book.depth(side); i++) {
      const p = book.priceAt(side, i);
      if (!within(p)) break;
      const take = Math.min(remaining, book.qtyAt(side, i));
      remaining -= take;
      this.reportFill(order, p, take, 'taker', filledAt);
    }
    if (remaining === 0) return;
    if (order.req.type === 'market') {
      this.report({ type: 'cancelled', clientOrderId: order.id, reason: 'market order: not enough liquidity in the book for the rest', at: filledAt });
    } else if (order.req.tif === 'IOC') {
      this.report({ type: 'cancelled', clientOrderId: order.id, reason: 'immediate-or-cancel: rest cancelled', at: filledAt });
    } else {
      this.rest(order);
    }
  }

  private rest(order: Order): void {
    const mb = this.books(order.req.symbol);
    const ownSide = order.req.side === 'buy' ? 0 : 1;
    const ahead = mb ? mb.book.qtyOf(ownSide, order.priceTicks! as PriceTicks) : 0;
    this.resting.set(order.id, { order, queueAhead: ahead });
  }

  private fillResting(r: Resting, lots: number): void {
    if (lots <= 0) return;
    const done = lots >= r.order.remainingLots;
    this.reportFill(r.order, r.order.priceTicks!, lots, 'maker', this.now());
    if (done) this.resting.delete(r.order.id);
  }

  private reportFill(order: Order, priceTicks: number, lots: number, liquidity: 'maker' | 'taker', at: number): void {
    const p = order.precision;
    const notional = priceToNumber(priceTicks as PriceTicks, p) * qtyToNumber(lots as Qty, p);
    const bps = liquidity === 'maker' ? this.fees.makerFeeBps : this.fees.takerFeeBps;
    this.report({ type: 'fill', clientOrderId: order.id, fillId: `${order.id}-${++this.seq}`, priceTicks, lots, fee: (notional * bps) / 10_000, liquidity, at });
  }
}

/**
 * What the desk holds at risk: positions per venue and symbol, marked to the live books, the
 * day's realised PnL, and the inputs of pre-trade risk (the candidate order, and the context of
 * every open order and position around it). The desk owns the orders and hands in its open ones;
 * this owns the money.
 */
import { priceToNumber, qtyToNumber } from '../../shared/instruments';
import type { PositionView, RiskView } from '../../shared/trading';
import type { PriceTicks, Qty } from '../../shared/units';
import type { MarketBook } from '../market/market-book';
import type { OpenOrders } from './open-orders';
import type { Order } from './order';
import { Position } from './positions';
import type { RiskContext, RiskEngine } from './risk';

const utcDay = (ms: number) => Math.floor(ms / 86_400_000);

export interface Totals {
  gross: number;
  net: number;
  /** realised (net of fees) on today's fills plus the open positions' unrealised PnL */
  pnl: number;
  open: number;
}

export class Exposure {
  readonly positions = new Map<string, Position>();
  /** realised PnL net of fees booked on the current UTC day (from fill times, so it survives restarts) */
  private daily = { day: -1, realized: 0 };

  constructor(
    private readonly findBook: (venue: string, symbol: string) => MarketBook | undefined,
    private readonly now: () => number,
  ) {}

  /** A fill moves its position; the PnL it realises (net of its fee) is booked on the fill's UTC day. */
  applyFill(o: Order, priceTicks: number, lots: number, fee: number, at: number): void {
    const pos = this.positionOf(o);
    const realizedBefore = pos.realizedPnl;
    pos.applyFill(o.req.side, priceTicks, lots, fee);
    const day = utcDay(at);
    if (day !== this.daily.day) this.daily = { day, realized: 0 };
    this.daily.realized += pos.realizedPnl - realizedBefore - fee;
  }

  views(): PositionView[] {
    return [...this.positions.values()].map((p) => p.view(this.mark(p.venue, p.symbol)));
  }

  totals(open: OpenOrders): Totals {
    let gross = 0, net = 0, unrealized = 0;
    for (const p of this.positions.values()) {
      const m = this.mark(p.venue, p.symbol);
      gross += p.exposure(m);
      net += Math.sign(p.lots) * p.exposure(m);
      unrealized += p.unrealized(m);
    }
    const pnl = (this.daily.day === utcDay(this.now()) ? this.daily.realized : 0) + unrealized;
    return { gross, net, pnl, open: open.size };
  }

  riskView(risk: RiskEngine, open: OpenOrders): RiskView {
    const now = this.now();
    const t = this.totals(open);
    return {
      killSwitch: { ...risk.killSwitch },
      grossExposure: t.gross,
      netExposure: t.net,
      dailyPnl: t.pnl,
      openOrders: t.open,
      usage: risk.usage({ grossExposure: t.gross, openOrders: t.open, dailyPnl: t.pnl, now, positions: [...this.positions.values()].map((p) => ({ symbol: p.symbol, qty: p.qty })) }),
      recentRejects: [...risk.recentRejects],
    };
  }

  /** The order as pre-trade risk sees it (a market order is priced at the far touch). */
  candidate(o: Order, mb: MarketBook) {
    const far = mb.book.bestPrice(o.req.side === 'buy' ? 1 : 0);
    const priceTicks = o.priceTicks ?? far;
    return {
      clientOrderId: o.id, venue: o.req.venue, symbol: o.req.symbol, side: o.req.side,
      qty: qtyToNumber(o.lots as Qty, o.precision), price: priceToNumber(priceTicks as PriceTicks, o.precision),
      isLimit: o.priceTicks !== null, reducesOnly: o.req.reduceOnly && this.reduces(o),
    };
  }

  /** Everything around the order that its limits weigh: position, working orders, exposure, PnL. */
  context(o: Order, mb: MarketBook, open: OpenOrders, now: number): RiskContext {
    const pos = this.positions.get(key(o));
    const { buyLots, sellLots } = open.pending(o.req.venue, o.req.symbol);
    const workingNotional = open.workingNotional((venue, symbol) => this.mark(venue, symbol));
    const t = this.totals(open);
    const midTicks = mb.stale ? NaN : mb.book.mid();
    return {
      mid: Number.isFinite(midTicks) ? priceToNumber(midTicks as PriceTicks, mb.precision) : NaN,
      position: pos?.qty ?? 0, pendingBuys: qtyToNumber(buyLots as Qty, o.precision), pendingSells: qtyToNumber(sellLots as Qty, o.precision),
      grossExposure: t.gross + workingNotional, openOrders: t.open, dailyPnl: t.pnl, now,
    };
  }

  private reduces(o: Order): boolean {
    const pos = this.positions.get(key(o));
    if (!pos) return false;
    return o.req.side === 'buy' ? pos.lots < 0 && o.lots <= -pos.lots : pos.lots > 0 && o.lots <= pos.lots;
  }

  private positionOf(o: Order): Position {
    let p = this.positions.get(key(o));
    if (!p) this.positions.set(key(o), (p = new Position(o.req.venue, o.req.symbol, o.precision)));
    return p;
  }

  private mark(venue: string, symbol: string): number {
    const mb = this.findBook(venue, symbol);
    return mb && !mb.stale ? mb.book.mid() : NaN;
  }
}

const key = (o: Order) => `${o.req.venue}/${o.req.symbol}`;

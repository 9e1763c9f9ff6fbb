/**
 * Pre-trade risk: every order, paper or live, passes check() before anything is journaled as
 * sent; there is no other path to a venue. A rejection names the limit and the numbers.
 */
import type { LimitUsage, OrderSide, RiskView } from '../../shared/trading';
import { limitsFor, type RiskLimits } from './limits';

export interface RiskCandidate {
  clientOrderId: string;
  venue: string;
  symbol: string;
  side: OrderSide;
  /** base units */
  qty: number;
  /** the price the order could trade at: its limit, or for a market order the far side's best */
  price: number;
  isLimit: boolean;
  /** reduce-only orders and cancels never add risk */
  reducesOnly: boolean;
}

export interface RiskContext {
  /** current mid of the book, NaN if unknown */
  mid: number;
  /** signed position in base units, plus what working orders on the same side could add */
  position: number;
  pendingBuys: number;
  pendingSells: number;
  /** Σ |position| × mark over all symbols, plus this symbol's working orders' notional */
  grossExposure: number;
  openOrders: number;
  dailyPnl: number;
  now: number;
}

export type RiskVerdict = { ok: true } | { ok: false; limit: string; message: string };

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toPrecision(8).replace(/\.?0+$/, ''));

export class RiskEngine {
  killSwitch = { engaged: false, reason: '', at: null as number | null };
  private readonly recent: number[] = [];
  readonly recentRejects: RiskView['recentRejects'] = [];

  constructor(public limits: RiskLimits) {}

  check(o: RiskCandidate, ctx: RiskContext): RiskVerdict {
    const verdict = this.evaluate(o, ctx);
    if (verdict.ok) {
      this.recent.push(ctx.now);
    } else {
      this.recentRejects.push({ clientOrderId: o.clientOrderId, limit: verdict.limit, message: verdict.message, ts: ctx.now });
      if (this.recentRejects.length > 50) this.recentRejects.shift();
    }
    return verdict;
  }

  private evaluate(o: RiskCandidate, ctx: RiskContext): RiskVerdict {
    const reject = (limit: string, message: string): RiskVerdict => ({ ok: false, limit, message: `${limit}: ${message}` });
    if (this.killSwitch.engaged) return reject('killSwitch', `kill switch engaged${this.killSwitch.reason ? ` (${this.killSwitch.reason})` : ''}; no new orders`);
    if (!(o.qty > 0)) return reject('qty', `quantity ${fmt(o.qty)} must be positive`);
    const l = limitsFor(this.limits, o.symbol);
    if (l.maxOrderQty !== undefined && o.qty > l.maxOrderQty) return reject('maxOrderQty', `quantity ${fmt(o.qty)} exceeds the maximum ${fmt(l.maxOrderQty)} for ${o.symbol}`);
    if (!Number.isFinite(o.price) || o.price <= 0) return reject('price', `no usable price for ${o.symbol} (empty book?)`);
    const notional = o.qty * o.price;
    if (l.maxOrderNotional !== undefined && notional > l.maxOrderNotional) {
      return reject('maxOrderNotional', `notional ${fmt(notional)} exceeds the maximum ${fmt(l.maxOrderNotional)} for ${o.symbol}`);
    }
    if (o.isLimit && l.priceBandBps !== undefined) {
      if (!Number.isFinite(ctx.mid)) return reject('priceBand', `no mid price for ${o.symbol} to check the price band against`);
      const bps = (Math.abs(o.price - ctx.mid) / ctx.mid) * 10_000;
      if (bps > l.priceBandBps) return reject('priceBand', `price ${fmt(o.price)} is ${fmt(Math.round(bps))} bps from the mid ${fmt(ctx.mid)}; the band is ${fmt(l.priceBandBps)} bps`);
    }
    const windowStart = ctx.now - 1000;
    while (this.recent.length && this.recent[0]! <= windowStart) this.recent.shift();
    if (this.recent.length >= this.limits.maxOrdersPerSecond) {
      return reject('maxOrdersPerSecond', `${this.recent.length} orders in the last second; the limit is ${this.limits.maxOrdersPerSecond}`);
    }
    if (ctx.openOrders + 1 > this.limits.maxOpenOrders) return reject('maxOpenOrders', `${ctx.openOrders} orders already open; the limit is ${this.limits.maxOpenOrders}`);
    if (o.reducesOnly) return { ok: true };
    if (-ctx.dailyPnl >= this.limits.dailyLossLimit) {
      return reject('dailyLossLimit', `today's loss ${fmt(-ctx.dailyPnl)} has reached the limit ${fmt(this.limits.dailyLossLimit)}; only reducing orders are accepted`);
    }
    const worst = o.side === 'buy' ? ctx.position + ctx.pendingBuys + o.qty : ctx.position - ctx.pendingSells - o.qty;
    if (l.maxPosition !== undefined && Math.abs(worst) > l.maxPosition) {
      return reject('maxPosition', `position would reach ${fmt(worst)} ${o.symbol.split('-')[0]}; the limit is ±${fmt(l.maxPosition)}`);
    }
    if (ctx.grossExposure + notional > this.limits.maxGrossExposure) {
      return reject('maxGrossExposure', `gross exposure would reach ${fmt(ctx.grossExposure + notional)}; the limit is ${fmt(this.limits.maxGrossExposure)}`);
    }
    return { ok: true };
  }

  engage(reason: string, now: number): void {
    this.killSwitch = { engaged: true, reason, at: now };
  }

  release(now: number): void {
    this.killSwitch = { engaged: false, reason: '', at: now };
  }

  usage(ctx: { grossExposure: number; openOrders: number; dailyPnl: number; now: number; positions: Array<{ symbol: string; qty: number }> }): LimitUsage[] {
    const windowStart = ctx.now - 1000;
    const rate = this.recent.filter((t) => t > windowStart).length;
    const out: LimitUsage[] = [
      { limit: 'maxGrossExposure', scope: 'all', used: ctx.grossExposure, max: this.limits.maxGrossExposure },
      { limit: 'maxOpenOrders', scope: 'all', used: ctx.openOrders, max: this.limits.maxOpenOrders },
      { limit: 'maxOrdersPerSecond', scope: 'all', used: rate, max: this.limits.maxOrdersPerSecond },
      { limit: 'dailyLossLimit', scope: 'all', used: Math.max(0, -ctx.dailyPnl), max: this.limits.dailyLossLimit },
    ];
    for (const p of ctx.positions) {
      const max = limitsFor(this.limits, p.symbol).maxPosition;
      if (max !== undefined) out.push({ limit: 'maxPosition', scope: p.symbol, used: Math.abs(p.qty), max });
    }
    return out;
  }
}

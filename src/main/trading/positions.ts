/**
 * Positions from fills: quantity kept in integer lots (exact), average price in ticks, realised
 * PnL and fees in the quote currency. A position that crosses zero starts a new average at the
 * fill price for the remainder.
 */
import { formatPrice, formatQty, priceToNumber, qtyToNumber, type Precision } from '../../shared/instruments';
import type { OrderSide, PositionView } from '../../shared/trading';
import type { PriceTicks, Qty } from '../../shared/units';

export class Position {
  lots = 0;
  avgTicks = NaN;
  realizedPnl = 0;
  fees = 0;

  constructor(readonly venue: string, readonly symbol: string, readonly precision: Precision) {}

  applyFill(side: OrderSide, priceTicks: number, lots: number, fee: number): void {
    const signed = side === 'buy' ? lots : -lots;
    this.fees += fee;
    if (this.lots === 0 || Math.sign(this.lots) === Math.sign(signed)) {
      const held = Math.abs(this.lots);
      this.avgTicks = held === 0 ? priceTicks : (this.avgTicks * held + priceTicks * lots) / (held + lots);
      this.lots += signed;
      return;
    }
    const closing = Math.min(Math.abs(this.lots), lots);
    const perUnit = priceToNumber((priceTicks - this.avgTicks) as PriceTicks, this.precision);
    this.realizedPnl += perUnit * qtyToNumber(closing as Qty, this.precision) * Math.sign(this.lots);
    this.lots += signed;
    if (this.lots === 0) this.avgTicks = NaN;
    else if (Math.sign(this.lots) === Math.sign(signed)) this.avgTicks = priceTicks;
  }

  /** base units, signed */
  get qty(): number {
    return qtyToNumber(this.lots as Qty, this.precision);
  }

  unrealized(markTicks: number): number {
    if (this.lots === 0 || !Number.isFinite(markTicks)) return 0;
    return priceToNumber((markTicks - this.avgTicks) as PriceTicks, this.precision) * this.qty;
  }

  exposure(markTicks: number): number {
    const mark = Number.isFinite(markTicks) ? markTicks : this.avgTicks;
    return Number.isFinite(mark) ? Math.abs(this.qty) * priceToNumber(mark as PriceTicks, this.precision) : 0;
  }

  view(markTicks: number): PositionView {
    const p = this.precision;
    return {
      venue: this.venue,
      symbol: this.symbol,
      qty: (this.lots < 0 ? '-' : '') + formatQty(Math.abs(this.lots) as Qty, p),
      avgPrice: Number.isFinite(this.avgTicks) ? formatPrice(Math.round(this.avgTicks) as PriceTicks, p) : null,
      realizedPnl: this.realizedPnl,
      unrealizedPnl: this.unrealized(markTicks),
      fees: this.fees,
      exposure: this.exposure(markTicks),
      mark: Number.isFinite(markTicks) ? priceToNumber(markTicks as PriceTicks, p) : null,
    };
  }
}

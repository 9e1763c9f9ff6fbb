/**
 * One order and its explicit state machine:
 *   new → pending → working | partially-filled → filled | cancelled | rejected | expired
 * Every transition is checked against the table; an illegal one is a bug and throws.
 */
import { formatPrice, formatQty, type Precision } from '../../shared/instruments';
import { TERMINAL_STATES, type OrderRequest, type OrderState, type OrderView } from '../../shared/trading';
import type { PriceTicks, Qty } from '../../shared/units';

const NEXT: Record<OrderState, readonly OrderState[]> = {
  new: ['pending', 'rejected'],
  pending: ['working', 'partially-filled', 'filled', 'rejected', 'cancelled', 'expired'],
  working: ['partially-filled', 'filled', 'cancelled', 'expired'],
  'partially-filled': ['partially-filled', 'filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

export class IllegalTransition extends Error {
  constructor(id: string, from: OrderState, to: OrderState) {
    super(`order ${id}: illegal transition ${from} → ${to}`);
    this.name = 'IllegalTransition';
  }
}

export class Order {
  state: OrderState = 'new';
  filledLots = 0;
  /** Σ price × lots of fills, for the average */
  private fillValue = 0;
  venueOrderId: string | null = null;
  reason: string | null = null;
  updatedAt: number;
  /** stop-limit orders wait untriggered until the market reaches the stop */
  triggered: boolean;

  constructor(
    readonly req: OrderRequest,
    readonly precision: Precision,
    readonly lots: number,
    readonly priceTicks: number | null,
    readonly stopTicks: number | null,
    readonly createdAt: number,
  ) {
    this.updatedAt = createdAt;
    this.triggered = req.type !== 'stop-limit';
  }

  get id(): string {
    return this.req.clientOrderId;
  }

  get remainingLots(): number {
    return this.lots - this.filledLots;
  }

  get isTerminal(): boolean {
    return TERMINAL_STATES.has(this.state);
  }

  get isOpen(): boolean {
    return !this.isTerminal;
  }

  transition(to: OrderState, at: number, reason: string | null = null): void {
    if (!NEXT[this.state].includes(to)) throw new IllegalTransition(this.id, this.state, to);
    this.state = to;
    this.updatedAt = at;
    if (reason !== null) this.reason = reason;
  }

  /** Records a fill and moves to partially-filled or filled. */
  fill(priceTicks: number, lots: number, at: number): void {
    if (lots <= 0 || lots > this.remainingLots) throw new Error(`order ${this.id}: fill of ${lots} lots with ${this.remainingLots} remaining`);
    this.filledLots += lots;
    this.fillValue += priceTicks * lots;
    this.transition(this.remainingLots === 0 ? 'filled' : 'partially-filled', at);
  }

  get avgFillTicks(): number {
    return this.filledLots > 0 ? this.fillValue / this.filledLots : NaN;
  }

  view(): OrderView {
    const p = this.precision;
    return {
      clientOrderId: this.id,
      venueOrderId: this.venueOrderId,
      venue: this.req.venue,
      symbol: this.req.symbol,
      side: this.req.side,
      type: this.req.type,
      tif: this.req.tif,
      postOnly: this.req.postOnly,
      reduceOnly: this.req.reduceOnly,
      qty: formatQty(this.lots as Qty, p),
      price: this.priceTicks === null ? null : formatPrice(this.priceTicks as PriceTicks, p),
      stopPrice: this.stopTicks === null ? null : formatPrice(this.stopTicks as PriceTicks, p),
      state: this.state,
      filledQty: formatQty(this.filledLots as Qty, p),
      avgFillPrice: this.filledLots > 0 ? formatPrice(Math.round(this.avgFillTicks) as PriceTicks, p) : null,
      reason: this.reason,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }
}

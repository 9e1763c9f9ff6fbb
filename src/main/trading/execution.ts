/**
 * What every execution venue (paper or live) does for the trading desk. Reports come back
 * asynchronously through the callback given at construction; the desk journals each one before
 * it changes the order.
 */
import type { Order } from './order';

export type ExecutionReport =
  | { type: 'ack'; clientOrderId: string; venueOrderId: string; at: number }
  | { type: 'fill'; clientOrderId: string; fillId: string; priceTicks: number; lots: number; fee: number; liquidity: 'maker' | 'taker'; at: number }
  | { type: 'cancelled'; clientOrderId: string; reason: string; at: number }
  | { type: 'rejected'; clientOrderId: string; reason: string; at: number }
  | { type: 'expired'; clientOrderId: string; reason: string; at: number };

export interface ExecutionVenue {
  readonly mode: 'paper' | 'live';
  submit(order: Order): void;
  cancel(order: Order): void;
  /** after a restart: put back an order the journal says is working (paper), or look it up at the venue (live) */
  restore(order: Order): void;
  stop(): void;
  /** market events, for venues that simulate (paper) */
  onTrade?(symbol: string, priceTicks: number, lots: number, aggressor: 0 | 1): void;
  onBook?(symbol: string): void;
  readonly restingCount?: number;
}

export type ReportSink = (report: ExecutionReport) => void;

/** Makes the live execution venue for a market venue, or undefined to trade it on paper. */
export type LiveExecutionFactory = (venue: string, report: ReportSink) => ExecutionVenue | undefined;

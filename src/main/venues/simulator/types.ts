import type { Micros, PriceTicks, Qty, Side } from '../../../shared/units';

export interface SimVenueConfig {
  venue: string;
  seed: number;
  /** Defaults to every symbol of SIM_INSTRUMENTS. */
  symbols?: string[];
  /** Simulated book updates per simulated second, over all of the venue's symbols. 0 pauses. */
  updatesPerSecond: number;
  /** Defaults to 400; the count wanders within ±2 % of it. */
  levelsPerSide?: number;
  /** Added to simulated time to stamp exchange timestamps. */
  epochMicros: number;
}

export interface SimSink {
  /** One book update is 1..n level changes followed by endUpdate. qty 0 removes the level. */
  level(symbolIndex: number, side: Side, price: PriceTicks, qty: Qty): void;
  endUpdate(symbolIndex: number, exchangeTs: Micros): void;
  /** Emitted inside an update, before the level changes it causes. */
  trade(symbolIndex: number, aggressor: 0 | 1, price: PriceTicks, qty: Qty, exchangeTs: Micros, tradeId: number): void;
}

/**
 * Branded numbers, so a price can't be passed where a size is expected.
 * Prices are integer ticks of the instrument's tick size; sizes are integer lots of its lot size.
 * Both are kept in doubles, exact up to 2^53.
 */
export type PriceTicks = number & { readonly __unit: 'PriceTicks' };
export type Qty = number & { readonly __unit: 'Qty' };
/** Microseconds since the Unix epoch (exact in a double until the year 2255). */
export type Micros = number & { readonly __unit: 'Micros' };

export const Side = { Bid: 0, Ask: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const ticks = (n: number): PriceTicks => n as PriceTicks;
export const qty = (n: number): Qty => n as Qty;
export const micros = (n: number): Micros => n as Micros;

/**
 * Wall-clock microseconds from the high-resolution clock. timeOrigin is itself a high-resolution
 * epoch time, so stamps taken in different threads and processes on one machine compare.
 */
export function nowMicros(): Micros {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) as Micros;
}

export function ensureDefined<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be defined`);
  return value;
}

import type { PriceTicks, Qty } from './units';

/** A tradable instrument as Pulse shows it: one canonical symbol, `BASE-QUOTE`. */
export interface Instrument {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** Decimal string, e.g. "0.01": kept as text so precision is exact. */
  readonly tickSize: string;
  readonly lotSize: string;
}

export interface Precision {
  readonly priceDecimals: number;
  readonly sizeDecimals: number;
  /** tickSize in units of 10^-priceDecimals (1 for 0.01 at 2 decimals, 5 for 0.05). */
  readonly tickUnits: number;
  readonly lotUnits: number;
}

function decimalsOf(step: string): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.length - dot - 1;
}

function unitsOf(step: string, decimals: number): number {
  const [whole = '0', frac = ''] = step.split('.');
  return Number(whole + frac.padEnd(decimals, '0'));
}

export function precisionOf(inst: Pick<Instrument, 'tickSize' | 'lotSize'>): Precision {
  const priceDecimals = decimalsOf(inst.tickSize);
  const sizeDecimals = decimalsOf(inst.lotSize);
  return {
    priceDecimals,
    sizeDecimals,
    tickUnits: unitsOf(inst.tickSize, priceDecimals),
    lotUnits: unitsOf(inst.lotSize, sizeDecimals),
  };
}

/** Integer `units` of 10^-decimals as an exact decimal string ("6701230", 2 → "67012.30"). */
export function unitsToDecimal(units: number, decimals: number): string {
  const negative = units < 0;
  let digits = String(Math.abs(Math.round(units)));
  if (decimals > 0) {
    digits = digits.padStart(decimals + 1, '0');
    digits = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  }
  return negative ? `-${digits}` : digits;
}

export function formatPrice(price: PriceTicks, p: Precision): string {
  return unitsToDecimal(price * p.tickUnits, p.priceDecimals);
}

export function formatQty(size: Qty, p: Precision): string {
  return unitsToDecimal(size * p.lotUnits, p.sizeDecimals);
}

/** Price as a float for charts and arithmetic that tolerates rounding; never for keys. */
export function priceToNumber(price: PriceTicks, p: Precision): number {
  return (price * p.tickUnits) / 10 ** p.priceDecimals;
}

export function qtyToNumber(size: Qty, p: Precision): number {
  return (size * p.lotUnits) / 10 ** p.sizeDecimals;
}

/** Parses a decimal string into integer ticks; throws when it is not on the tick grid. */
export function parsePrice(text: string, p: Precision): PriceTicks {
  return parseOnGrid(text, p.priceDecimals, p.tickUnits, 'price') as PriceTicks;
}

export function parseQty(text: string, p: Precision): Qty {
  if (text.startsWith('-')) throw new Error(`size "${text}" is negative`);
  return parseOnGrid(text, p.sizeDecimals, p.lotUnits, 'size') as Qty;
}

function parseOnGrid(text: string, decimals: number, step: number, what: string): number {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`${what} "${text}" is not a decimal number`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) throw new Error(`${what} "${text}" has more than ${decimals} decimals`);
  const units = Number((m[2] || '0') + frac.padEnd(decimals, '0')) * (m[1] === '-' ? -1 : 1);
  if (!Number.isSafeInteger(units)) throw new Error(`${what} "${text}" has too many digits to be exact`);
  if (units % step !== 0) throw new Error(`${what} "${text}" is not a multiple of the step`);
  return units / step;
}

/**
 * Order arithmetic on the instrument grid: prices in integer ticks, quantities in integer lots,
 * decimal strings in and out (exact, via the shared formatter). Plain TS, no DOM.
 */
import { unitsToDecimal, type Precision } from '../../shared/instruments';

export type SnapMode = 'nearest' | 'down' | 'up';

/** Paper fees as the engine charges them by default (config trading.paper): shown as estimates only. */
export const PAPER_FEES = { takerBps: 5, makerBps: 1 } as const;

/**
 * Reads a decimal string as integer steps of `step` units of 10^-decimals, rounding per `mode`.
 * Exact on the digits (no float parsing of the whole number); NaN when it is not a plain decimal.
 */
function toSteps(text: string, decimals: number, step: number, mode: SnapMode): number {
  const m = /^\s*(\d*)(?:\.(\d*))?\s*$/.exec(text.replace(/,/g, ''));
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return NaN;
  const frac = m[2] ?? '';
  const units = Number((m[1] || '0') + frac.slice(0, decimals).padEnd(decimals, '0'));
  // beyond 2^53 the digits are no longer exact (the engine refuses those too)
  if (!Number.isSafeInteger(units)) return NaN;
  const beyond = frac.slice(decimals);
  const rest = /[1-9]/.test(beyond) ? Number(`0.${beyond}`) : 0;
  const below = Math.floor(units / step);
  // how far past the last whole step we are, in units of 10^-decimals
  const over = units - below * step + rest;
  if (over === 0 || mode === 'down') return below;
  if (mode === 'up') return below + 1;
  return over * 2 >= step ? below + 1 : below;
}

/** A price text on the tick grid (rounded per mode); NaN when unreadable. */
export function priceTextToTicks(text: string, p: Precision, mode: SnapMode = 'nearest'): number {
  return toSteps(text, p.priceDecimals, p.tickUnits, mode);
}

/** A quantity text in lots; rounds down by default so the order is never larger than typed. */
export function qtyTextToLots(text: string, p: Precision, mode: SnapMode = 'down'): number {
  return toSteps(text, p.sizeDecimals, p.lotUnits, mode);
}

export function ticksToText(ticks: number, p: Precision): string {
  return Number.isFinite(ticks) ? unitsToDecimal(ticks * p.tickUnits, p.priceDecimals) : '';
}

export function lotsToText(lots: number, p: Precision): string {
  return Number.isFinite(lots) ? unitsToDecimal(lots * p.lotUnits, p.sizeDecimals) : '';
}

/** Snaps a typed price onto the tick grid and returns it as text ('' when unreadable or not positive). */
export function snapPriceText(text: string, p: Precision, mode: SnapMode = 'nearest'): string {
  const t = priceTextToTicks(text, p, mode);
  return Number.isFinite(t) && t > 0 ? ticksToText(t, p) : '';
}

export function ticksToNumber(ticks: number, p: Precision): number {
  return (ticks * p.tickUnits) / 10 ** p.priceDecimals;
}

export function lotsToNumber(lots: number, p: Precision): number {
  return (lots * p.lotUnits) / 10 ** p.sizeDecimals;
}

/** Quote-currency notional of `lots` at `ticks`. */
export function notionalOf(lots: number, ticks: number, p: Precision): number {
  return lotsToNumber(lots, p) * ticksToNumber(ticks, p);
}

/** Whole lots that a notional buys at `ticks` (rounded down); NaN without a usable price. */
export function lotsForNotional(notional: number, ticks: number, p: Precision): number {
  const price = ticksToNumber(ticks, p);
  if (!(price > 0) || !Number.isFinite(notional) || notional < 0) return NaN;
  const lotValue = lotsToNumber(1, p) * price;
  // a hair of tolerance so 670.00 / 67000.00 is 0.01 BTC, not 0.00999
  return Math.floor(notional / lotValue + 1e-9);
}

export function feeEstimate(notional: number, liquidity: 'maker' | 'taker', fees: { takerBps: number; makerBps: number } = PAPER_FEES): number {
  return (notional * (liquidity === 'maker' ? fees.makerBps : fees.takerBps)) / 10_000;
}

/** Distance of a price from the mid in basis points (both in ticks; NaN without a mid). */
export function bpsFromMid(ticks: number, midTicks: number): number {
  return Number.isFinite(midTicks) && midTicks > 0 ? (Math.abs(ticks - midTicks) / midTicks) * 10_000 : NaN;
}

/** What the best levels of one side offer, for estimating a marketable order. */
export interface LevelSource {
  readonly depth: number;
  priceAt(rank: number): number;
  qtyAt(rank: number): number;
}

export interface Sweep {
  /** lots that the visible book would fill */
  lots: number;
  /** Σ ticks × lots of those fills */
  value: number;
  /** worst price reached (ticks), NaN when nothing fills */
  worstTicks: number;
}

/**
 * Walks the far side best first the way the paper venue does, up to `lots` and (for a limit)
 * no further than `limitTicks`. `isBuy` says which direction "within the limit" means.
 */
export function sweep(levels: LevelSource, lots: number, isBuy: boolean, limitTicks = NaN): Sweep {
  let left = lots;
  let value = 0;
  let worst = NaN;
  for (let i = 0; left > 0 && i < levels.depth; i++) {
    const price = levels.priceAt(i);
    if (Number.isFinite(limitTicks) && (isBuy ? price > limitTicks : price < limitTicks)) break;
    const take = Math.min(left, levels.qtyAt(i));
    left -= take;
    value += take * price;
    worst = price;
  }
  return { lots: lots - left, value, worstTicks: worst };
}

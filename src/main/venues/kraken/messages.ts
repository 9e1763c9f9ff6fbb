// Kraken WebSocket v2 message shapes: https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book
// (also …/trade, …/status, …/heartbeat). Book and trade messages are validated by hand (hot path);
// the rare control messages with zod.
import { z } from 'zod';
import { precisionOf } from '../../../shared/instruments';
import type { KrakenInstrument } from './symbols';

/** How one instrument's JSON numbers become integer ticks and lots. */
export interface Units {
  /** Kraken's price_precision / qty_precision, and 10 to their power */
  priceDecimals: number;
  qtyDecimals: number;
  priceScale: number;
  qtyScale: number;
  /** precision units per tick / per lot */
  tickUnits: number;
  lotUnits: number;
}

/** symbols.ts writes tickSize and lotSize with exactly Kraken's precisions, so the engine's units are Kraken's. */
export function unitsOf(inst: KrakenInstrument): Units {
  const p = precisionOf(inst);
  return { priceDecimals: p.priceDecimals, qtyDecimals: p.sizeDecimals, priceScale: 10 ** p.priceDecimals, qtyScale: 10 ** p.sizeDecimals, tickUnits: p.tickUnits, lotUnits: p.lotUnits };
}

const MAX_UNITS = 2 ** 52;

/**
 * A JSON number (or decimal string) as an integer count of 1/scale, or NaN when it is not
 * exactly a decimal with that many places. Exact: JSON.parse gives the double nearest the decimal
 * on the wire, and u / scale (both exact, one IEEE division) is the double nearest u·10^-p, so the
 * two are equal only for the right u; up to 2^52 units distinct decimals are distinct doubles.
 */
export function toUnits(x: unknown, scale: number): number {
  if (typeof x !== 'number') {
    if (typeof x !== 'string' || !/^-?\d+(\.\d+)?$/.test(x)) return NaN;
    x = Number(x);
  }
  // x·scale carries one rounding, so near 2^52 the nearest integer may be one off: try both neighbours.
  let u = Math.round((x as number) * scale);
  if (u / scale !== x) {
    if ((u + 1) / scale === x) u++;
    else if ((u - 1) / scale === x) u--;
    else return NaN;
  }
  return u <= MAX_UNITS && u >= -MAX_UNITS ? u : NaN;
}

/** Price in ticks (> 0) or NaN. */
export function priceTicks(x: unknown, u: Units): number {
  const units = toUnits(x, u.priceScale);
  return units > 0 && units % u.tickUnits === 0 ? units / u.tickUnits : NaN;
}

/** Size in lots (>= 0) or NaN. */
export function qtyLots(x: unknown, u: Units): number {
  const units = toUnits(x, u.qtyScale);
  return units >= 0 && units % u.lotUnits === 0 ? units / u.lotUnits : NaN;
}

/** text[at…] starts with lit (String.prototype.startsWith with a position is several times slower on V8). */
export function matchAt(text: string, at: number, lit: string): boolean {
  if (at + lit.length > text.length) return false;
  for (let k = 0; k < lit.length; k++) if (text.charCodeAt(at + k) !== lit.charCodeAt(k)) return false;
  return true;
}

let cachedPrefix = '';
let cachedPrefixMicros = 0;
const RFC3339_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** "2023-10-06T17:35:55.440295Z" → µs since the epoch; NaN when not in that shape. */
export const rfc3339Micros = (ts: string): number => rfc3339MicrosAt(ts, 0, ts.length);

/** The same for text[start, end), read in place; the date and time to the second are cached. */
export function rfc3339MicrosAt(text: string, start: number, end: number): number {
  const len = end - start;
  if (len < 20 || text.charCodeAt(end - 1) !== 90 /* Z */) return NaN;
  if (cachedPrefix === '' || !matchAt(text, start, cachedPrefix)) {
    const prefix = text.slice(start, start + 19);
    const ms = RFC3339_PREFIX.test(prefix) ? Date.parse(`${prefix}Z`) : NaN;
    if (ms !== ms) return NaN;
    cachedPrefix = prefix;
    cachedPrefixMicros = ms * 1000;
  }
  if (len === 20) return cachedPrefixMicros;
  if (text.charCodeAt(start + 19) !== 46 /* . */ || len === 21) return NaN;
  let frac = 0;
  let scale = 100_000;
  for (let i = start + 20; i < end - 1; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    frac += d * scale;
    scale /= 10;
  }
  return cachedPrefixMicros + Math.floor(frac);
}

/** Levels of one book message, converted, in wire order (bids first). */
export class LevelScratch {
  sides = new Uint8Array(256);
  prices = new Float64Array(256);
  qtys = new Float64Array(256);
  n = 0;

  push(side: 0 | 1, price: number, qty: number): void {
    if (this.n === this.sides.length) this.grow();
    this.sides[this.n] = side;
    this.prices[this.n] = price;
    this.qtys[this.n] = qty;
    this.n++;
  }

  private grow(): void {
    const sides = new Uint8Array(this.n * 2);
    const prices = new Float64Array(this.n * 2);
    const qtys = new Float64Array(this.n * 2);
    sides.set(this.sides);
    prices.set(this.prices);
    qtys.set(this.qtys);
    Object.assign(this, { sides, prices, qtys });
  }
}

/**
 * Appends one side's `[{price, qty}]` to `out`; returns what is wrong, or null. Snapshot levels
 * must have a size; an update's qty 0 removes the level.
 */
export function readLevels(levels: unknown, side: 0 | 1, u: Units, snapshot: boolean, out: LevelScratch): string | null {
  if (levels === undefined) return null;
  if (!Array.isArray(levels)) return `${side === 0 ? 'bids' : 'asks'} is not an array`;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as { price?: unknown; qty?: unknown } | null;
    if (typeof l !== 'object' || l === null) return `level ${i} is not an object`;
    const price = priceTicks(l.price, u);
    const qty = qtyLots(l.qty, u);
    if (price !== price) return `price ${JSON.stringify(l.price)} is not a positive price on the ${u.tickUnits}/${u.priceScale} grid`;
    if (qty !== qty || (snapshot && qty === 0)) return `qty ${JSON.stringify(l.qty)} is not a valid size`;
    out.push(side, price, qty);
  }
  return null;
}

export interface BookItem {
  symbol?: unknown;
  bids?: unknown;
  asks?: unknown;
  checksum?: unknown;
  timestamp?: unknown;
}

export interface TradeItem {
  symbol?: unknown;
  side?: unknown;
  price?: unknown;
  qty?: unknown;
  ord_type?: unknown;
  trade_id?: unknown;
  timestamp?: unknown;
}

export const isChecksum = (c: unknown): c is number => typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 0xffffffff;

/** Replies to our requests: {method, success, error?, result?: {channel, symbol}, symbol?}. */
export const MethodResponseSchema = z.object({
  method: z.string(),
  success: z.boolean().optional(),
  error: z.string().optional(),
  symbol: z.string().optional(),
  result: z.object({ channel: z.string().optional(), symbol: z.string().optional() }).optional(),
});
export type MethodResponse = z.infer<typeof MethodResponseSchema>;

/** {channel: "status", type: "update", data: [{system, api_version, connection_id, version}]} */
export const StatusSchema = z.object({
  channel: z.literal('status'),
  data: z.array(z.object({ system: z.string(), version: z.string().optional(), api_version: z.string().optional() })).min(1),
});

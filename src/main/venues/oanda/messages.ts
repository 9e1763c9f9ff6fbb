/**
 * Lines of the OANDA v20 price stream, validated by hand (the hot path: one per price change).
 * GET /v3/accounts/{accountID}/pricing/stream: https://developer.oanda.com/rest-live-v20/pricing-ep/
 * ClientPrice, PriceBucket, PricingHeartbeat: https://developer.oanda.com/rest-live-v20/pricing-df/
 *
 *   {"type":"PRICE","instrument":"EUR_USD","time":"2016-09-20T15:05:47.960449532Z","tradeable":true,
 *    "bids":[{"price":"1.11482","liquidity":10000000}],"asks":[…],"closeoutBid":"…","closeoutAsk":"…"}
 *   {"type":"HEARTBEAT","time":"2016-09-20T15:05:50.163791738Z"}
 */
import { parsePrice, parseQty, type Precision } from '../../../shared/instruments';

/**
 * A decimal string in integer steps of `step` × 10^-decimals, exactly as parsePrice/parseQty read
 * it, without their regex and string work (the hot path); NaN where they would throw.
 */
export function gridUnits(text: string, decimals: number, step: number): number {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let units = 0;
  let digits = 0;
  let frac = -1;
  let zeros = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      digits++;
      if (frac >= 0) {
        if (c === 0) {
          zeros++;
          continue;
        }
        frac += zeros + 1;
        if (frac > decimals) return NaN;
        for (; zeros > 0; zeros--) units *= 10;
      }
      units = units * 10 + c;
    } else if (c === -2 && frac < 0) {
      frac = 0;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || units > Number.MAX_SAFE_INTEGER) return NaN;
  for (let k = frac < 0 ? 0 : frac; k < decimals; k++) units *= 10;
  if (units > Number.MAX_SAFE_INTEGER || units % step !== 0) return NaN;
  return (negative ? -units : units) / step;
}

const priceError = (text: string, p: Precision): string => errorOf(() => parsePrice(text, p), `price "${text}" is not valid`);
const qtyError = (text: string, p: Precision): string => errorOf(() => parseQty(text, p), `liquidity "${text}" is not valid`);
function errorOf(parse: () => number, fallback: string): string {
  try {
    parse();
  } catch (err) {
    return (err as Error).message;
  }
  return fallback;
}

export interface PriceBucket {
  price: string;
  liquidity: number | string;
}

export interface PriceMessage {
  type: 'PRICE';
  instrument: string;
  time: string;
  tradeable?: boolean;
  /** deprecated by OANDA in favour of `tradeable`; read only when `tradeable` is absent */
  status?: string;
  bids: PriceBucket[];
  asks: PriceBucket[];
}

export type StreamLine =
  | { kind: 'price'; msg: PriceMessage }
  | { kind: 'heartbeat' }
  | { kind: 'unknown'; type: string }
  /** `instrument` when the line names one, so only that book need be doubted */
  | { kind: 'bad'; why: string; instrument?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Classifies one line; checks the shape of a PRICE (its numbers are checked by decodeLevels). */
export function readLine(text: string): StreamLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'bad', why: `not JSON: ${text.slice(0, 60)}` };
  }
  if (!isObject(v) || typeof v.type !== 'string') return { kind: 'bad', why: `no "type": ${text.slice(0, 60)}` };
  if (v.type === 'HEARTBEAT') return { kind: 'heartbeat' };
  if (v.type !== 'PRICE') return { kind: 'unknown', type: v.type.slice(0, 40) };
  if (typeof v.instrument !== 'string') return { kind: 'bad', why: 'PRICE without an instrument' };
  const instrument = v.instrument;
  if (typeof v.time !== 'string') return { kind: 'bad', why: 'PRICE without a time', instrument };
  if (!Array.isArray(v.bids) || !Array.isArray(v.asks)) return { kind: 'bad', why: 'PRICE without bids and asks lists', instrument };
  if (v.tradeable !== undefined && typeof v.tradeable !== 'boolean') return { kind: 'bad', why: 'PRICE with a non-boolean tradeable', instrument };
  if (v.tradeable === undefined && typeof v.status !== 'string') return { kind: 'bad', why: 'PRICE without tradeable', instrument };
  return { kind: 'price', msg: v as unknown as PriceMessage };
}

export const isTradeable = (m: PriceMessage): boolean => m.tradeable ?? m.status === 'tradeable';

/** One side of a PRICE in integer ticks and lots, best first, summed per price. */
export class SideLevels {
  prices = new Float64Array(16);
  qtys = new Float64Array(16);
  n = 0;

  has(price: number): boolean {
    for (let i = 0; i < this.n; i++) if (this.prices[i] === price) return true;
    return false;
  }

  /** Reads a bucket list; returns why it is bad, or null. */
  read(buckets: unknown[], p: Precision): string | null {
    this.n = 0;
    for (const b of buckets) {
      if (!isObject(b) || typeof b.price !== 'string') return 'a bucket without a price';
      const price = gridUnits(b.price, p.priceDecimals, p.tickUnits);
      if (!(price > 0)) return Number.isNaN(price) ? priceError(b.price, p) : `price "${b.price}" is not positive`;
      const liq = b.liquidity;
      const qty = typeof liq === 'number' && p.sizeDecimals === 0 && Number.isSafeInteger(liq) ? liq / p.lotUnits : gridUnits(liquidityText(liq), p.sizeDecimals, p.lotUnits);
      if (!Number.isInteger(qty)) return qtyError(liquidityText(liq), p);
      if (qty < 0) return `liquidity "${String(liq)}" is negative`;
      if (qty === 0) continue;
      this.add(price, qty);
    }
    return null;
  }

  private add(price: number, qty: number): void {
    for (let i = 0; i < this.n; i++) {
      if (this.prices[i] === price) {
        this.qtys[i]! += qty;
        return;
      }
    }
    if (this.n === this.prices.length) {
      const prices = new Float64Array(this.n * 2);
      const qtys = new Float64Array(this.n * 2);
      prices.set(this.prices);
      qtys.set(this.qtys);
      this.prices = prices;
      this.qtys = qtys;
    }
    this.prices[this.n] = price;
    this.qtys[this.n] = qty;
    this.n++;
  }

  best(sign: 1 | -1): number {
    let best = NaN;
    for (let i = 0; i < this.n; i++) if (!(sign * this.prices[i]! <= sign * best)) best = this.prices[i]!;
    return best;
  }
}

/** Liquidity is documented as an integer; accept a decimal string too. Anything else fails parseQty. */
function liquidityText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v))) return String(v);
  return `${String(v)}`.slice(0, 40) || '?';
}

let cachedPrefix = '\u0000';
let cachedSeconds = NaN;

/**
 * RFC 3339 date-time (nanoseconds at most) → µs since the epoch, exactly (nanoseconds truncated);
 * NaN when malformed. The seconds of the last stamp are cached: consecutive prices share them.
 */
export function rfc3339Micros(text: string): number {
  // Fast path: same second as the last stamp, "Z" zone, 1-9 fraction digits.
  const n = text.length;
  if (n > 21 && n <= 30 && text.charCodeAt(19) === 46 && text.charCodeAt(n - 1) === 90 && text.startsWith(cachedPrefix)) {
    let frac = 0;
    for (let i = 20; i < n - 1; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      if (i < 26) frac = frac * 10 + c;
    }
    for (let i = n - 1; i < 26; i++) frac *= 10;
    return cachedSeconds * 1_000_000 + frac;
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return NaN;
  const prefix = m[1]!;
  let seconds: number;
  if (prefix === cachedPrefix) {
    seconds = cachedSeconds;
  } else {
    const [y, mo, d, h, mi, s] = prefix.split(/[-T:]/).map(Number) as [number, number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return NaN;
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    if (new Date(ms).getUTCDate() !== d && s !== 60) return NaN;
    seconds = ms / 1000;
    cachedPrefix = prefix;
    cachedSeconds = seconds;
  }
  const frac = m[2] === undefined ? 0 : Number((m[2] + '00000').slice(0, 6));
  const zone = m[3]!;
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  return (seconds - offset) * 1_000_000 + frac;
}

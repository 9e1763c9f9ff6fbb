// Fast path for the message Kraken sends most: a one-symbol book update, compact JSON, in the
// documented field order (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book):
// {"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.1}],
//  "asks":[],"checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}
// Numbers are read from their decimal text straight into integer units (exact, no float). Anything
// else — other spacing or order, exponents, signs, more decimals than the pair has — is declined,
// and the general JSON.parse path decides (and reports what is wrong).
import type { LevelScratch, Units } from './messages';

const PREFIX = '{"channel":"book","type":"update","data":[{"symbol":"';
const BIDS = '","bids":[';
const ASKS = ',"asks":[';
const CHECKSUM = ',"checksum":';
const TIMESTAMP = ',"timestamp":"';
const PRICE = '{"price":';
const QTY = ',"qty":';
const END = '"}]}';
const MAX_UNITS = 2 ** 52;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

export interface ScannedUpdate<T> {
  /** what `lookup` gave for the symbol */
  target: T;
  checksum: number;
  /** where the timestamp's text starts and ends in the message */
  tsStart: number;
  tsEnd: number;
}

export const looksLikeBookUpdate = (text: string): boolean => text.startsWith(PREFIX);

export class BookScanner {
  private text = '';
  private i = 0;
  private readonly result: ScannedUpdate<unknown> = { target: null, checksum: 0, tsStart: 0, tsEnd: 0 };

  /** Levels into `out` (converted with the symbol's units); null to decline. The result object is reused. */
  scan<T extends { units: Units }>(text: string, lookup: (symbol: string) => T | undefined, out: LevelScratch): ScannedUpdate<T> | null {
    this.text = text;
    const symEnd = text.indexOf('"', PREFIX.length);
    if (symEnd < 0) return null;
    const target = lookup(text.slice(PREFIX.length, symEnd));
    if (!target || !text.startsWith(BIDS, symEnd)) return null;
    const u = target.units;
    this.i = symEnd + BIDS.length;
    out.n = 0;
    if (!this.levels(0, u, out) || !this.literal(ASKS) || !this.levels(1, u, out) || !this.literal(CHECKSUM)) return null;
    const checksum = this.int();
    if (!(checksum <= 0xffffffff) || !this.literal(TIMESTAMP)) return null;
    const tsEnd = text.indexOf('"', this.i);
    if (tsEnd < 0 || tsEnd + END.length !== text.length || !text.startsWith(END, tsEnd)) return null;
    const r = this.result as ScannedUpdate<T>;
    r.target = target;
    r.checksum = checksum;
    r.tsStart = this.i;
    r.tsEnd = tsEnd;
    return r;
  }

  private literal(lit: string): boolean {
    if (!this.text.startsWith(lit, this.i)) return false;
    this.i += lit.length;
    return true;
  }

  /** `{"price":P,"qty":Q}` entries up to and including `]`. */
  private levels(side: 0 | 1, u: Units, out: LevelScratch): boolean {
    const text = this.text;
    if (text.charCodeAt(this.i) === 93 /* ] */) {
      this.i++;
      return true;
    }
    for (;;) {
      if (!this.literal(PRICE)) return false;
      const pu = this.decimal(u.priceScale, u.priceDecimals);
      if (!(pu > 0) || (u.tickUnits !== 1 && pu % u.tickUnits !== 0) || !this.literal(QTY)) return false;
      const qu = this.decimal(u.qtyScale, u.qtyDecimals);
      if (!(qu >= 0) || (u.lotUnits !== 1 && qu % u.lotUnits !== 0) || text.charCodeAt(this.i) !== 125 /* } */) return false;
      out.push(side, pu / u.tickUnits, qu / u.lotUnits);
      const next = text.charCodeAt(this.i + 1);
      this.i += 2;
      if (next === 93 /* ] */) return true;
      if (next !== 44 /* , */) return false;
    }
  }

  /** Unsigned integer as JSON writes it (no leading zero); NaN when there is none. */
  private int(): number {
    const text = this.text;
    let v = 0;
    let n = 0;
    for (let c = text.charCodeAt(this.i); c >= 48 && c <= 57; c = text.charCodeAt(++this.i), n++) v = v * 10 + (c - 48);
    return n > 0 && n < 16 && (n === 1 || text.charCodeAt(this.i - n) !== 48) ? v : NaN;
  }

  /** An unsigned decimal as integer units of 1/scale (scale = 10^maxPlaces); NaN when not exactly that. */
  private decimal(scale: number, maxPlaces: number): number {
    const whole = this.int();
    if (whole !== whole) return NaN;
    const text = this.text;
    let frac = 0;
    let places = 0;
    if (text.charCodeAt(this.i) === 46 /* . */) {
      let c = text.charCodeAt(++this.i);
      if (c < 48 || c > 57) return NaN;
      for (; c >= 48 && c <= 57; c = text.charCodeAt(++this.i)) {
        if (places < maxPlaces) {
          frac = frac * 10 + (c - 48);
          places++;
        } else if (c !== 48) return NaN;
      }
    }
    const c = text.charCodeAt(this.i);
    if (c === 101 || c === 69 /* e E */) return NaN;
    const units = whole * scale + (places > 0 ? frac * (scale / POW10[places]!) : 0);
    return units <= MAX_UNITS ? units : NaN;
  }
}

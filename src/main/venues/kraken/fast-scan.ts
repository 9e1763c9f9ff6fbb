// Fast paths for the messages Kraken sends most, compact JSON in the documented field order
// (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book, …/trade):
// {"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.1}],
//  "asks":[],"checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}
// {"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"sell","price":45283.4,
//  "qty":0.0005,"ord_type":"market","trade_id":74215961,"timestamp":"2023-10-06T17:35:55.440295Z"}]}
// Numbers are read from their decimal text straight into integer units (exact, no float). Anything
// else (other spacing or order, exponents, signs, more decimals than the pair has) is declined,
// and the general JSON.parse path decides, and reports what is wrong.
import { matchAt, rfc3339MicrosAt, type LevelScratch, type Units } from './messages';

const BOOK_PREFIX = '{"channel":"book","type":"update","data":[{"symbol":"';
const BIDS = '","bids":[';
const ASKS = ',"asks":[';
const CHECKSUM = ',"checksum":';
const TIMESTAMP = ',"timestamp":"';
const PRICE = '{"price":';
const QTY = ',"qty":';
const BOOK_END = '"}]}';
const TRADE_PREFIX = '{"channel":"trade","type":"update","data":[';
const TRADE_SYMBOL = '{"symbol":"';
const SIDE = '","side":"';
const TRADE_PRICE = '","price":';
const ORD_TYPE = ',"ord_type":"';
const TRADE_ID = '","trade_id":';
const MAX_UNITS = 2 ** 52;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

export const looksLikeBookUpdate = (text: string): boolean => matchAt(text, 0, BOOK_PREFIX);
export const looksLikeTrades = (text: string): boolean => matchAt(text, 0, TRADE_PREFIX);

/** Reading position and the number readers both scanners share. */
class Scanner {
  protected text = '';
  protected i = 0;

  protected literal(lit: string): boolean {
    if (!matchAt(this.text, this.i, lit)) return false;
    this.i += lit.length;
    return true;
  }

  /** Unsigned integer as JSON writes it (no leading zero); NaN when there is none. */
  protected int(): number {
    const text = this.text;
    let v = 0;
    let n = 0;
    for (let c = text.charCodeAt(this.i); c >= 48 && c <= 57; c = text.charCodeAt(++this.i), n++) v = v * 10 + (c - 48);
    return n > 0 && n < 16 && (n === 1 || text.charCodeAt(this.i - n) !== 48) ? v : NaN;
  }

  /** An unsigned decimal as integer units of 1/scale (scale = 10^maxPlaces); NaN when not exactly that. */
  protected decimal(scale: number, maxPlaces: number): number {
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

export interface ScannedUpdate<T> {
  /** what `lookup` gave for the symbol */
  target: T;
  checksum: number;
  /** where the timestamp's text starts and ends in the message */
  tsStart: number;
  tsEnd: number;
}

export class BookScanner extends Scanner {
  private readonly result: ScannedUpdate<unknown> = { target: null, checksum: 0, tsStart: 0, tsEnd: 0 };

  /** Levels into `out` (converted with the symbol's units); null to decline. The result object is reused. */
  scan<T extends { units: Units }>(text: string, lookup: (symbol: string) => T | undefined, out: LevelScratch): ScannedUpdate<T> | null {
    this.text = text;
    const symEnd = text.indexOf('"', BOOK_PREFIX.length);
    if (symEnd < 0) return null;
    const target = lookup(text.slice(BOOK_PREFIX.length, symEnd));
    if (!target || !matchAt(text, symEnd, BIDS)) return null;
    const u = target.units;
    this.i = symEnd + BIDS.length;
    out.n = 0;
    if (!this.levels(0, u, out) || !this.literal(ASKS) || !this.levels(1, u, out) || !this.literal(CHECKSUM)) return null;
    const checksum = this.int();
    if (!(checksum <= 0xffffffff) || !this.literal(TIMESTAMP)) return null;
    const tsEnd = text.indexOf('"', this.i);
    if (tsEnd < 0 || tsEnd + BOOK_END.length !== text.length || !matchAt(text, tsEnd, BOOK_END)) return null;
    const r = this.result as ScannedUpdate<T>;
    r.target = target;
    r.checksum = checksum;
    r.tsStart = this.i;
    r.tsEnd = tsEnd;
    return r;
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

}

/** Trades of one message, converted; parallel arrays, `n` of them. */
export class TradeScratch<T> {
  targets: T[] = [];
  aggressors: (0 | 1)[] = [];
  prices: number[] = [];
  qtys: number[] = [];
  ids: number[] = [];
  times: number[] = [];
  n = 0;
}

export class TradeScanner extends Scanner {
  /** Fills `out`; false to decline. */
  scan<T extends { units: Units }>(text: string, lookup: (symbol: string) => T | undefined, out: TradeScratch<T>): boolean {
    this.text = text;
    this.i = TRADE_PREFIX.length;
    out.n = 0;
    for (;;) {
      if (!this.literal(TRADE_SYMBOL)) return false;
      const symEnd = text.indexOf('"', this.i);
      const target = symEnd < 0 ? undefined : lookup(text.slice(this.i, symEnd));
      if (!target) return false;
      this.i = symEnd;
      if (!this.literal(SIDE)) return false;
      const sell = matchAt(text, this.i, 'sell');
      if (!sell && !matchAt(text, this.i, 'buy')) return false;
      this.i += sell ? 4 : 3;
      const u = target.units;
      if (!this.literal(TRADE_PRICE)) return false;
      const pu = this.decimal(u.priceScale, u.priceDecimals);
      if (!(pu > 0) || (u.tickUnits !== 1 && pu % u.tickUnits !== 0) || !this.literal(QTY)) return false;
      const qu = this.decimal(u.qtyScale, u.qtyDecimals);
      if (!(qu > 0) || (u.lotUnits !== 1 && qu % u.lotUnits !== 0) || !this.literal(ORD_TYPE)) return false;
      const typeEnd = text.indexOf('"', this.i);
      if (typeEnd < 0) return false;
      this.i = typeEnd;
      if (!this.literal(TRADE_ID)) return false;
      const id = this.int();
      if (id !== id || !this.literal(TIMESTAMP)) return false;
      const tsEnd = text.indexOf('"', this.i);
      const ts = tsEnd < 0 ? NaN : rfc3339MicrosAt(text, this.i, tsEnd);
      if (ts !== ts || text.charCodeAt(tsEnd + 1) !== 125 /* } */) return false;
      const k = out.n++;
      out.targets[k] = target;
      out.aggressors[k] = sell ? 1 : 0;
      out.prices[k] = pu / u.tickUnits;
      out.qtys[k] = qu / u.lotUnits;
      out.ids[k] = id;
      out.times[k] = ts;
      const next = text.charCodeAt(tsEnd + 2);
      this.i = tsEnd + 3;
      if (next === 93 /* ] */) return this.i + 1 === text.length && text.charCodeAt(this.i) === 125;
      if (next !== 44 /* , */) return false;
    }
  }
}

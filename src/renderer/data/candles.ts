/** Candles (OHLC in price ticks, volume in lots) built from trades, one series per interval. */
export const CANDLE_INTERVALS = [1, 5, 60] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];
export const CANDLE_INTERVAL_LABELS: Record<CandleInterval, string> = { 1: '1s', 5: '5s', 60: '1m' };

export interface Candle {
  /** bucket start, seconds since epoch (UTC) */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  buyVolume: number;
}

export class CandleSeries {
  readonly candles: Candle[] = [];
  /** Bumped on every change. */
  version = 0;
  /** Bumped when anything but the last candle changed or candles were dropped: consumers reload everything. */
  rewrites = 0;

  constructor(
    readonly intervalSec: number,
    readonly maxCandles = 4000,
  ) {}

  /** Adds one trade: ts in µs since epoch, price in ticks, qty in lots. */
  add(tsMicros: number, price: number, qty: number, aggressor: 0 | 1): void {
    const interval = this.intervalSec;
    const time = Math.floor(tsMicros / 1e6 / interval) * interval;
    const list = this.candles;
    const last = list[list.length - 1];
    this.version++;
    if (last && time === last.time) {
      merge(last, price, qty, aggressor);
      return;
    }
    if (!last || time > last.time) {
      list.push(fresh(time, price, qty, aggressor));
      if (list.length > this.maxCandles + this.maxCandles / 4) {
        list.splice(0, list.length - this.maxCandles);
        this.rewrites++;
      }
      return;
    }
    // A late trade for an older bucket.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (list[m].time < time) lo = m + 1;
      else hi = m;
    }
    if (list[lo].time === time) merge(list[lo], price, qty, aggressor);
    else list.splice(lo, 0, fresh(time, price, qty, aggressor));
    this.rewrites++;
  }

  clear(): void {
    this.candles.length = 0;
    this.version++;
    this.rewrites++;
  }
}

function fresh(time: number, price: number, qty: number, aggressor: 0 | 1): Candle {
  return { time, open: price, high: price, low: price, close: price, volume: qty, buyVolume: aggressor === 0 ? qty : 0 };
}

function merge(c: Candle, price: number, qty: number, aggressor: 0 | 1): void {
  if (price > c.high) c.high = price;
  if (price < c.low) c.low = price;
  c.close = price;
  c.volume += qty;
  if (aggressor === 0) c.buyVolume += qty;
}

/** One series per interval, all fed by the same trades, so switching interval keeps history. */
export class CandleSet {
  readonly series = new Map<CandleInterval, CandleSeries>();

  constructor(maxCandles?: number) {
    for (const s of CANDLE_INTERVALS) this.series.set(s, new CandleSeries(s, maxCandles));
  }

  add(tsMicros: number, price: number, qty: number, aggressor: 0 | 1): void {
    for (const s of this.series.values()) s.add(tsMicros, price, qty, aggressor);
  }

  get(interval: CandleInterval): CandleSeries {
    return this.series.get(interval)!;
  }
}

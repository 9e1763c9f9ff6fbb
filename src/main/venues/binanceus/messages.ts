/**
 * Binance.US message shapes, validated by hand on the hot path (diff depth, trades) and with zod on
 * the cold one (REST snapshot). Nothing here touches the collector: a message is checked whole first.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 *       https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#order-book
 */
import { z } from 'zod';
import type { Precision } from '../../../shared/instruments';

/**
 * A non-negative decimal string as an integer count of `step` units at `decimals` places, or -1
 * when it is not a plain decimal, not on the grid, or too large to be exact. Same grammar as
 * parsePrice/parseQty in shared/instruments (which it is tested against), without their regex and
 * allocations: Binance sends every number with 8 decimals ("67012.34000000").
 */
export function parseUnits(text: unknown, decimals: number, step: number): number {
  if (typeof text !== 'string') return -1;
  const len = text.length;
  if (len === 0 || len > 40) return -1;
  let units = 0;
  let i = 0;
  let d = 0;
  for (; i < len; i++) {
    d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    units = units * 10 + d;
  }
  let digits = i;
  let frac = 0;
  if (i < len) {
    if (d !== -2) return -1; // '.'
    const start = ++i;
    const stop = Math.min(len, start + decimals);
    for (; i < stop; i++) {
      d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      units = units * 10 + d;
    }
    // digits past the grid's decimals must be zeros ("67012.34000000" at 2 decimals)
    for (; i < len; i++) if (text.charCodeAt(i) !== 48) return -1;
    frac = stop - start;
    digits += len - start;
  }
  if (digits === 0) return -1;
  for (; frac < decimals; frac++) units *= 10;
  if (units > Number.MAX_SAFE_INTEGER) return -1;
  if (step === 1) return units;
  return units % step === 0 ? units / step : -1;
}

/** Levels of one message, parsed into reusable typed arrays (grown, never shrunk). */
export class LevelScratch {
  n = 0;
  sides = new Uint8Array(256);
  prices = new Float64Array(256);
  qtys = new Float64Array(256);

  push(side: 0 | 1, price: number, qty: number): void {
    if (this.n === this.sides.length) this.grow();
    this.sides[this.n] = side;
    this.prices[this.n] = price;
    this.qtys[this.n] = qty;
    this.n++;
  }

  private grow(): void {
    const size = this.sides.length * 2;
    const s = new Uint8Array(size), p = new Float64Array(size), q = new Float64Array(size);
    s.set(this.sides);
    p.set(this.prices);
    q.set(this.qtys);
    this.sides = s;
    this.prices = p;
    this.qtys = q;
  }
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Parses `[["price","qty"], ...]` onto `out`; returns an error or null. Prices must be positive,
 * quantities non-negative ("0.00000000" removes the level); both on the instrument's grid.
 */
export function readLevels(raw: unknown, side: 0 | 1, p: Precision, out: LevelScratch): string | null {
  if (!Array.isArray(raw)) return `${side === 0 ? 'b' : 'a'} is not an array`;
  for (let i = 0; i < raw.length; i++) {
    const lvl = raw[i];
    if (!Array.isArray(lvl) || lvl.length < 2) return `level ${JSON.stringify(lvl)} is not [price, qty]`;
    const price = parseUnits(lvl[0], p.priceDecimals, p.tickUnits);
    if (price <= 0) return `price ${JSON.stringify(lvl[0])} is not a positive price on the tick grid`;
    const qty = parseUnits(lvl[1], p.sizeDecimals, p.lotUnits);
    if (qty < 0) return `quantity ${JSON.stringify(lvl[1])} is not a non-negative size on the lot grid`;
    out.push(side, price, qty);
  }
  return null;
}

/** Header of a diff depth event ({"e":"depthUpdate","E","s","U","u","b","a"}); levels go to a scratch. */
export interface DepthHeader {
  /** event time, ms */
  E: number;
  /** first and final update id in the event */
  U: number;
  u: number;
}

/** Validates a depthUpdate event whole into `head` and `out`; returns an error or null. */
export function readDepth(data: Record<string, unknown>, p: Precision, head: DepthHeader, out: LevelScratch): string | null {
  const { E, U, u } = data;
  if (!isMs(E)) return `depthUpdate E ${JSON.stringify(E)} is not a time`;
  if (!isId(U) || !isId(u) || u < U) return `depthUpdate U ${JSON.stringify(U)} / u ${JSON.stringify(u)} are not update ids with U <= u`;
  out.n = 0;
  const err = readLevels(data.b, 0, p, out) ?? readLevels(data.a, 1, p, out);
  if (err) return err;
  head.E = E;
  head.U = U;
  head.u = u;
  return null;
}

export interface Trade {
  E: number;
  T: number;
  id: number;
  price: number;
  qty: number;
  /** 1 (sell) when the buyer was the maker: the seller took liquidity */
  aggressor: 0 | 1;
}

/** Validates a trade event ({"e":"trade","E","s","t","p","q","T","m"}) into `out`; returns an error or null. */
export function readTrade(data: Record<string, unknown>, p: Precision, out: Trade): string | null {
  const { E, T, t, m } = data;
  if (!isMs(E) || !isMs(T)) return `trade E ${JSON.stringify(E)} / T ${JSON.stringify(T)} are not times`;
  if (!isId(t)) return `trade id ${JSON.stringify(t)} is not an id`;
  if (typeof m !== 'boolean') return `trade m ${JSON.stringify(m)} is not a boolean`;
  const price = parseUnits(data.p, p.priceDecimals, p.tickUnits);
  if (price <= 0) return `trade price ${JSON.stringify(data.p)} is not a positive price on the tick grid`;
  const qty = parseUnits(data.q, p.sizeDecimals, p.lotUnits);
  if (qty <= 0) return `trade quantity ${JSON.stringify(data.q)} is not a positive size on the lot grid`;
  out.E = E;
  out.T = T;
  out.id = t;
  out.price = price;
  out.qty = qty;
  out.aggressor = m ? 1 : 0;
  return null;
}

const levelPair = z.tuple([z.string(), z.string()]).rest(z.unknown());
export const DepthSnapshotSchema = z.object({
  lastUpdateId: z.number().int().nonnegative(),
  bids: z.array(levelPair),
  asks: z.array(levelPair),
});

export interface Snapshot {
  lastUpdateId: number;
  levels: LevelScratch;
}

/** GET /api/v3/depth answer → levels (validated whole, uncrossed, no empty level); throws with the reason. */
export function parseSnapshot(json: unknown, p: Precision): Snapshot {
  const r = DepthSnapshotSchema.safeParse(json);
  if (!r.success) throw new Error(`depth snapshot has the wrong shape: ${r.error.issues[0]?.message ?? 'invalid'}`);
  const levels = new LevelScratch();
  const err = readLevels(r.data.bids, 0, p, levels) ?? readLevels(r.data.asks, 1, p, levels);
  if (err) throw new Error(`depth snapshot: ${err}`);
  let bestBid = -Infinity;
  let bestAsk = Infinity;
  for (let i = 0; i < levels.n; i++) {
    if (levels.qtys[i] === 0) throw new Error('depth snapshot has a level of quantity 0');
    if (levels.sides[i] === 0) bestBid = Math.max(bestBid, levels.prices[i]!);
    else bestAsk = Math.min(bestAsk, levels.prices[i]!);
  }
  if (bestBid >= bestAsk) throw new Error(`depth snapshot is crossed (bid ${bestBid} >= ask ${bestAsk} ticks)`);
  return { lastUpdateId: r.data.lastUpdateId, levels };
}

/** `"banned until <epoch ms>"` in a 418/429 body (error -1003), or NaN. */
export function bannedUntil(message: string): number {
  const m = /banned until (\d{12,14})/.exec(message);
  return m ? Number(m[1]) : NaN;
}

import {
  FrameError, FrameFlags, FrameType, FrameWriter, LEVEL_BYTES, STATUS_FIELDS, TRADE_BYTES, readHeader,
  type BookPrecision, type FrameHeader, type VenueState, type VenueStatusFields,
} from './frames';

/** Level sources for encoding: parallel arrays, best first for snapshots, any order for deltas. */
export interface LevelList {
  count: number;
  prices: ArrayLike<number>;
  qtys: ArrayLike<number>;
}

export interface BookSnapshotArgs {
  venue: string;
  symbol: string;
  sentTs: number;
  stale: boolean;
  version: number;
  precision: BookPrecision;
  bids: LevelList;
  asks: LevelList;
}

export interface BookDeltaArgs {
  venue: string;
  symbol: string;
  sentTs: number;
  stale: boolean;
  version: number;
  prevVersion: number;
  firstTs: number;
  lastTs: number;
  bids: LevelList;
  asks: LevelList;
}

function writeLevels(w: FrameWriter, list: LevelList): void {
  for (let i = 0; i < list.count; i++) w.level(list.prices[i]!, list.qtys[i]!);
}

export function encodeBookSnapshot(w: FrameWriter, a: BookSnapshotArgs): ArrayBuffer {
  w.begin(FrameType.BookSnapshot, a.stale ? FrameFlags.Stale : 0, a.venue, a.symbol, a.sentTs);
  const p = a.precision;
  w.f64(a.version).u8(p.priceDecimals).u8(p.sizeDecimals).u16(0).u32(p.tickUnits).u32(p.lotUnits).u32(0);
  w.u32(a.bids.count).u32(a.asks.count);
  writeLevels(w, a.bids);
  writeLevels(w, a.asks);
  return w.finish();
}

export function encodeBookDelta(w: FrameWriter, a: BookDeltaArgs): ArrayBuffer {
  w.begin(FrameType.BookDelta, a.stale ? FrameFlags.Stale : 0, a.venue, a.symbol, a.sentTs);
  w.f64(a.version).f64(a.prevVersion).f64(a.firstTs).f64(a.lastTs);
  w.u32(a.bids.count).u32(a.asks.count);
  writeLevels(w, a.bids);
  writeLevels(w, a.asks);
  return w.finish();
}

/** Bytes a full snapshot frame of this many levels costs (for the compression ratio). */
export function snapshotFrameBytes(venue: string, symbol: string, levels: number): number {
  return ((16 + venue.length + symbol.length + 7) & ~7) + 32 + levels * LEVEL_BYTES;
}

export interface TradeList {
  count: number;
  ts: ArrayLike<number>;
  prices: ArrayLike<number>;
  qtys: ArrayLike<number>;
  ids: ArrayLike<number>;
  aggressors: ArrayLike<number>;
}

export function encodeTrades(w: FrameWriter, venue: string, symbol: string, sentTs: number, t: TradeList): ArrayBuffer {
  w.begin(FrameType.Trades, 0, venue, symbol, sentTs);
  w.u32(t.count).u32(0);
  for (let i = 0; i < t.count; i++) {
    w.f64(t.ts[i]!).f64(t.prices[i]!).f64(t.qtys[i]!).f64(t.ids[i]!).u8(t.aggressors[i]!).zeros(7);
  }
  return w.finish();
}

export function encodeVenueStatus(w: FrameWriter, venue: string, sentTs: number, state: VenueState, f: VenueStatusFields): ArrayBuffer {
  w.begin(FrameType.VenueStatus, 0, venue, '', sentTs);
  w.u8(state).zeros(7);
  for (const name of STATUS_FIELDS) w.f64(f[name]);
  return w.finish();
}

// ---- decoding: visitors over a DataView, no per-level allocation ----

export interface BookFrameInfo {
  version: number;
  /** BookDelta only; NaN for snapshots */
  prevVersion: number;
  firstTs: number;
  lastTs: number;
  /** BookSnapshot only */
  precision: BookPrecision | null;
  nBids: number;
  nAsks: number;
  /** byte offset of the first level */
  levels: number;
}

function need(view: DataView, end: number, what: string): void {
  if (end > view.byteLength) throw new FrameError(`${what} runs past the frame's end (${end} > ${view.byteLength})`);
}

export function readBookInfo(view: DataView, h: FrameHeader): BookFrameInfo {
  let p = h.body;
  if (h.type === FrameType.BookSnapshot) {
    need(view, p + 32, 'snapshot header');
    const info: BookFrameInfo = {
      version: view.getFloat64(p, true),
      prevVersion: NaN,
      firstTs: NaN,
      lastTs: NaN,
      precision: {
        priceDecimals: view.getUint8(p + 8),
        sizeDecimals: view.getUint8(p + 9),
        tickUnits: view.getUint32(p + 12, true),
        lotUnits: view.getUint32(p + 16, true),
      },
      nBids: view.getUint32(p + 24, true),
      nAsks: view.getUint32(p + 28, true),
      levels: p + 32,
    };
    need(view, info.levels + (info.nBids + info.nAsks) * LEVEL_BYTES, 'snapshot levels');
    return info;
  }
  if (h.type !== FrameType.BookDelta) throw new FrameError(`frame type ${h.type} is not a book frame`);
  need(view, p + 40, 'delta header');
  const info: BookFrameInfo = {
    version: view.getFloat64(p, true),
    prevVersion: view.getFloat64(p + 8, true),
    firstTs: view.getFloat64(p + 16, true),
    lastTs: view.getFloat64(p + 24, true),
    precision: null,
    nBids: view.getUint32(p + 32, true),
    nAsks: view.getUint32(p + 36, true),
    levels: (p += 40),
  };
  need(view, info.levels + (info.nBids + info.nAsks) * LEVEL_BYTES, 'delta levels');
  return info;
}

/** Calls fn for every level: side 0 = bid, 1 = ask. */
export function forEachLevel(view: DataView, info: BookFrameInfo, fn: (side: 0 | 1, price: number, qty: number) => void): void {
  let p = info.levels;
  for (let i = 0; i < info.nBids; i++, p += LEVEL_BYTES) fn(0, view.getFloat64(p, true), view.getFloat64(p + 8, true));
  for (let i = 0; i < info.nAsks; i++, p += LEVEL_BYTES) fn(1, view.getFloat64(p, true), view.getFloat64(p + 8, true));
}

export interface TradeRow {
  ts: number;
  price: number;
  qty: number;
  id: number;
  aggressor: 0 | 1;
}

export function forEachTrade(view: DataView, h: FrameHeader, fn: (ts: number, price: number, qty: number, id: number, aggressor: 0 | 1) => void): number {
  if (h.type !== FrameType.Trades) throw new FrameError(`frame type ${h.type} is not a trades frame`);
  need(view, h.body + 8, 'trades header');
  const count = view.getUint32(h.body, true);
  need(view, h.body + 8 + count * TRADE_BYTES, 'trades');
  let p = h.body + 8;
  for (let i = 0; i < count; i++, p += TRADE_BYTES) {
    fn(view.getFloat64(p, true), view.getFloat64(p + 8, true), view.getFloat64(p + 16, true), view.getFloat64(p + 24, true), (view.getUint8(p + 32) & 1) as 0 | 1);
  }
  return count;
}

export function readVenueStatus(view: DataView, h: FrameHeader): { state: VenueState; fields: VenueStatusFields } {
  if (h.type !== FrameType.VenueStatus) throw new FrameError(`frame type ${h.type} is not a venue status frame`);
  need(view, h.body + 8 + STATUS_FIELDS.length * 8, 'venue status');
  const fields = {} as VenueStatusFields;
  STATUS_FIELDS.forEach((name, i) => (fields[name] = view.getFloat64(h.body + 8 + i * 8, true)));
  return { state: view.getUint8(h.body) as VenueState, fields };
}

/** Whole-frame decode into plain objects: for tests, tools and the REST layer, not the hot path. */
export type DecodedFrame =
  | { header: FrameHeader; kind: 'book'; info: BookFrameInfo; bids: Array<[number, number]>; asks: Array<[number, number]> }
  | { header: FrameHeader; kind: 'trades'; trades: TradeRow[] }
  | { header: FrameHeader; kind: 'status'; state: VenueState; fields: VenueStatusFields };

export function decodeFrame(buf: ArrayBuffer): DecodedFrame {
  const view = new DataView(buf);
  const header = readHeader(view);
  if (header.type === FrameType.Trades) {
    const trades: TradeRow[] = [];
    forEachTrade(view, header, (ts, price, qty, id, aggressor) => trades.push({ ts, price, qty, id, aggressor }));
    return { header, kind: 'trades', trades };
  }
  if (header.type === FrameType.VenueStatus) return { header, kind: 'status', ...readVenueStatus(view, header) };
  const info = readBookInfo(view, header);
  const bids: Array<[number, number]> = [];
  const asks: Array<[number, number]> = [];
  forEachLevel(view, info, (side, price, qty) => (side === 0 ? bids : asks).push([price, qty]));
  return { header, kind: 'book', info, bids, asks };
}

/**
 * Fixed-size records carried in an SpscRing: book deltas (256 B) and trades (128 B).
 * Byte layout: docs/rings.md. Integers are little endian; f64 fields go through the ring's
 * Float64Array (host order, checked little endian below), so every f64 sits 8-byte aligned.
 * Readers and writers take (ring, byteOffset) and allocate nothing.
 */
import { Side, type Micros, type PriceTicks, type Qty } from '../../shared/units';
import type { SpscRing } from './spsc-ring';

export const BOOK_RECORD_SIZE = 256;
export const TRADE_RECORD_SIZE = 128;
export const MAX_LEVELS_PER_RECORD = 13;

export const RecordKind = { BookDelta: 1, Trade: 2 } as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

export const BookFlags = {
  /** The update replaces the whole book (set on every record of the update). */
  Snapshot: 1,
  /** More records of the same update follow this one. */
  Continued: 2,
  /** Reserved. */
  StaleCleared: 4,
} as const;

export const Aggressor = { Buy: 0, Sell: 1 } as const;
export type Aggressor = (typeof Aggressor)[keyof typeof Aggressor];

// Inputs take plain numbers (branded PriceTicks/Qty/Micros pass too); readers return the brands.
export interface BookUpdateHeader {
  venueId: number;
  symbolId: number;
  /** µs since the epoch; NaN when the venue gives none. */
  exchangeTs: number;
  recvTs: number;
  version: number;
  prevVersion: number;
  snapshot: boolean;
}

export interface TradeFields {
  venueId: number;
  symbolId: number;
  exchangeTs: number;
  recvTs: number;
  /** Venue trade sequence; NaN when none. */
  tradeId: number;
  aggressor: Aggressor;
  price: number;
  qty: number;
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('records: the f64 fields are stored in host order, which must be little endian');
}

// f64 word indices within a record (byte offset / 8).
const F_EXCHANGE_TS = 1;
const F_RECV_TS = 2;
const F_VERSION = 3;
const F_PREV_VERSION = 4;
const F_LEVELS = 5;
const F_BOOK_RESERVED = 31;
const F_TRADE_ID = 3;
const F_TRADE_PRICE = 4;
const F_TRADE_QTY = 5;
const F_TRADE_RESERVED = 6;
const TRADE_WORDS = TRADE_RECORD_SIZE / 8;

function checkIds(venueId: number, symbolId: number): void {
  if ((venueId & 0xff) !== venueId || (symbolId & 0xffff) !== symbolId) {
    throw new RangeError(`records: venueId ${venueId} must fit u8 and symbolId ${symbolId} u16`);
  }
}

/** Records needed for an update of `count` level changes (a 0-level update still takes one). */
export function bookRecordsFor(count: number): number {
  return count === 0 ? 1 : Math.ceil(count / MAX_LEVELS_PER_RECORD);
}

/**
 * Writes one logical book update as ceil(count/13) records (at least one), all claimed before
 * any is written and published together. Returns false, writing nothing, when the ring lacks room.
 * `sides[i]` is a Side (0 bid, 1 ask).
 */
export function writeBookUpdate(
  ring: SpscRing,
  header: BookUpdateHeader,
  sides: Uint8Array | number[],
  prices: Float64Array | number[],
  qtys: Float64Array | number[],
  count: number,
): boolean {
  if (ring.slotSize < BOOK_RECORD_SIZE) throw new RangeError(`records: slot of ${ring.slotSize} B is too small for a book record`);
  if (!(count >= 0 && count <= sides.length && count <= prices.length && count <= qtys.length) || count % 1 !== 0) {
    throw new RangeError(`records: count ${count} is not an integer within the level arrays`);
  }
  checkIds(header.venueId, header.symbolId);
  const records = bookRecordsFor(count);
  if (records > ring.capacity) throw new RangeError(`records: an update of ${count} levels can never fit a ring of ${ring.capacity} slots`);
  if (!ring.hasRoom(records)) return false;

  const view = ring.view;
  const f64 = ring.f64;
  const { venueId, symbolId, exchangeTs, recvTs, version, prevVersion } = header;
  const baseFlags = header.snapshot ? BookFlags.Snapshot : 0;
  let level = 0;
  for (let r = 0; r < records; r++) {
    const off = ring.claim();
    const w = off >> 3;
    const n = Math.min(MAX_LEVELS_PER_RECORD, count - level);
    let askMask = 0;
    for (let i = 0; i < n; i++, level++) {
      if (sides[level] === Side.Ask) askMask |= 1 << i;
      f64[w + F_LEVELS + 2 * i] = prices[level];
      f64[w + F_LEVELS + 2 * i + 1] = qtys[level];
    }
    const flags = r < records - 1 ? baseFlags | BookFlags.Continued : baseFlags;
    // Bytes 0..3 (kind, flags, count, venueId) and 4..7 (symbolId, askMask) as two LE words.
    view.setUint32(off, (RecordKind.BookDelta | (flags << 8) | (n << 16) | (venueId << 24)) >>> 0, true);
    view.setUint32(off + 4, (symbolId | (askMask << 16)) >>> 0, true);
    f64[w + F_EXCHANGE_TS] = exchangeTs;
    f64[w + F_RECV_TS] = recvTs;
    f64[w + F_VERSION] = version;
    f64[w + F_PREV_VERSION] = prevVersion;
    f64[w + F_BOOK_RESERVED] = 0;
  }
  ring.publish();
  return true;
}

/** Writes and publishes one trade record; false when the ring is full. */
export function writeTrade(ring: SpscRing, t: TradeFields): boolean {
  if (ring.slotSize < TRADE_RECORD_SIZE) throw new RangeError(`records: slot of ${ring.slotSize} B is too small for a trade record`);
  checkIds(t.venueId, t.symbolId);
  const off = ring.claim();
  if (off < 0) return false;
  const view = ring.view;
  const f64 = ring.f64;
  const w = off >> 3;
  // Bytes 0..3: kind, aggressor, reserved 0, venueId; 4..7: symbolId, reserved 0.
  view.setUint32(off, (RecordKind.Trade | ((t.aggressor & 0xff) << 8) | (t.venueId << 24)) >>> 0, true);
  view.setUint32(off + 4, t.symbolId, true);
  f64[w + F_EXCHANGE_TS] = t.exchangeTs;
  f64[w + F_RECV_TS] = t.recvTs;
  f64[w + F_TRADE_ID] = t.tradeId;
  f64[w + F_TRADE_PRICE] = t.price;
  f64[w + F_TRADE_QTY] = t.qty;
  for (let i = F_TRADE_RESERVED; i < TRADE_WORDS; i++) f64[w + i] = 0;
  ring.publish();
  return true;
}

export const recordKind = (ring: SpscRing, off: number): number => ring.bytes[off];

export const bookFlags = (ring: SpscRing, off: number): number => ring.bytes[off + 1];
export const bookCount = (ring: SpscRing, off: number): number => ring.bytes[off + 2];
export const bookVenueId = (ring: SpscRing, off: number): number => ring.bytes[off + 3];
export const bookSymbolId = (ring: SpscRing, off: number): number => ring.view.getUint16(off + 4, true);
export const bookAskMask = (ring: SpscRing, off: number): number => ring.view.getUint16(off + 6, true);
export const bookExchangeTs = (ring: SpscRing, off: number): Micros => ring.f64[(off >> 3) + F_EXCHANGE_TS] as Micros;
export const bookRecvTs = (ring: SpscRing, off: number): Micros => ring.f64[(off >> 3) + F_RECV_TS] as Micros;
export const bookVersion = (ring: SpscRing, off: number): number => ring.f64[(off >> 3) + F_VERSION];
export const bookPrevVersion = (ring: SpscRing, off: number): number => ring.f64[(off >> 3) + F_PREV_VERSION];
export const bookLevelSide = (ring: SpscRing, off: number, i: number): Side =>
  ((ring.view.getUint16(off + 6, true) >> i) & 1) as Side;
export const bookLevelPrice = (ring: SpscRing, off: number, i: number): PriceTicks =>
  ring.f64[(off >> 3) + F_LEVELS + 2 * i] as PriceTicks;
export const bookLevelQty = (ring: SpscRing, off: number, i: number): Qty => ring.f64[(off >> 3) + F_LEVELS + 2 * i + 1] as Qty;

export const tradeAggressor = (ring: SpscRing, off: number): Aggressor => ring.bytes[off + 1] as Aggressor;
export const tradeVenueId = (ring: SpscRing, off: number): number => ring.bytes[off + 3];
export const tradeSymbolId = (ring: SpscRing, off: number): number => ring.view.getUint16(off + 4, true);
export const tradeExchangeTs = (ring: SpscRing, off: number): Micros => ring.f64[(off >> 3) + F_EXCHANGE_TS] as Micros;
export const tradeRecvTs = (ring: SpscRing, off: number): Micros => ring.f64[(off >> 3) + F_RECV_TS] as Micros;
export const tradeTradeId = (ring: SpscRing, off: number): number => ring.f64[(off >> 3) + F_TRADE_ID];
export const tradePrice = (ring: SpscRing, off: number): PriceTicks => ring.f64[(off >> 3) + F_TRADE_PRICE] as PriceTicks;
export const tradeQty = (ring: SpscRing, off: number): Qty => ring.f64[(off >> 3) + F_TRADE_QTY] as Qty;

/**
 * Pulse binary frame codec, used by the engine (encode) and the renderer (decode).
 * This comment is the one place the format is documented. All numbers are little endian.
 *
 * Header (16 bytes + names, padded to a multiple of 8):
 *   0  u8  magic 0x50 ('P')
 *   1  u8  codec version (CODEC_VERSION); a decoder rejects any other
 *   2  u8  frame type (FrameType)
 *   3  u8  flags (FrameFlags)
 *   4  u8  venue id length V (ASCII)
 *   5  u8  symbol length S (ASCII; 0 for venue frames)
 *   6  u16 reserved (0)
 *   8  f64 sentTs: engine wall clock, µs since epoch, when the frame was made
 *   16 V bytes venue, S bytes symbol, zero padding to the next multiple of 8 → body
 *
 * BookSnapshot body:
 *   f64 version, u8 priceDecimals, u8 sizeDecimals, u16 0, u32 tickUnits, u32 lotUnits, u32 0,
 *   u32 nBids, u32 nAsks, then nBids bids best-first and nAsks asks best-first,
 *   each level { f64 priceTicks, f64 qtyLots }.
 * BookDelta body:
 *   f64 version, f64 prevVersion (apply only on a book at exactly prevVersion, else ask for a
 *   snapshot), f64 firstTs, f64 lastTs (engine receive time of the oldest and newest change
 *   coalesced into it, µs), u32 nBids, u32 nAsks, levels as above; qty 0 removes the level.
 * Trades body:
 *   u32 count, u32 0, then count × { f64 exchangeTs, f64 priceTicks, f64 qtyLots, f64 tradeId,
 *   u8 aggressor (0 buy, 1 sell), 7 bytes 0 } (40 bytes each).
 * VenueStatus body (symbol empty):
 *   u8 state (VenueState), 7 bytes 0, then f64 × STATUS_FIELDS.length in that order.
 *
 * Flags: STALE (book frames) — the engine's copy is not known to be exact (gap, overflow,
 * disconnect); the renderer must show it as stale, never as live.
 */
export const FRAME_MAGIC = 0x50;
export const CODEC_VERSION = 1;
export const LEVEL_BYTES = 16;
export const TRADE_BYTES = 40;

export const FrameType = { BookSnapshot: 1, BookDelta: 2, Trades: 3, VenueStatus: 4 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const FrameFlags = { Stale: 1 } as const;

export const VenueState = { Connecting: 0, Live: 1, Stale: 2, Resyncing: 3, BreakerOpen: 4, Stopped: 5 } as const;
export type VenueState = (typeof VenueState)[keyof typeof VenueState];
export const VENUE_STATE_NAMES = ['connecting', 'live', 'stale', 'resyncing', 'breaker-open', 'stopped'] as const;
export type VenueStateName = (typeof VENUE_STATE_NAMES)[number];

export const STATUS_FIELDS = [
  'msgsPerSec', 'updates', 'trades', 'gaps', 'resyncs', 'overflows', 'reconnects', 'checksumFailures', 'badMessages',
  'latencyP50Us', 'latencyP99Us',
] as const;
export type VenueStatusFields = Record<(typeof STATUS_FIELDS)[number], number>;

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export interface FrameHeader {
  type: FrameType;
  flags: number;
  venue: string;
  symbol: string;
  sentTs: number;
  /** byte offset of the body */
  body: number;
}

export interface BookPrecision {
  priceDecimals: number;
  sizeDecimals: number;
  tickUnits: number;
  lotUnits: number;
}

const pad8 = (n: number): number => (n + 7) & ~7;

function asciiLength(text: string, what: string): number {
  if (text.length > 255) throw new FrameError(`${what} "${text.slice(0, 20)}…" is longer than 255 characters`);
  return text.length;
}

/** A growable little-endian writer; one per encoder, reused across frames so encoding allocates only the result. */
export class FrameWriter {
  private buf = new ArrayBuffer(4096);
  private view = new DataView(this.buf);
  private bytes = new Uint8Array(this.buf);
  pos = 0;

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(this.bytes.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next);
    this.bytes = new Uint8Array(next);
  }

  begin(type: FrameType, flags: number, venue: string, symbol: string, sentTs: number): this {
    const v = asciiLength(venue, 'venue');
    const s = asciiLength(symbol, 'symbol');
    this.pos = 0;
    this.ensure(16 + v + s + 8);
    const dv = this.view;
    dv.setUint8(0, FRAME_MAGIC);
    dv.setUint8(1, CODEC_VERSION);
    dv.setUint8(2, type);
    dv.setUint8(3, flags);
    dv.setUint8(4, v);
    dv.setUint8(5, s);
    dv.setUint16(6, 0, true);
    dv.setFloat64(8, sentTs, true);
    let p = 16;
    for (let i = 0; i < v; i++) this.bytes[p++] = venue.charCodeAt(i) & 0x7f;
    for (let i = 0; i < s; i++) this.bytes[p++] = symbol.charCodeAt(i) & 0x7f;
    const end = pad8(p);
    this.bytes.fill(0, p, end);
    this.pos = end;
    return this;
  }

  f64(x: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
    return this;
  }

  u32(x: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, x, true);
    this.pos += 4;
    return this;
  }

  u16(x: number): this {
    this.ensure(2);
    this.view.setUint16(this.pos, x, true);
    this.pos += 2;
    return this;
  }

  u8(x: number): this {
    this.ensure(1);
    this.view.setUint8(this.pos, x);
    this.pos += 1;
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.bytes.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  level(price: number, qty: number): this {
    this.ensure(LEVEL_BYTES);
    this.view.setFloat64(this.pos, price, true);
    this.view.setFloat64(this.pos + 8, qty, true);
    this.pos += LEVEL_BYTES;
    return this;
  }

  /** Patches a u32 written earlier (counts known only after the levels are written). */
  patchU32(at: number, x: number): void {
    this.view.setUint32(at, x, true);
  }

  /** The frame so far, as its own ArrayBuffer (safe to transfer). */
  finish(): ArrayBuffer {
    return this.buf.slice(0, this.pos);
  }
}

export function readHeader(view: DataView): FrameHeader {
  if (view.byteLength < 16) throw new FrameError(`frame of ${view.byteLength} bytes is shorter than its 16-byte header`);
  if (view.getUint8(0) !== FRAME_MAGIC) throw new FrameError(`bad magic 0x${view.getUint8(0).toString(16)}`);
  const version = view.getUint8(1);
  if (version !== CODEC_VERSION) throw new FrameError(`codec version ${version} is not ${CODEC_VERSION}`);
  const type = view.getUint8(2);
  if (type < FrameType.BookSnapshot || type > FrameType.VenueStatus) throw new FrameError(`unknown frame type ${type}`);
  const v = view.getUint8(4);
  const s = view.getUint8(5);
  if (16 + v + s > view.byteLength) throw new FrameError('frame names run past its end');
  let venue = '';
  for (let i = 0; i < v; i++) venue += String.fromCharCode(view.getUint8(16 + i));
  let symbol = '';
  for (let i = 0; i < s; i++) symbol += String.fromCharCode(view.getUint8(16 + v + i));
  return { type: type as FrameType, flags: view.getUint8(3), venue, symbol, sentTs: view.getFloat64(8, true), body: pad8(16 + v + s) };
}

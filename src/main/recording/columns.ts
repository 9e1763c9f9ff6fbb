/**
 * One batch of recorded rows as typed arrays: the engine thread fills them in place (no
 * allocation per event), hands them to the recorder worker by transfer, and gets them back
 * once their bytes are on disk.
 */
import { NO_SYMBOL, NO_U8, RowKind } from './schema';

export interface ColumnBatch {
  recvTs: Float64Array;
  /** NaN: none */
  exchangeTs: Float64Array;
  venue: Uint8Array;
  /** NO_SYMBOL: none (status rows) */
  symbol: Uint16Array;
  kind: Uint8Array;
  flags: Uint8Array;
  /** NO_U8: none */
  side: Uint8Array;
  /** NaN: none, in every f64 column below */
  price: Float64Array;
  qty: Float64Array;
  version: Float64Array;
  prevVersion: Float64Array;
  tradeId: Float64Array;
  /** index into STATE_NAMES; NO_U8: none */
  state: Uint8Array;
}

export function allocBatch(capacity: number): ColumnBatch {
  return {
    recvTs: new Float64Array(capacity),
    exchangeTs: new Float64Array(capacity),
    venue: new Uint8Array(capacity),
    symbol: new Uint16Array(capacity),
    kind: new Uint8Array(capacity),
    flags: new Uint8Array(capacity),
    side: new Uint8Array(capacity),
    price: new Float64Array(capacity),
    qty: new Float64Array(capacity),
    version: new Float64Array(capacity),
    prevVersion: new Float64Array(capacity),
    tradeId: new Float64Array(capacity),
    state: new Uint8Array(capacity),
  };
}

export function batchCapacity(b: ColumnBatch): number {
  return b.recvTs.length;
}

export function transferList(b: ColumnBatch): ArrayBuffer[] {
  return Object.values(b).map((a: Float64Array | Uint8Array | Uint16Array) => a.buffer as ArrayBuffer);
}

/** Writes row `r` as a venue state change (no symbol, no level): `state` indexes STATE_NAMES. */
export function putStatusRow(c: ColumnBatch, r: number, recvTs: number, venueIndex: number, state: number): void {
  c.recvTs[r] = recvTs;
  c.exchangeTs[r] = NaN;
  c.venue[r] = venueIndex;
  c.symbol[r] = NO_SYMBOL;
  c.kind[r] = RowKind.Status;
  c.flags[r] = 0;
  c.side[r] = NO_U8;
  c.price[r] = NaN;
  c.qty[r] = NaN;
  c.version[r] = NaN;
  c.prevVersion[r] = NaN;
  c.tradeId[r] = NaN;
  c.state[r] = state;
}

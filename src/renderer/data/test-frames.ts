/** Frame builders for the unit tests (DOM-free). */
import { FrameWriter, readHeader, type BookPrecision, type FrameHeader } from '../../shared/frames';
import { encodeBookDelta, encodeBookSnapshot, encodeTrades, type LevelList } from '../../shared/frame-codec';

export const PREC: BookPrecision = { priceDecimals: 2, sizeDecimals: 3, tickUnits: 1, lotUnits: 1 };
const w = new FrameWriter();

export function levels(pairs: Array<[number, number]>): LevelList {
  return { count: pairs.length, prices: pairs.map((p) => p[0]), qtys: pairs.map((p) => p[1]) };
}

export interface Built {
  buf: ArrayBuffer;
  view: DataView;
  header: FrameHeader;
}

function built(buf: ArrayBuffer): Built {
  const view = new DataView(buf);
  return { buf, view, header: readHeader(view) };
}

export function snapshot(version: number, bids: Array<[number, number]>, asks: Array<[number, number]>, stale = false, venue = 'sim', symbol = 'BTC-USD'): Built {
  return built(encodeBookSnapshot(w, { venue, symbol, sentTs: 1, stale, version, precision: PREC, bids: levels(bids), asks: levels(asks) }));
}

export function delta(prevVersion: number, version: number, bids: Array<[number, number]>, asks: Array<[number, number]>, stale = false, venue = 'sim', symbol = 'BTC-USD'): Built {
  return built(encodeBookDelta(w, { venue, symbol, sentTs: 2, stale, version, prevVersion, firstTs: 1, lastTs: 2, bids: levels(bids), asks: levels(asks) }));
}

export function trades(rows: Array<[ts: number, price: number, qty: number, aggressor: 0 | 1]>, venue = 'sim', symbol = 'BTC-USD'): Built {
  return built(
    encodeTrades(w, venue, symbol, 3, {
      count: rows.length,
      ts: rows.map((r) => r[0]),
      prices: rows.map((r) => r[1]),
      qtys: rows.map((r) => r[2]),
      ids: rows.map((_, i) => i + 1),
      aggressors: rows.map((r) => r[3]),
    }),
  );
}

/**
 * Reads a recording back: the complete files of the manifest, in order, each record batch decoded
 * into plain typed arrays (int64 → double, null → NaN / -1, dictionaries → indexes into string
 * lists). Used by the replay feed and the tests; analysts can use any Arrow reader instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordBatchReader, type Data, type RecordBatch } from 'apache-arrow';
import { readManifest, type Manifest } from './manifest';
import { COLUMN_NAMES, KIND_NAMES, SCHEMA_VERSION } from './schema';

const TWO_32 = 4294967296;

export interface DecodedBatch {
  rows: number;
  recvTs: Float64Array;
  exchangeTs: Float64Array;
  /** index into `venues` */
  venue: Int32Array;
  venues: string[];
  /** index into `symbols`; -1: none */
  symbol: Int32Array;
  symbols: string[];
  /** RowKind */
  kind: Uint8Array;
  flags: Uint8Array;
  /** 255: none */
  side: Uint8Array;
  price: Float64Array;
  qty: Float64Array;
  version: Float64Array;
  prevVersion: Float64Array;
  tradeId: Float64Array;
  /** index into `states`; -1: none */
  state: Int32Array;
  states: string[];
  reason(row: number): string | null;
}

function valid(d: Data, i: number): boolean {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return true;
  const j = d.offset + i;
  return (d.nullBitmap[j >> 3]! & (1 << (j & 7))) !== 0;
}

function int64s(d: Data): Float64Array {
  const v = d.values as BigInt64Array;
  const words = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    out[i] = valid(d, i) ? words[2 * i + 1]! * TWO_32 + (words[2 * i]! >>> 0) : NaN;
  }
  return out;
}

function dictIndexes(d: Data): { idx: Int32Array; values: string[] } {
  const raw = d.values as Uint8Array | Uint16Array;
  const idx = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) idx[i] = valid(d, i) ? raw[i]! : -1;
  const values = d.dictionary ? (d.dictionary.toArray() as string[]) : [];
  return { idx, values: Array.from(values) };
}

function u8(d: Data, none: number): Uint8Array {
  const raw = d.values as Uint8Array;
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = valid(d, i) ? raw[i]! : none;
  return out;
}

export function decodeBatch(batch: RecordBatch): DecodedBatch {
  const col = (name: (typeof COLUMN_NAMES)[number]): Data => {
    const c = batch.getChild(name);
    if (!c) throw new Error(`recording batch has no column "${name}"`);
    return c.data[0]!;
  };
  const venue = dictIndexes(col('venue'));
  const symbol = dictIndexes(col('symbol'));
  const kindRaw = dictIndexes(col('kind'));
  const kind = new Uint8Array(batch.numRows);
  const kindCodes = kindRaw.values.map((k) => KIND_NAMES.indexOf(k as (typeof KIND_NAMES)[number]));
  for (let i = 0; i < batch.numRows; i++) kind[i] = kindCodes[kindRaw.idx[i]!]!;
  const state = dictIndexes(col('state'));
  const reasons = batch.getChild('reason')!;
  return {
    rows: batch.numRows,
    recvTs: int64s(col('recv_ts')),
    exchangeTs: int64s(col('exchange_ts')),
    venue: venue.idx,
    venues: venue.values,
    symbol: symbol.idx,
    symbols: symbol.values,
    kind,
    flags: u8(col('flags'), 0),
    side: u8(col('side'), 255),
    price: int64s(col('price_ticks')),
    qty: int64s(col('qty_lots')),
    version: int64s(col('version')),
    prevVersion: int64s(col('prev_version')),
    tradeId: int64s(col('trade_id')),
    state: state.idx,
    states: state.values,
    reason: (row) => (reasons.get(row) as string | null) ?? null,
  };
}

/** Every record batch of one Arrow IPC file, decoded. */
export function* readFileBatches(path: string): Generator<DecodedBatch> {
  const reader = RecordBatchReader.from(readFileSync(path));
  const version = reader.open().schema.metadata.get('pulse.schema_version');
  if (version !== String(SCHEMA_VERSION)) throw new Error(`${path}: schema version ${version ?? 'missing'}, this Pulse reads ${SCHEMA_VERSION}`);
  for (const batch of reader) yield decodeBatch(batch);
}

/** The recording's complete files in order. */
export function* readRecording(dir: string, manifest: Manifest = readManifest(dir)): Generator<DecodedBatch> {
  for (const f of manifest.files) yield* readFileBatches(join(dir, f.name));
}

/**
 * The recording's Arrow schema, shared by the writer (recorder worker) and every reader (the
 * replay feed, tests, `docs/recording.md`). One row per level change, trade or venue status
 * change, in the order the engine applied them; a book update of n levels is n rows (one row
 * flagged EMPTY for a snapshot of an empty book), its last row flagged END.
 */
import { Dictionary, Field, Int64, Schema, TimeUnit, Timestamp, Uint16, Uint8, Utf8 } from 'apache-arrow';
import { VENUE_STATE_NAMES } from '../../shared/frames';

export const SCHEMA_VERSION = 1;

export const RowKind = { Book: 0, Trade: 1, Status: 2 } as const;
export const KIND_NAMES = ['book', 'trade', 'status'] as const;

export const RowFlags = {
  /** the update is a full snapshot: it replaces the book */
  Snapshot: 1,
  /** last row of a book update: apply the update here */
  End: 2,
  /** the row carries no level (a snapshot of an empty book) */
  Empty: 4,
} as const;

/** Sentinels in the engine-side u8/u16 buffers that the writer turns into nulls. */
export const NO_SYMBOL = 0xffff;
export const NO_U8 = 0xff;

export const STATE_NAMES = VENUE_STATE_NAMES;

/** Dictionary ids: fixed per file (a file's dictionaries never change; new symbols rotate the file). */
const DICT = { venue: 0, symbol: 1, kind: 2, state: 3 } as const;

const us = (): Timestamp => new Timestamp(TimeUnit.MICROSECOND, 'UTC');

export function recordingSchema(metadata: Map<string, string>): Schema {
  return new Schema(
    [
      new Field('recv_ts', us(), false),
      new Field('exchange_ts', us(), true),
      new Field('venue', new Dictionary(new Utf8(), new Uint8(), DICT.venue), false),
      new Field('symbol', new Dictionary(new Utf8(), new Uint16(), DICT.symbol), true),
      new Field('kind', new Dictionary(new Utf8(), new Uint8(), DICT.kind), false),
      new Field('flags', new Uint8(), false),
      new Field('side', new Uint8(), true),
      new Field('price_ticks', new Int64(), true),
      new Field('qty_lots', new Int64(), true),
      new Field('version', new Int64(), true),
      new Field('prev_version', new Int64(), true),
      new Field('trade_id', new Int64(), true),
      new Field('state', new Dictionary(new Utf8(), new Uint8(), DICT.state), true),
      new Field('reason', new Utf8(), true),
    ],
    metadata,
  );
}

export const COLUMN_NAMES = [
  'recv_ts', 'exchange_ts', 'venue', 'symbol', 'kind', 'flags', 'side', 'price_ticks', 'qty_lots',
  'version', 'prev_version', 'trade_id', 'state', 'reason',
] as const;

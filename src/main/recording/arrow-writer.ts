/**
 * Writes recorded batches to Arrow IPC files (the random-access "file" format) in a recording
 * directory. Each file is written as `name.arrow.tmp` and renamed to `name.arrow` once its footer
 * is written and synced, so every `.arrow` file in the directory (and in the manifest) is
 * complete. Files rotate by size, by UTC hour, and when a venue declares instruments or a new
 * symbol joins (a file's dictionaries and metadata never change). All I/O is synchronous and
 * runs in the recorder worker.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  AsyncByteQueue, Int64, RecordBatch, RecordBatchFileWriter, Struct, Uint8, Utf8, makeData, vectorFromArray,
  type Data, type DataType, type Schema, type Vector,
} from 'apache-arrow';
import type { InstrumentInfo } from '../../shared/protocol';
import type { ColumnBatch } from './columns';
import { writeManifest, type Manifest } from './manifest';
import { KIND_NAMES, NO_SYMBOL, NO_U8, SCHEMA_VERSION, STATE_NAMES, recordingSchema } from './schema';

const TWO_32 = 4294967296;
const HOUR_US = 3_600_000_000;

/** The writer's byte sink: every chunk goes straight to the file descriptor, synchronously. */
class FdSink extends AsyncByteQueue {
  bytes = 0;
  constructor(private readonly fd: number) {
    super();
  }
  override write(value: ArrayBufferView | ArrayBufferLike): void {
    const chunk = value instanceof Uint8Array ? value : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
    let done = 0;
    while (done < chunk.byteLength) done += writeSync(this.fd, chunk, done, chunk.byteLength - done);
    this.bytes += chunk.byteLength;
  }
}

interface OpenFile {
  name: string;
  tmp: string;
  fd: number;
  sink: FdSink;
  writer: RecordBatchFileWriter;
  schema: Schema;
  symbolDict: Vector;
  hour: number;
  rows: number;
  batches: number;
  startUs: number;
  endUs: number;
}

export interface WriterOptions {
  dir: string;
  maxFileBytes: number;
  rotateHourly: boolean;
  venues: Array<{ id: string; kind: string }>;
}

export class RecordingWriter {
  private file: OpenFile | null = null;
  private readonly instruments: InstrumentInfo[][];
  private symbols: string[] = [];
  /** the open file's schema metadata or symbol dictionary is out of date: the next batch starts a new file */
  private metadataChanged = false;
  private seq = 0;
  private readonly venueDict: Vector;
  private readonly kindDict = vectorFromArray([...KIND_NAMES], new Utf8());
  private readonly stateDict = vectorFromArray([...STATE_NAMES], new Utf8());
  private scratch = new Int32Array(0);
  private bitmaps: Uint8Array[] = [];
  readonly manifest: Manifest;
  totalBytes = 0;

  constructor(private readonly opts: WriterOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.instruments = opts.venues.map(() => []);
    this.venueDict = vectorFromArray(opts.venues.map((v) => v.id), new Utf8());
    this.manifest = {
      format: 'pulse-recording', schemaVersion: SCHEMA_VERSION, createdAt: new Date().toISOString(),
      venues: opts.venues.map((v) => ({ ...v, instruments: [] })), symbols: [], timeRange: null, files: [], complete: false, error: null,
    };
    writeManifest(opts.dir, this.manifest);
  }

  /**
   * A venue declared its instruments; `symbols` is the recording's whole symbol list (append-only).
   * A file's dictionaries and metadata never change, so a change to either starts a new file.
   */
  setInstruments(venueIndex: number, instruments: InstrumentInfo[], symbols: string[]): void {
    const changed = JSON.stringify(instruments) !== JSON.stringify(this.instruments[venueIndex]) || symbols.length !== this.symbols.length || symbols.some((s, i) => s !== this.symbols[i]);
    if (changed) this.metadataChanged = true;
    instruments = instruments.map((i) => ({ ...i }));
    symbols = [...symbols]; // the caller's arrays may change after this call
    this.instruments[venueIndex] = instruments;
    this.manifest.venues[venueIndex]!.instruments = instruments;
    this.symbols = symbols;
    this.manifest.symbols = symbols;
    writeManifest(this.opts.dir, this.manifest);
  }

  /** Appends one batch; throws on an I/O error (the caller stops recording). */
  write(cols: ColumnBatch, rows: number, reasons: Array<[number, string]>): void {
    if (rows === 0) return;
    const first = cols.recvTs[0]!;
    // Rows are in arrival order per venue, but venues interleave (each collector stamps its own
    // receive time), so a batch's first row need not be its earliest: the time range is min/max.
    let lo = first;
    let hi = first;
    for (let i = 1; i < rows; i++) {
      const t = cols.recvTs[i]!;
      if (t < lo) lo = t;
      else if (t > hi) hi = t;
    }
    const f = this.file;
    if (f && (this.metadataChanged || f.sink.bytes >= this.opts.maxFileBytes || (this.opts.rotateHourly && Math.floor(first / HOUR_US) !== f.hour))) {
      this.finishFile();
    }
    const file = this.file ?? this.openFile(first);
    const batch = this.toRecordBatch(file, cols, rows, reasons);
    file.writer.write(batch);
    file.rows += rows;
    file.batches++;
    if (lo < file.startUs) file.startUs = lo;
    if (hi > file.endUs) file.endUs = hi;
  }

  /** Finishes the open file and marks the recording complete. */
  close(): void {
    if (this.file) this.finishFile();
    this.manifest.complete = true;
    writeManifest(this.opts.dir, this.manifest);
  }

  /**
   * After an I/O error: the open file cannot be finished (no footer), so it is removed (freeing
   * what it held on a full disk); every file already renamed stays complete and listed.
   */
  abandon(code: string, message: string): void {
    const f = this.file;
    this.file = null;
    if (f) {
      try { closeSync(f.fd); } catch { /* already failing */ }
      try { unlinkSync(f.tmp); } catch { /* already failing */ }
    }
    this.manifest.error = { code, message };
    try {
      writeManifest(this.opts.dir, this.manifest);
    } catch {
      // the disk may be too full even for the manifest; the complete files still open
    }
  }

  get files(): number {
    return this.manifest.files.length;
  }

  private openFile(firstUs: number): OpenFile {
    const stamp = new Date(firstUs / 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `pulse-${stamp}-${String(this.seq++).padStart(4, '0')}.arrow`;
    const tmp = join(this.opts.dir, `${name}.tmp`);
    const fd = openSync(tmp, 'wx');
    const sink = new FdSink(fd);
    const metadata = new Map([
      ['pulse.schema_version', String(SCHEMA_VERSION)],
      ['pulse.venues', JSON.stringify(this.opts.venues.map((v, i) => ({ ...v, instruments: this.instruments[i] })))],
    ]);
    const writer = new RecordBatchFileWriter();
    writer.reset(sink);
    this.metadataChanged = false;
    this.file = {
      name, tmp, fd, sink, writer, schema: recordingSchema(metadata), symbolDict: vectorFromArray([...this.symbols], new Utf8()),
      hour: Math.floor(firstUs / HOUR_US), rows: 0, batches: 0, startUs: firstUs, endUs: firstUs,
    };
    return this.file;
  }

  private finishFile(): void {
    const f = this.file!;
    f.writer.close(); // writes the footer through the sink
    fsyncSync(f.fd);
    closeSync(f.fd);
    renameSync(f.tmp, join(this.opts.dir, f.name));
    this.file = null;
    this.totalBytes += f.sink.bytes;
    this.manifest.files.push({ name: f.name, rows: f.rows, batches: f.batches, bytes: f.sink.bytes, startUs: f.startUs, endUs: f.endUs });
    const range = this.manifest.timeRange;
    this.manifest.timeRange = range
      ? { startUs: Math.min(range.startUs, f.startUs), endUs: Math.max(range.endUs, f.endUs) }
      : { startUs: f.startUs, endUs: f.endUs };
    writeManifest(this.opts.dir, this.manifest);
  }

  private toRecordBatch(file: OpenFile, c: ColumnBatch, n: number, reasons: Array<[number, string]>): RecordBatch {
    const cap = c.recvTs.length;
    if (this.scratch.length < cap * 2 * 7) {
      this.scratch = new Int32Array(cap * 2 * 7);
      this.bitmaps = Array.from({ length: 12 }, () => new Uint8Array((cap + 7) >> 3));
    }
    let slot = 0;
    let bm = 0;
    const int64 = (src: Float64Array, nullable: boolean, dtype: DataType = new Int64()): Data => {
      const out = this.scratch.subarray(slot * cap * 2, slot * cap * 2 + n * 2);
      slot++;
      const bitmap = this.bitmaps[bm++]!.subarray(0, (n + 7) >> 3);
      bitmap.fill(0);
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        if (v !== v) {
          nulls++;
          out[2 * i] = 0;
          out[2 * i + 1] = 0;
          continue;
        }
        bitmap[i >> 3]! |= 1 << (i & 7);
        const hi = Math.floor(v / TWO_32);
        out[2 * i] = (v - hi * TWO_32) | 0;
        out[2 * i + 1] = hi | 0;
      }
      return makeData({ type: dtype, length: n, nullCount: nullable ? nulls : 0, nullBitmap: nullable && nulls > 0 ? bitmap : null, data: out as unknown as BigInt64Array } as never);
    };
    const withNulls = (src: Uint8Array | Uint16Array, none: number): { nulls: number; bitmap: Uint8Array } => {
      const bitmap = this.bitmaps[bm++]!.subarray(0, (n + 7) >> 3);
      bitmap.fill(0);
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        if (src[i] === none) nulls++;
        else bitmap[i >> 3]! |= 1 << (i & 7);
      }
      return { nulls, bitmap };
    };
    const schema = file.schema;
    const type = (name: string) => schema.fields.find((fl) => fl.name === name)!.type;
    const sym = withNulls(c.symbol, NO_SYMBOL);
    const side = withNulls(c.side, NO_U8);
    const state = withNulls(c.state, NO_U8);
    const children: Data[] = [
      int64(c.recvTs, false, type('recv_ts')),
      int64(c.exchangeTs, true, type('exchange_ts')),
      makeData({ type: type('venue'), length: n, nullCount: 0, data: c.venue.subarray(0, n), dictionary: this.venueDict } as never),
      makeData({ type: type('symbol'), length: n, nullCount: sym.nulls, nullBitmap: sym.nulls ? sym.bitmap : null, data: c.symbol.subarray(0, n), dictionary: file.symbolDict } as never),
      makeData({ type: type('kind'), length: n, nullCount: 0, data: c.kind.subarray(0, n), dictionary: this.kindDict } as never),
      makeData({ type: new Uint8(), length: n, nullCount: 0, data: c.flags.subarray(0, n) }),
      makeData({ type: new Uint8(), length: n, nullCount: side.nulls, nullBitmap: side.nulls ? side.bitmap : null, data: c.side.subarray(0, n) }),
      int64(c.price, true),
      int64(c.qty, true),
      int64(c.version, true),
      int64(c.prevVersion, true),
      int64(c.tradeId, true),
      makeData({ type: type('state'), length: n, nullCount: state.nulls, nullBitmap: state.nulls ? state.bitmap : null, data: c.state.subarray(0, n), dictionary: this.stateDict } as never),
      reasonColumn(n, reasons),
    ];
    const data = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
    return new RecordBatch(schema, data);
  }
}

/** Utf8 column, null except on the status rows that carry a reason (rare: built per batch). */
function reasonColumn(n: number, reasons: Array<[number, string]>): Data {
  const offsets = new Int32Array(n + 1);
  const bitmap = new Uint8Array((n + 7) >> 3);
  const enc = new TextEncoder();
  const parts = reasons.map(([row, text]) => [row, enc.encode(text)] as const);
  const bytes = new Uint8Array(parts.reduce((s, [, b]) => s + b.length, 0));
  let at = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (p < parts.length && parts[p]![0] === i) {
      bytes.set(parts[p]![1], at);
      at += parts[p]![1].length;
      bitmap[i >> 3]! |= 1 << (i & 7);
      p++;
    }
    offsets[i + 1] = at;
  }
  const nulls = n - parts.length;
  return makeData({ type: new Utf8(), length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, valueOffsets: offsets, data: bytes });
}

/**
 * `pulse export --to parquet`: a recording made by the real writer (book, trade and status rows,
 * nulls, two venues, a symbol joining mid-way, several files) is exported, and the Parquet is read
 * back with hyparquet (an independent reader, not parquet-wasm) and compared value by value with
 * what reader.ts decodes from the Arrow files.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import type { InstrumentInfo } from '../../shared/protocol';
import { ConfigError } from '../config';
import { RecordingWriter } from './arrow-writer';
import { allocBatch } from './columns';
import { exportCommand } from './export-cli';
import { MANIFEST, readManifest } from './manifest';
import { exportToParquet, parquetName, planExport } from './parquet-export';
import { readFileBatches } from './reader';
import { KIND_NAMES, NO_SYMBOL, NO_U8, RowFlags, RowKind, STATE_NAMES } from './schema';
import { scratchDir } from '../testing/scratch-dir';

const CLI = new URL('../cli.ts', import.meta.url).pathname;
const T0 = 1_795_322_549_000_000;

const inst = (symbol: string): InstrumentInfo => ({ symbol, tickSize: '0.01', lotSize: '0.00001' });

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  recvTs: number; exchangeTs: number; venue: number; symbol: number; kind: number; flags: number; side: number;
  price: number; qty: number; version: number; prevVersion: number; tradeId: number; state: number; reason?: string;
}

/** One engine batch's worth of rows: a book update of a few levels, a trade, now and then a status change. */
function someRows(rand: () => number, t: number, symbols: number, version: number): Row[] {
  const venue = rand() < 0.5 ? 0 : 1;
  const symbol = Math.floor(rand() * symbols);
  const exchangeTs = rand() < 0.3 ? NaN : t - 250;
  const base = { recvTs: t, exchangeTs, venue, symbol, state: NO_U8, tradeId: NaN };
  const rows: Row[] = [];
  if (rand() < 0.1) {
    // a snapshot of an empty book: one row, no level
    rows.push({ ...base, kind: RowKind.Book, flags: RowFlags.Snapshot | RowFlags.End | RowFlags.Empty, side: NO_U8, price: NaN, qty: NaN, version, prevVersion: 0 });
  } else {
    const snapshot = rand() < 0.2;
    const levels = 1 + Math.floor(rand() * 5);
    for (let l = 0; l < levels; l++) {
      rows.push({
        ...base, kind: RowKind.Book, flags: (snapshot ? RowFlags.Snapshot : 0) | (l === levels - 1 ? RowFlags.End : 0),
        side: l % 2, price: 2 ** 40 + Math.floor(rand() * 1e6), qty: rand() < 0.2 ? 0 : Math.floor(rand() * 2 ** 52), version, prevVersion: snapshot ? 0 : version - 1,
      });
    }
  }
  rows.push({
    ...base, recvTs: t + 1, kind: RowKind.Trade, flags: 0, side: rand() < 0.5 ? 0 : 1, price: 9_007_199_254_740_991 - Math.floor(rand() * 100),
    qty: 1 + Math.floor(rand() * 1000), version: NaN, prevVersion: NaN, tradeId: rand() < 0.3 ? NaN : 4_000_000_000 + version,
  });
  if (rand() < 0.15) {
    rows.push({
      recvTs: t + 2, exchangeTs: NaN, venue: 1 - venue, symbol: NO_SYMBOL, kind: RowKind.Status, flags: 0, side: NO_U8, price: NaN, qty: NaN,
      version: NaN, prevVersion: NaN, tradeId: NaN, state: Math.floor(rand() * STATE_NAMES.length), reason: rand() < 0.5 ? `heartbeat missed ×${version}` : undefined,
    });
  }
  return rows;
}

function writeRows(w: RecordingWriter, rows: Row[]): void {
  const b = allocBatch(rows.length);
  const reasons: Array<[number, string]> = [];
  rows.forEach((r, i) => {
    b.recvTs[i] = r.recvTs; b.exchangeTs[i] = r.exchangeTs; b.venue[i] = r.venue; b.symbol[i] = r.symbol; b.kind[i] = r.kind;
    b.flags[i] = r.flags; b.side[i] = r.side; b.price[i] = r.price; b.qty[i] = r.qty; b.version[i] = r.version;
    b.prevVersion[i] = r.prevVersion; b.tradeId[i] = r.tradeId; b.state[i] = r.state;
    if (r.reason !== undefined) reasons.push([i, r.reason]);
  });
  w.write(b, rows.length, reasons);
}

/** A recording of several files; `close: false` leaves it as a crashed recorder would (last file unfinished). */
function makeRecording(opts: { close?: boolean } = {}): string {
  const dir = scratchDir('pulse-parquet-');
  const w = new RecordingWriter({ dir, maxFileBytes: 12_000, rotateHourly: false, venues: [{ id: 'sim-a', kind: 'simulator' }, { id: 'coinbase', kind: 'exchange' }] });
  const symbols = ['BTC-USD', 'ETH-USD'];
  // copies: the writer keeps the list it is given and compares lengths to see a new symbol
  w.setInstruments(0, symbols.map(inst), [...symbols]);
  w.setInstruments(1, [inst('BTC-USD')], [...symbols]);
  const rand = rng(7);
  let t = T0;
  for (let v = 1; v <= 120; v++) {
    if (v === 60) {
      symbols.push('SOL-USD'); // a new symbol starts a new file, with a larger dictionary
      w.setInstruments(0, symbols.map(inst), [...symbols]);
    }
    const rows: Row[] = [];
    for (let k = 0; k < 4; k++, t += 1000) rows.push(...someRows(rand, t, symbols.length, 4 * v + k));
    writeRows(w, rows);
  }
  if (opts.close !== false) w.close();
  return dir;
}

type Value = bigint | number | string | null;

/** Each row of an Arrow file as reader.ts decodes it, int64 and timestamps as bigint, nulls as null. */
function arrowRows(path: string): Array<Record<string, Value>> {
  const big = (v: number): bigint | null => (Number.isNaN(v) ? null : BigInt(v));
  const out: Array<Record<string, Value>> = [];
  for (const d of readFileBatches(path)) {
    for (let r = 0; r < d.rows; r++) {
      out.push({
        recv_ts: big(d.recvTs[r]!), exchange_ts: big(d.exchangeTs[r]!), venue: d.venues[d.venue[r]!]!,
        symbol: d.symbol[r] === -1 ? null : d.symbols[d.symbol[r]!]!, kind: KIND_NAMES[d.kind[r]!]!, flags: d.flags[r]!,
        side: d.side[r] === 255 ? null : d.side[r]!, price_ticks: big(d.price[r]!), qty_lots: big(d.qty[r]!), version: big(d.version[r]!),
        prev_version: big(d.prevVersion[r]!), trade_id: big(d.tradeId[r]!), state: d.state[r] === -1 ? null : d.states[d.state[r]!]!,
        reason: d.reason(r),
      });
    }
  }
  return out;
}

const fileBuffer = (path: string): ArrayBuffer => {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

/** Rows of a Parquet file through hyparquet, timestamps kept as raw µs (its default makes a millisecond Date). */
async function parquetRows(path: string): Promise<Array<Record<string, Value>>> {
  const rows = await parquetReadObjects({ file: fileBuffer(path), compressors, parsers: { timestampFromMicroseconds: (us: bigint) => us } });
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === undefined ? null : (v as Value)])));
}

const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

async function exportError(args: string[]): Promise<string> {
  const err = await exportCommand(args, () => {}).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as Error).message;
}

describe('pulse export --to parquet', () => {
  it('writes one Parquet file per Arrow file, every value equal to what reader.ts reads', async () => {
    const dir = makeRecording();
    const manifest = readManifest(dir);
    expect(manifest.files.length).toBeGreaterThanOrEqual(3);
    const summary = await exportToParquet(planExport(dir));

    const out = join(dir, 'parquet');
    expect(files(out)).toEqual(manifest.files.map((f) => parquetName(f.name)).sort());
    expect(summary.files.map((f) => f.rows)).toEqual(manifest.files.map((f) => f.rows));
    expect(summary.rows).toBe(manifest.files.reduce((s, f) => s + f.rows, 0));
    const seen = { kinds: new Set<Value>(), nulls: 0, symbols: new Set<Value>(), reasons: 0 };
    for (const f of manifest.files) {
      const expected = arrowRows(join(dir, f.name));
      const actual = await parquetRows(join(out, parquetName(f.name)));
      expect(actual.length).toBe(f.rows);
      expect(actual).toEqual(expected);
      for (const r of actual) {
        seen.kinds.add(r.kind);
        seen.symbols.add(r.symbol);
        if (r.exchange_ts === null) seen.nulls++;
        if (r.reason !== null) seen.reasons++;
      }
    }
    // the recording exercised what it is meant to
    expect(seen.kinds).toEqual(new Set(['book', 'trade', 'status']));
    expect(seen.symbols).toEqual(new Set(['BTC-USD', 'ETH-USD', 'SOL-USD', null]));
    expect(seen.nulls).toBeGreaterThan(0);
    expect(seen.reasons).toBeGreaterThan(0);
  });

  it('keeps the Arrow types: µs UTC timestamps, required columns, unsigned bytes, int64, zstd, the pulse metadata', async () => {
    const dir = makeRecording();
    const { files: [first] } = await exportToParquet(planExport(dir));
    const meta = parquetMetadata(fileBuffer(first!.out));
    const col = (name: string) => meta.schema.find((s) => s.name === name)!;
    for (const name of ['recv_ts', 'exchange_ts']) {
      expect(col(name).type).toBe('INT64');
      expect(col(name).logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
    }
    expect(col('recv_ts').repetition_type).toBe('REQUIRED');
    expect(col('exchange_ts').repetition_type).toBe('OPTIONAL');
    for (const name of ['venue', 'kind']) expect(col(name).repetition_type).toBe('REQUIRED');
    for (const name of ['venue', 'symbol', 'kind', 'state', 'reason']) expect(col(name).logical_type).toEqual({ type: 'STRING' });
    expect(col('flags').logical_type).toEqual({ type: 'INTEGER', bitWidth: 8, isSigned: false });
    for (const name of ['price_ticks', 'qty_lots', 'version', 'prev_version', 'trade_id']) expect(col(name).type).toBe('INT64');
    const codecs = new Set(meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data!.codec)));
    expect(codecs).toEqual(new Set(['ZSTD']));
    const kv = new Map((meta.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    expect(kv.get('pulse.schema_version')).toBe('1');
    expect(JSON.parse(kv.get('pulse.venues')!).map((v: { id: string }) => v.id)).toEqual(['sim-a', 'coinbase']);
    expect(kv.has('ARROW:schema')).toBe(true); // Arrow readers get the dictionary types back from it
  });

  it('exports the complete files of an unfinished recording, and says so', async () => {
    const dir = makeRecording({ close: false });
    const manifest = readManifest(dir);
    expect(manifest.complete).toBe(false);
    expect(files(dir).some((f) => f.endsWith('.arrow.tmp'))).toBe(true);
    const lines: string[] = [];
    await exportCommand(['--to', 'parquet', dir], (l) => lines.push(l));
    expect(lines[0]).toBe(`recording not complete: exporting the ${manifest.files.length} complete files`);
    expect(lines).toHaveLength(manifest.files.length + 2);
    expect(lines.at(-1)).toMatch(new RegExp(`^exported ${manifest.files.length} files, ${manifest.files.reduce((s, f) => s + f.rows, 0)} rows: \\d+ bytes of Arrow in, \\d+ bytes of Parquet out \\(\\d+%\\), zstd, in `));
    expect(files(join(dir, 'parquet'))).toEqual(manifest.files.map((f) => parquetName(f.name)).sort());
  });

  it('refuses clearly, leaving nothing under a final .parquet name', async () => {
    const dir = makeRecording();
    const manifest = readManifest(dir);
    const out = scratchDir('pulse-parquet-out-');

    expect(await exportError(['--to', 'csv', dir])).toBe('cannot export to "csv": supported formats are parquet');
    expect(await exportError([dir])).toMatch(/^usage: pulse export --to parquet RECORDING_DIR/);
    expect(await exportError(['--to', 'parquet', join(dir, 'nope')])).toBe(`no such directory: ${join(dir, 'nope')}`);
    const empty = scratchDir('pulse-parquet-empty-');
    expect(await exportError(['--to', 'parquet', empty])).toBe(`no recording in ${empty}: cannot read ${MANIFEST} (ENOENT)`);

    const damaged = scratchDir('pulse-parquet-damaged-');
    cpSync(dir, damaged, { recursive: true });
    unlinkSync(join(damaged, manifest.files[1]!.name));
    expect(await exportError(['--to', 'parquet', damaged, '--out', out])).toBe(
      `the manifest of ${damaged} lists ${manifest.files[1]!.name}, which is missing: the recording is damaged (nothing exported)`,
    );
    expect(files(out)).toEqual([]);

    const truncated = scratchDir('pulse-parquet-cut-');
    cpSync(dir, truncated, { recursive: true });
    const cut = join(truncated, manifest.files[0]!.name);
    writeFileSync(cut, readFileSync(cut).subarray(0, 2000));
    expect(await exportError(['--to', 'parquet', truncated, '--out', out])).toMatch(new RegExp(`^${manifest.files[0]!.name} is not a readable Arrow IPC file: `));
    expect(files(out)).toEqual([]);

    // A manifest whose row count disagrees with the file: the file before it is exported, this one is not.
    const wrong = scratchDir('pulse-parquet-rows-');
    cpSync(dir, wrong, { recursive: true });
    const m = readManifest(wrong);
    m.files[1]!.rows += 1;
    writeFileSync(join(wrong, MANIFEST), JSON.stringify(m));
    expect(await exportError(['--to', 'parquet', wrong, '--out', out])).toBe(
      `${m.files[1]!.name}: the file holds ${m.files[1]!.rows - 1} rows, the manifest says ${m.files[1]!.rows}; not exported`,
    );
    expect(files(out)).toEqual([parquetName(m.files[0]!.name)]);
  });

  it('fails on a batch parquet-wasm cannot take, instead of keeping the shorter file it writes', async () => {
    // A symbol index past the file's dictionary: the writer does not check, parquet's writer refuses.
    const dir = scratchDir('pulse-parquet-bad-');
    const w = new RecordingWriter({ dir, maxFileBytes: 1 << 20, rotateHourly: false, venues: [{ id: 'sim-a', kind: 'simulator' }, { id: 'coinbase', kind: 'exchange' }] });
    w.setInstruments(0, [inst('BTC-USD')], ['BTC-USD']);
    const rand = rng(3);
    for (let v = 1; v <= 6; v++) writeRows(w, someRows(rand, T0 + v * 1000, v === 4 ? 2 : 1, v).map((r) => (v === 4 && r.kind === RowKind.Trade ? { ...r, symbol: 1 } : r)));
    w.close();
    const [f] = readManifest(dir).files;
    expect(await exportError(['--to', 'parquet', dir])).toMatch(
      new RegExp(`^${f!.name}: record batch 4 is not valid Arrow data: Invalid argument error: Value at position \\d+ out of bounds: 1 \\(should be in \\[0, 0\\]\\); not exported$`),
    );
    expect(files(join(dir, 'parquet'))).toEqual([]);
  });

  it('runs from the command line: exit 0 and the files, or exit 2 and one line', () => {
    const dir = makeRecording();
    const out = join(scratchDir('pulse-parquet-cli-'), 'pq');
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, 'export', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PULSE_LOG_LEVEL: 'error' } });
    const ok = run(['--to', 'parquet', dir, '--out', out]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const names = readManifest(dir).files.map((f) => parquetName(f.name));
    expect(files(out)).toEqual([...names].sort());
    expect(ok.stdout).toMatch(new RegExp(`^exported ${names.length} files, `, 'm'));

    const bad = run(['--to', 'parquet', join(dir, 'missing')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`pulse: no such directory: ${join(dir, 'missing')}\n`);
  });
});

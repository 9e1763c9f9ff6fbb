/**
 * Converts a recording's Arrow IPC files to Parquet with parquet-wasm (Rust's parquet crate built
 * to WebAssembly): one `.parquet` per complete file of the manifest, same columns. Conversion
 * streams record batch by record batch (the Arrow file is read through a file handle, Parquet
 * bytes go to disk as each row group is encoded), so memory stays near one row group whatever
 * the file's size. Each output is written as `name.parquet.tmp`, checked (the footer's row count
 * must equal the manifest's), synced and renamed: a `.parquet` file is always a complete one.
 */
import { closeSync, fsyncSync, mkdirSync, openAsBlob, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RecordBatchReader, RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import type { RecordBatch as WasmBatch } from 'parquet-wasm/node';
import { readManifest, type Manifest } from './manifest';

/** An expected failure (bad input, inconsistent recording), as a one-line message. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** zstd (level 1, the parquet crate's default level): parquet-wasm itself writes uncompressed unless told. */
export const PARQUET_COMPRESSION = 'zstd';

type ParquetWasm = typeof import('parquet-wasm/node');
let wasm: Promise<ParquetWasm> | null = null;
/** Loaded on first use: importing it compiles a 5 MB WebAssembly module, which no other command needs. */
const parquetWasm = (): Promise<ParquetWasm> => (wasm ??= import('parquet-wasm/node'));

export interface ExportPlan {
  dir: string;
  outDir: string;
  manifest: Manifest;
}

export interface FileExport {
  /** the Arrow file's name in the recording */
  name: string;
  /** the Parquet file written */
  out: string;
  rows: number;
  bytesIn: number;
  bytesOut: number;
}

export interface ExportSummary {
  outDir: string;
  files: FileExport[];
  rows: number;
  bytesIn: number;
  bytesOut: number;
}

export const parquetName = (arrowName: string): string => `${arrowName.replace(/\.arrow$/, '')}.parquet`;

/**
 * Checks what can be checked before writing anything: the directory, its manifest, and that every
 * file the manifest lists is there.
 */
export function planExport(dir: string, outDir?: string): ExportPlan {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new ExportError(`no such directory: ${dir}`);
  }
  if (!isDir) throw new ExportError(`not a directory: ${dir}`);
  let manifest: Manifest;
  try {
    manifest = readManifest(root);
  } catch (err) {
    throw new ExportError((err as Error).message);
  }
  for (const f of manifest.files) {
    let ok = false;
    try {
      ok = statSync(join(root, f.name)).isFile();
    } catch {
      // reported below
    }
    if (!ok) throw new ExportError(`the manifest of ${dir} lists ${f.name}, which is missing: the recording is damaged (nothing exported)`);
  }
  return { dir: root, outDir: resolve(outDir ?? join(root, 'parquet')), manifest };
}

const ipcStream = (batch: RecordBatch): Uint8Array => RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);

/** One Arrow record batch as a parquet-wasm record batch (through one IPC stream message set). */
function toWasmBatch(pw: ParquetWasm, batch: RecordBatch): WasmBatch {
  const table = pw.Table.fromIPCStream(ipcStream(batch));
  try {
    return table.recordBatch(0)!;
  } finally {
    table.free();
  }
}

/**
 * Writes `src` (an Arrow IPC file) to `dest` as Parquet; fails, leaving nothing at `dest` or
 * `dest.tmp`, unless every batch was read and written and the rows read, and the rows in the
 * written footer, both equal `expectedRows` (the manifest's).
 *
 * The checks are not for show: parquet-wasm 0.8's stream writer drops errors (src/writer_async.rs:
 * an input batch that fails is skipped, `let _ = writer.write(..)`), then still closes the file
 * with a valid footer: a shorter file that any reader would open without complaint.
 */
export async function arrowFileToParquet(src: string, dest: string, expectedRows: number): Promise<FileExport> {
  const pw = await parquetWasm();
  const name = basename(src);
  const tmp = `${dest}.tmp`;
  const handle = await open(src, 'r');
  let fd: number | null = null;
  try {
    const reader = await RecordBatchReader.from(handle).then((r) => r.open()).catch((err: Error) => {
      throw new ExportError(`${name} is not a readable Arrow IPC file: ${err.message}`);
    });
    const metadata = new Map(reader.schema.metadata);
    const batches = reader[Symbol.asyncIterator]();
    const read = { batches: 0, rows: 0, ended: false, failure: null as string | null };
    const input = new ReadableStream<WasmBatch>(
      {
        async pull(controller) {
          const at = read.batches + 1;
          let batch: RecordBatch;
          try {
            const next = await batches.next();
            if (next.done) {
              read.ended = true;
              return controller.close();
            }
            batch = next.value;
          } catch (err) {
            read.failure = `cannot read record batch ${at}: ${(err as Error).message}`;
            return controller.error(err);
          }
          try {
            controller.enqueue(toWasmBatch(pw, batch));
          } catch (err) {
            read.failure = `record batch ${at} is not valid Arrow data: ${(err as Error).message ?? String(err)}`;
            return controller.error(err);
          }
          read.batches = at;
          read.rows += batch.numRows;
        },
      },
      { highWaterMark: 1 },
    );
    const failed = (): ExportError => new ExportError(`${name}: ${read.failure}; not exported`);
    // The writer stores the Arrow schema (dictionary types, schema metadata) as ARROW:schema; the
    // pulse.* keys are repeated as plain key-value metadata for readers that ignore it.
    const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).setKeyValueMetadata(metadata).build();
    const output = (await pw.transformParquetStream(input, props).catch((err: unknown) => {
      throw read.failure ? failed() : err; // a bad first batch: parquet-wasm says only "Dyn casting error"
    })) as ReadableStream<Uint8Array>;
    fd = openSync(tmp, 'w');
    let bytesOut = 0;
    for await (const chunk of output) {
      for (let done = 0; done < chunk.byteLength; ) done += writeSync(fd, chunk, done, chunk.byteLength - done);
      bytesOut += chunk.byteLength;
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    if (read.failure) throw failed();
    if (!read.ended) throw new ExportError(`${name}: the Parquet writer stopped after ${read.batches} record batches; not exported`);
    if (read.rows !== expectedRows) throw new ExportError(`${name}: the file holds ${read.rows} rows, the manifest says ${expectedRows}; not exported`);
    const written = await pw.ParquetFile.fromFile(await openAsBlob(tmp));
    const rowsOut = written.metadata().fileMetadata().numRows();
    written.free();
    if (rowsOut !== expectedRows) throw new ExportError(`${name}: the Parquet file got ${rowsOut} of ${expectedRows} rows; not exported`);
    renameSync(tmp, dest);
    return { name, out: dest, rows: rowsOut, bytesIn: statSync(src).size, bytesOut };
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    await handle.close();
  }
}

/** Every complete file of the plan, one after the other; `onFile` hears of each as it is done. */
export async function exportToParquet(plan: ExportPlan, onFile: (f: FileExport) => void = () => {}): Promise<ExportSummary> {
  try {
    mkdirSync(plan.outDir, { recursive: true });
  } catch (err) {
    throw new ExportError(`cannot create the output directory ${plan.outDir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const summary: ExportSummary = { outDir: plan.outDir, files: [], rows: 0, bytesIn: 0, bytesOut: 0 };
  for (const f of plan.manifest.files) {
    const done = await arrowFileToParquet(join(plan.dir, f.name), join(plan.outDir, parquetName(f.name)), f.rows);
    summary.files.push(done);
    summary.rows += done.rows;
    summary.bytesIn += done.bytesIn;
    summary.bytesOut += done.bytesOut;
    onFile(done);
  }
  return summary;
}

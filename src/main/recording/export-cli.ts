/** `pulse export --to parquet RECORDING_DIR [--out DIR]`: a recording's complete files as Parquet. */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { ExportError, PARQUET_COMPRESSION, exportToParquet, planExport } from './parquet-export';

export const EXPORT_FORMATS = ['parquet'] as const;
export const EXPORT_USAGE = 'usage: pulse export --to parquet RECORDING_DIR [--out DIR]   (default --out: RECORDING_DIR/parquet)';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const files = (n: number, what = ''): string => `${n} ${what}${n === 1 ? 'file' : 'files'}`;

export async function exportCommand(args: string[], print: (line: string) => void = console.log): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { to: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n${EXPORT_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return print(EXPORT_USAGE);
  if (values.to === undefined || positionals.length !== 1) throw new ConfigError(EXPORT_USAGE);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.to)) {
    throw new ConfigError(`cannot export to "${values.to}": supported formats are ${EXPORT_FORMATS.join(', ')}`);
  }
  try {
    const plan = planExport(positionals[0]!, values.out);
    const { manifest } = plan;
    if (!manifest.complete) {
      const why = manifest.error ? ` (recording stopped: ${manifest.error.code}: ${manifest.error.message})` : '';
      print(`recording not complete: exporting the ${files(manifest.files.length, 'complete ')}${why}`);
    }
    const summary = await exportToParquet(plan, (f) => {
      print(`${f.name} → ${basename(f.out)}: ${f.rows} rows, ${mb(f.bytesIn)} → ${mb(f.bytesOut)}`);
    });
    const ratio = summary.bytesIn > 0 ? ` (${((100 * summary.bytesOut) / summary.bytesIn).toFixed(0)}%)` : '';
    print(
      `exported ${files(summary.files.length)}, ${summary.rows} rows: ${summary.bytesIn} bytes of Arrow in, ` +
        `${summary.bytesOut} bytes of Parquet out${ratio}, ${PARQUET_COMPRESSION}, in ${summary.outDir}`,
    );
  } catch (err) {
    if (err instanceof ExportError) throw new ConfigError(err.message);
    throw err;
  }
}

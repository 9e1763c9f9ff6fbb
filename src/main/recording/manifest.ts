/** `manifest.json` of a recording directory: what was recorded, and which files are complete. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const InstrumentSchema = z.object({ symbol: z.string(), tickSize: z.string(), lotSize: z.string() });

export const ManifestSchema = z.object({
  format: z.literal('pulse-recording'),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  venues: z.array(z.object({ id: z.string(), kind: z.string(), instruments: z.array(InstrumentSchema) })),
  symbols: z.array(z.string()),
  /** µs since the epoch (recv_ts) of the first and last row in complete files; null when empty */
  timeRange: z.object({ startUs: z.number(), endUs: z.number() }).nullable(),
  files: z.array(z.object({ name: z.string(), rows: z.number().int(), batches: z.number().int(), bytes: z.number().int(), startUs: z.number(), endUs: z.number() })),
  /** true once the recorder closed cleanly */
  complete: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFile = Manifest['files'][number];

export const MANIFEST = 'manifest.json';

export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`no recording in ${dir}: cannot read ${MANIFEST} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const parsed = ManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a Pulse recording manifest: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Written to a temp file and renamed: a reader never sees half a manifest. */
export function writeManifest(dir: string, manifest: Manifest): void {
  const tmp = join(dir, `${MANIFEST}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 2));
  renameSync(tmp, join(dir, MANIFEST));
}

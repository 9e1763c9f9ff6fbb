/** `--replay DIR [--speed N]`: one replay venue per venue of the recording. */
import { resolve } from 'node:path';
import { readManifest } from '../../recording/manifest';
import { replayVenueId } from './settings';

export function replayConfig(dir: string, speed: number | undefined): { enabled: string[]; venues: Record<string, Record<string, unknown>> } {
  const abs = resolve(dir);
  const manifest = readManifest(abs);
  if (manifest.files.length === 0) throw new Error(`recording ${abs} holds no complete file yet`);
  const venues: Record<string, Record<string, unknown>> = {};
  for (const v of manifest.venues) venues[replayVenueId(v.id)] = { dir: abs, source: v.id, ...(speed !== undefined ? { speed } : {}) };
  return { enabled: Object.keys(venues), venues };
}

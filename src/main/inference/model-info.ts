/** Reads what the engine needs to know about a model before running it, from its metadata_props. */
import { readFileSync } from 'node:fs';
import { META } from './model-contract';
import { readOnnxMetadata } from './onnx/signal-model';
import type { ModelInfo } from './signal-service';

/** The model's feature list, horizon and classes; a clear error for a missing file or metadata. */
export function readModelInfo(path: string): ModelInfo {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`no signal model at ${path} (${(err as NodeJS.ErrnoException).code}); train one with \`pulse model train\``);
  }
  let meta: Record<string, string>;
  try {
    meta = readOnnxMetadata(bytes);
  } catch (err) {
    throw new Error(`${path} is not a readable ONNX model: ${(err as Error).message}`);
  }
  const json = <T>(key: string): T => {
    if (!(key in meta)) throw new Error(`${path} has no ${key} in its metadata; it was not made by \`pulse model train\``);
    try {
      return JSON.parse(meta[key]!) as T;
    } catch {
      throw new Error(`${path}: metadata ${key} is not valid JSON`);
    }
  };
  return {
    featureNames: json<string[]>(META.featureNames),
    horizonMs: Number(meta[META.horizonMs] ?? NaN),
    classes: json<string[]>(META.classes),
    trainedAt: meta[META.trainedAt] ?? null,
  };
}

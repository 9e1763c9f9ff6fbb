/**
 * Reads what the engine needs to know about a model before running it: its metadata_props
 * (ModelProto field 14: repeated StringStringEntryProto {key = 1, value = 2}), decoded with a
 * minimal protobuf reader that skips every other field.
 */
import { readFileSync } from 'node:fs';
import { META } from './model-contract';
import type { ModelInfo } from './signal-service';

function* fields(buf: Uint8Array): Generator<{ no: number; wire: number; value: number; bytes: Uint8Array | null }> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint(), bytes: null };
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new Error('length-delimited field runs past the end');
      yield { no, wire, value: len, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

export function readMetadataProps(model: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = new TextDecoder();
  for (const f of fields(model)) {
    if (f.no !== 14 || !f.bytes) continue;
    let key = '';
    let value = '';
    for (const g of fields(f.bytes)) {
      if (g.no === 1 && g.bytes) key = text.decode(g.bytes);
      if (g.no === 2 && g.bytes) value = text.decode(g.bytes);
    }
    out[key] = value;
  }
  return out;
}

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
    meta = readMetadataProps(bytes);
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

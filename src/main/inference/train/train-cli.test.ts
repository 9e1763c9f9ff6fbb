import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../config';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features';
import { META, MODEL_INPUT, MODEL_OUTPUT } from '../model-contract';
import { readOnnxMetadata } from '../onnx/signal-model';
import { modelCommand } from './train-cli';
import { DEFAULT_TRAIN, trainSignalModel, type TrainConfig } from './train';

const SMALL: TrainConfig = { ...DEFAULT_TRAIN, minutes: 2.5, venues: ['sim-b'], freshMinutes: 1, fit: { ...DEFAULT_TRAIN.fit, epochs: 2 } };

describe('pulse model', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pulse-model-'));
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses --recordings for now, saying why', async () => {
    await expect(modelCommand(['train', '--recordings', dir])).rejects.toThrow(/not supported yet/);
    await expect(modelCommand(['train', '--recordings', dir])).rejects.toBeInstanceOf(ConfigError);
  });

  it('answers bad usage with a ConfigError that shows the usage', async () => {
    await expect(modelCommand([])).rejects.toThrow(/usage: pulse model train/);
    await expect(modelCommand(['fly'])).rejects.toBeInstanceOf(ConfigError);
    await expect(modelCommand(['train', '--minutes', 'lots'])).rejects.toThrow(/--minutes must be/);
    await expect(modelCommand(['train', '--minutes', '1'])).rejects.toThrow(/--minutes must be/);
    await expect(modelCommand(['train', '--threshold-bps', '-2'])).rejects.toThrow(/--threshold-bps/);
    await expect(modelCommand(['train', '--colour', 'red'])).rejects.toBeInstanceOf(ConfigError);
    await expect(modelCommand(['info', 'a', 'b'])).rejects.toBeInstanceOf(ConfigError);
  });

  it('trains, writes a model that onnxruntime runs and a report, and prints the model back', async () => {
    const out = join(dir, 'models', 'm.onnx');
    await modelCommand(['train', '--minutes', '2.5', '--fresh-minutes', '1', '--epochs', '2', '--seed', '5', '--out', out]);
    expect(existsSync(out)).toBe(true);
    const report = readFileSync(join(dir, 'models', 'm.report.md'), 'utf8');
    expect(report).toContain('## Verdict');
    expect(report).toContain(`pulse model train --minutes 2.5 --fresh-minutes 1 --epochs 2 --seed 5 --out ${out}`);

    const bytes = new Uint8Array(readFileSync(out));
    const meta = readOnnxMetadata(bytes);
    expect(Object.keys(meta).sort()).toEqual(Object.values(META).sort());
    expect(JSON.parse(meta[META.featureNames])).toEqual(FEATURE_NAMES);
    expect(meta[META.horizonMs]).toBe('5000');
    const metrics = JSON.parse(meta[META.metrics]) as { data: { seed: number }; validation: { model: { accuracy: number } } };
    expect(metrics.data.seed).toBe(5);
    expect(metrics.validation.model.accuracy).toBeGreaterThan(0);

    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
    const x = new Float32Array(2 * FEATURE_COUNT).fill(0.5);
    const res = await session.run({ [MODEL_INPUT]: new ort.Tensor('float32', x, [2, FEATURE_COUNT]) });
    const p = res[MODEL_OUTPUT].data as Float32Array;
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 5);
    await session.release();

    const lines: string[] = [];
    vi.mocked(console.log).mockImplementation((line: string) => void lines.push(line));
    await modelCommand(['info', out]);
    expect(lines.join('\n')).toContain('Sub → Div → Gemm → Relu → Gemm → Relu → Gemm → Softmax');
  });

  it('is deterministic: the same seed gives the same ONNX bytes', () => {
    const at = new Date('2025-06-01T00:00:00Z');
    const a = trainSignalModel(SMALL, undefined, at);
    const b = trainSignalModel(SMALL, undefined, at);
    expect(Buffer.from(a.onnx).equals(Buffer.from(b.onnx))).toBe(true);
    const c = trainSignalModel({ ...SMALL, seed: SMALL.seed + 1 }, undefined, at);
    expect(Buffer.from(c.onnx).equals(Buffer.from(a.onnx))).toBe(false);
  });
});

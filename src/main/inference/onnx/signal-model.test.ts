import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SIGNAL_CLASSES } from '../../../shared/signals';
import { Rng } from '../../venues/simulator/rng';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features';
import { DEFAULT_MODEL_FILE, META, MODEL_INPUT, MODEL_OUTPUT } from '../model-contract';
import { forward, initLayers, type SignalModel } from '../train/mlp';
import { IR_VERSION, OPSET, encodeSignalModel, readOnnxMetadata, readOnnxModel, signalModelFromOnnx } from './signal-model';

function randomModel(seed: number): SignalModel {
  const rng = new Rng(seed);
  const layers = initLayers([FEATURE_COUNT, 32, 16, SIGNAL_CLASSES.length], seed);
  for (const l of layers) for (let i = 0; i < l.bias.length; i++) l.bias[i] = rng.gauss() * 0.3;
  return {
    mean: Float32Array.from({ length: FEATURE_COUNT }, () => rng.gauss() * 5),
    std: Float32Array.from({ length: FEATURE_COUNT }, () => 0.2 + rng.float() * 10),
    layers,
  };
}

function randomFeatures(rng: Rng, batch: number): Float32Array {
  return Float32Array.from({ length: batch * FEATURE_COUNT }, () => rng.gauss() * 20);
}

const metadata = {
  [META.featureNames]: JSON.stringify(FEATURE_NAMES),
  [META.normalization]: JSON.stringify({ mean: [1, 2], std: [3, 4] }),
  [META.horizonMs]: '5000',
  [META.thresholdBps]: '0.98',
  [META.classes]: JSON.stringify(SIGNAL_CLASSES),
  [META.metrics]: JSON.stringify({ note: 'ünïcödé ✓', accuracy: 0.5 }),
  [META.trainedAt]: '2025-01-02T03:04:05.000Z',
};

async function runOrt(bytes: Uint8Array, x: Float32Array, batch: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  try {
    const out = await session.run({ [MODEL_INPUT]: new ort.Tensor('float32', x, [batch, FEATURE_COUNT]) });
    const probs = out[MODEL_OUTPUT];
    expect(probs.dims).toEqual([batch, SIGNAL_CLASSES.length]);
    return probs.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('ONNX export of the signal model', () => {
  it('loads in onnxruntime and matches the TypeScript forward pass within 1e-5 (batch 1 and 7)', async () => {
    const model = randomModel(11);
    const bytes = encodeSignalModel(model, { metadata });
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
    expect(session.inputNames).toEqual([MODEL_INPUT]);
    expect(session.outputNames).toEqual([MODEL_OUTPUT]);
    await session.release();
    const rng = new Rng(5);
    for (const batch of [1, 7]) {
      for (let trial = 0; trial < 3; trial++) {
        const x = randomFeatures(rng, batch);
        const got = await runOrt(bytes, x, batch);
        const want = forward(model, x, batch);
        expect(got.length).toBe(want.length);
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
        for (let r = 0; r < batch; r++) expect(got[r * 3] + got[r * 3 + 1] + got[r * 3 + 2]).toBeCloseTo(1, 5);
      }
    }
  });

  it('writes opset 17, IR 8, the contract graph and the metadata, and reads them back', () => {
    const model = randomModel(3);
    const bytes = encodeSignalModel(model, { metadata });
    const info = readOnnxModel(bytes);
    expect(info.irVersion).toBe(IR_VERSION);
    expect(IR_VERSION).toBe(8);
    expect(info.opsets).toEqual([{ domain: '', version: OPSET }]);
    expect(OPSET).toBe(17);
    expect(info.nodes.map((n) => n.opType)).toEqual(['Sub', 'Div', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Softmax']);
    expect(info.nodes[7].attributes.axis).toBe(-1);
    expect(info.nodes[2].attributes).toEqual({ alpha: 1, beta: 1, transA: 0, transB: 0 });
    expect(info.inputs).toEqual([MODEL_INPUT]);
    expect(info.outputs).toEqual([MODEL_OUTPUT]);
    expect(readOnnxMetadata(bytes)).toEqual(metadata);
    expect(Object.keys(readOnnxMetadata(bytes))).toEqual(Object.keys(metadata));

    const back = signalModelFromOnnx(info);
    expect(back.mean).toEqual(model.mean);
    expect(back.std).toEqual(model.std);
    expect(back.layers.length).toBe(3);
    back.layers.forEach((l, i) => {
      expect([l.inputs, l.outputs]).toEqual([model.layers[i].inputs, model.layers[i].outputs]);
      expect(l.weight).toEqual(model.layers[i].weight);
      expect(l.bias).toEqual(model.layers[i].bias);
    });
  });

  it('refuses inconsistent shapes', () => {
    const model = randomModel(1);
    expect(() => encodeSignalModel({ ...model, std: model.std.subarray(1) }, { metadata: {} })).toThrow(RangeError);
    const layers = [...model.layers];
    layers[1] = { ...layers[1], inputs: 31 };
    expect(() => encodeSignalModel({ ...model, layers }, { metadata: {} })).toThrow(RangeError);
  });

  it('the shipped model speaks the current features and runs the same in onnxruntime and TypeScript', async () => {
    const bytes = new Uint8Array(readFileSync(DEFAULT_MODEL_FILE));
    expect(bytes.length).toBeLessThan(64 * 1024);
    const info = readOnnxModel(bytes);
    expect(JSON.parse(info.metadata[META.featureNames])).toEqual(FEATURE_NAMES);
    expect(JSON.parse(info.metadata[META.classes])).toEqual(SIGNAL_CLASSES);
    expect(Number(info.metadata[META.horizonMs])).toBeGreaterThan(0);
    expect(Number(info.metadata[META.thresholdBps])).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(info.metadata[META.trainedAt]))).toBe(false);
    const norm = JSON.parse(info.metadata[META.normalization]) as { mean: number[]; std: number[] };
    const model = signalModelFromOnnx(info);
    expect(norm.mean).toEqual(Array.from(model.mean));
    expect(norm.std).toEqual(Array.from(model.std));
    expect(JSON.parse(info.metadata[META.metrics])).toHaveProperty('verdict');
    const x = randomFeatures(new Rng(9), 7);
    const got = await runOrt(bytes, x, 7);
    const want = forward(model, x, 7);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
  });
});

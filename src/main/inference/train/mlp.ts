/**
 * The signal model in TypeScript: normalisation, dense layers with ReLU between them, softmax
 * at the end. This is the reference the exported ONNX graph must agree with (see
 * onnx/signal-model.ts), and the forward pass training uses.
 *
 * Weights are row-major [inputs][outputs], so a layer is y = x·W + b, which is ONNX Gemm with
 * transB = 0.
 */
import { Rng } from '../../venues/simulator/rng';

export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** inputs × outputs, row-major */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

export interface SignalModel {
  /** per-feature mean and standard deviation the model's first step normalises with */
  readonly mean: Float32Array;
  readonly std: Float32Array;
  readonly layers: readonly DenseLayer[];
}

/** He-normal weights, zero biases, from `seed` alone. sizes: [inputs, hidden…, outputs]. */
export function initLayers(sizes: readonly number[], seed: number): DenseLayer[] {
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new RangeError(`layer sizes must be at least two positive integers, got ${sizes.join(',')}`);
  }
  const rng = new Rng(seed);
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l];
    const outputs = sizes[l + 1];
    const weight = new Float32Array(inputs * outputs);
    const scale = Math.sqrt(2 / inputs);
    for (let i = 0; i < weight.length; i++) weight[i] = rng.gauss() * scale;
    layers.push({ inputs, outputs, weight, bias: new Float32Array(outputs) });
  }
  return layers;
}

/** y[batch × outputs] = x[batch × inputs]·W + b, then ReLU when `relu`. */
export function dense(layer: DenseLayer, x: Float32Array, batch: number, y: Float32Array, relu: boolean): void {
  const { inputs: n, outputs: m, weight: w, bias } = layer;
  for (let r = 0; r < batch; r++) {
    const xo = r * n;
    const yo = r * m;
    for (let o = 0; o < m; o++) y[yo + o] = bias[o];
    for (let i = 0; i < n; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      const wo = i * m;
      for (let o = 0; o < m; o++) y[yo + o] += xi * w[wo + o];
    }
    if (relu) for (let o = 0; o < m; o++) if (y[yo + o] < 0) y[yo + o] = 0;
  }
}

/** In place, row by row, max-shifted for stability. */
export function softmaxRows(z: Float32Array, batch: number, width: number): void {
  for (let r = 0; r < batch; r++) {
    const o = r * width;
    let max = -Infinity;
    for (let k = 0; k < width; k++) if (z[o + k] > max) max = z[o + k];
    let sum = 0;
    for (let k = 0; k < width; k++) {
      const e = Math.exp(z[o + k] - max);
      z[o + k] = e;
      sum += e;
    }
    for (let k = 0; k < width; k++) z[o + k] /= sum;
  }
}

/** (x − mean) / std per feature, into out (may be x itself). */
export function normalise(model: Pick<SignalModel, 'mean' | 'std'>, x: Float32Array, batch: number, out: Float32Array): void {
  const f = model.mean.length;
  for (let r = 0; r < batch; r++) {
    for (let i = 0; i < f; i++) out[r * f + i] = (x[r * f + i] - model.mean[i]) / model.std[i];
  }
}

/** Probabilities [batch × classes] for raw features [batch × F]: what the ONNX graph computes. */
export function forward(model: SignalModel, features: Float32Array, batch: number): Float32Array {
  const f = model.mean.length;
  if (features.length < batch * f) throw new RangeError(`forward: need ${batch * f} values, got ${features.length}`);
  let x = new Float32Array(batch * f);
  normalise(model, features, batch, x);
  model.layers.forEach((layer, l) => {
    const y = new Float32Array(batch * layer.outputs);
    dense(layer, x, batch, y, l < model.layers.length - 1);
    x = y;
  });
  softmaxRows(x, batch, model.layers[model.layers.length - 1].outputs);
  return x;
}

/** Index of the largest value in each row. */
export function argmaxRows(p: Float32Array, batch: number, width: number, out: Uint8Array): void {
  for (let r = 0; r < batch; r++) {
    let best = 0;
    for (let k = 1; k < width; k++) if (p[r * width + k] > p[r * width + best]) best = k;
    out[r] = best;
  }
}

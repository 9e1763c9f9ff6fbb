/**
 * Minibatch training of the MLP: softmax cross-entropy, Adam, L2 on weights, a cosine decay of
 * the step size, and early stopping on a held-out tuning set when one is given (the weights of
 * the epoch with the lowest tuning loss are kept). Float32Array math throughout and one seeded
 * stream for init and shuffling, so the same data and options give bit-identical weights.
 */
import { Rng } from '../../venues/simulator/rng';
import { dense, initLayers, softmaxRows, type DenseLayer } from './mlp';

export interface FitOptions {
  readonly hidden: readonly number[];
  readonly classes: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** L2 penalty on weights (not biases) */
  readonly weightDecay: number;
  readonly seed: number;
  /** stop after this many epochs without a lower tuning loss (only with a tuning set) */
  readonly patience: number;
}

export const DEFAULT_FIT: Omit<FitOptions, 'classes' | 'seed'> = {
  hidden: [32, 16],
  epochs: 30,
  batchSize: 256,
  learningRate: 1e-3,
  // strong: on a near-martingale mid, weak decay lets the net memorise each symbol's drift in the training period
  weightDecay: 1e-2,
  patience: 5,
};

export interface FitResult {
  layers: DenseLayer[];
  /** mean training cross-entropy of each epoch run */
  epochLoss: number[];
  /** mean tuning cross-entropy after each epoch run (empty without a tuning set) */
  tuneLoss: number[];
  /** 1-based epoch whose weights were kept */
  bestEpoch: number;
}

/** Rows held out of training to choose the epoch: normalised features and labels. */
export interface TuneSet {
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly n: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;
/** the step size decays along a half cosine to this share of its start */
const FINAL_LR_SHARE = 0.1;

/**
 * x: n × f normalised features (row-major), y: class index per row. onEpoch is told each
 * epoch's mean loss.
 */
export function fit(
  x: Float32Array,
  y: Uint8Array,
  n: number,
  f: number,
  opts: FitOptions,
  tune?: TuneSet,
  onEpoch?: (epoch: number, loss: number, tuneLoss: number) => void,
): FitResult {
  if (n < 1 || x.length < n * f || y.length < n) throw new RangeError(`fit: ${n} rows of ${f} features do not match the arrays`);
  const sizes = [f, ...opts.hidden, opts.classes];
  const rng = new Rng(opts.seed);
  const layers = initLayers(sizes, rng.u32());
  const L = layers.length;
  const B = Math.max(1, Math.min(opts.batchSize, n));

  const acts = sizes.map((s) => new Float32Array(B * s));
  const deltas = sizes.map((s) => new Float32Array(B * s));
  const gW = layers.map((l) => new Float32Array(l.weight.length));
  const gb = layers.map((l) => new Float32Array(l.bias.length));
  const mW = layers.map((l) => new Float32Array(l.weight.length));
  const vW = layers.map((l) => new Float32Array(l.weight.length));
  const mb = layers.map((l) => new Float32Array(l.bias.length));
  const vb = layers.map((l) => new Float32Array(l.bias.length));
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;

  const stepsPerEpoch = Math.ceil(n / B);
  const totalSteps = stepsPerEpoch * opts.epochs;
  let step = 0;
  const epochLoss: number[] = [];
  const tuneLoss: number[] = [];
  let best = { loss: Infinity, epoch: opts.epochs, layers: layers.map(copyLayer) };

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let lossSum = 0;
    for (let start = 0; start < n; start += B) {
      const b = Math.min(B, n - start);
      const x0 = acts[0];
      for (let r = 0; r < b; r++) {
        const src = order[start + r] * f;
        for (let i = 0; i < f; i++) x0[r * f + i] = x[src + i];
      }
      for (let l = 0; l < L; l++) dense(layers[l], acts[l], b, acts[l + 1], l < L - 1);
      const p = acts[L];
      const c = opts.classes;
      softmaxRows(p, b, c);

      const dOut = deltas[L];
      for (let r = 0; r < b; r++) {
        const label = y[order[start + r]];
        lossSum -= Math.log(Math.max(p[r * c + label], 1e-12));
        for (let k = 0; k < c; k++) dOut[r * c + k] = (p[r * c + k] - (k === label ? 1 : 0)) / b;
      }
      for (let l = L - 1; l >= 0; l--) backward(layers[l], acts[l], deltas[l + 1], b, gW[l], gb[l], l > 0 ? deltas[l] : null);

      step++;
      const lr = opts.learningRate * (FINAL_LR_SHARE + (1 - FINAL_LR_SHARE) * 0.5 * (1 + Math.cos((Math.PI * (step - 1)) / totalSteps)));
      const c1 = 1 - BETA1 ** step;
      const c2 = 1 - BETA2 ** step;
      for (let l = 0; l < L; l++) {
        adam(layers[l].weight, gW[l], mW[l], vW[l], lr, c1, c2, opts.weightDecay);
        adam(layers[l].bias, gb[l], mb[l], vb[l], lr, c1, c2, 0);
      }
    }
    const loss = lossSum / n;
    epochLoss.push(loss);
    const tl = tune ? crossEntropy(layers, tune, opts.classes) : NaN;
    onEpoch?.(epoch, loss, tl);
    if (tune) {
      tuneLoss.push(tl);
      if (tl < best.loss) best = { loss: tl, epoch: epoch + 1, layers: layers.map(copyLayer) };
      else if (epoch + 1 - best.epoch >= opts.patience) break;
    }
  }
  return tune ? { layers: best.layers, epochLoss, tuneLoss, bestEpoch: best.epoch } : { layers, epochLoss, tuneLoss, bestEpoch: epochLoss.length };
}

function copyLayer(l: DenseLayer): DenseLayer {
  return { inputs: l.inputs, outputs: l.outputs, weight: l.weight.slice(), bias: l.bias.slice() };
}

/** Mean cross-entropy of the layers on a labelled set, in chunks. */
function crossEntropy(layers: readonly DenseLayer[], set: TuneSet, classes: number): number {
  const f = layers[0].inputs;
  const chunk = 1024;
  const acts = [f, ...layers.map((l) => l.outputs)].map((s) => new Float32Array(chunk * s));
  let sum = 0;
  for (let start = 0; start < set.n; start += chunk) {
    const b = Math.min(chunk, set.n - start);
    acts[0].set(set.x.subarray(start * f, (start + b) * f));
    for (let l = 0; l < layers.length; l++) dense(layers[l], acts[l], b, acts[l + 1], l < layers.length - 1);
    const p = acts[layers.length];
    softmaxRows(p, b, classes);
    for (let r = 0; r < b; r++) sum -= Math.log(Math.max(p[r * classes + set.y[start + r]], 1e-12));
  }
  return sum / set.n;
}

/**
 * Gradients of one layer from the gradient at its output (dOut, already through the softmax
 * or the next ReLU): gW = xᵀ·dOut, gb = Σ dOut, and, when dIn is given, the gradient at its
 * input through the ReLU that produced x (x > 0).
 */
function backward(layer: DenseLayer, x: Float32Array, dOut: Float32Array, b: number, gW: Float32Array, gb: Float32Array, dIn: Float32Array | null): void {
  const { inputs: n, outputs: m, weight: w } = layer;
  gW.fill(0);
  gb.fill(0);
  for (let r = 0; r < b; r++) {
    const xo = r * n;
    const d = r * m;
    for (let o = 0; o < m; o++) gb[o] += dOut[d + o];
    for (let i = 0; i < n; i++) {
      const xi = x[xo + i];
      if (xi !== 0) {
        const wo = i * m;
        for (let o = 0; o < m; o++) gW[wo + o] += xi * dOut[d + o];
      }
    }
    if (dIn) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        if (x[xo + i] > 0) {
          const wo = i * m;
          for (let o = 0; o < m; o++) s += w[wo + o] * dOut[d + o];
        }
        dIn[xo + i] = s;
      }
    }
  }
}

function adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, c1: number, c2: number, decay: number): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] + decay * w[i];
    m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
    v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
    w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + EPS);
  }
}

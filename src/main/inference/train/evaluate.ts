/**
 * Labels, the time split, scores and the baselines the model is judged against.
 * Classes are indices into SIGNAL_CLASSES: 0 down, 1 flat, 2 up.
 */
import { SIGNAL_CLASSES } from '../../../shared/signals';

export const DOWN = 0;
export const FLAT = 1;
export const UP = 2;
const K = SIGNAL_CLASSES.length;

/** |move| under the threshold is flat (the contract's META.thresholdBps). */
export function labelOf(moveBps: number, thresholdBps: number): number {
  return moveBps >= thresholdBps ? UP : moveBps <= -thresholdBps ? DOWN : FLAT;
}

/**
 * The threshold that makes roughly a third of the moves flat: the 1/3 quantile of |move|,
 * rounded to 0.01 bps; the rest split into up and down by the sign of the move.
 */
export function balancedThreshold(moves: ArrayLike<number>, rows: ArrayLike<number>): number {
  const abs = Float64Array.from({ length: rows.length }, (_, i) => Math.abs(moves[rows[i]]));
  abs.sort();
  if (abs.length === 0) throw new RangeError('no samples to set the threshold from');
  const q = abs[Math.floor(abs.length / 3)];
  return Math.max(0.01, Math.round(q * 100) / 100);
}

export interface TimeSplit {
  readonly train: Uint32Array;
  /** held out of training to choose the epoch (early stopping) */
  readonly tune: Uint32Array;
  readonly validation: Uint32Array;
  /** where tuning and validation samples start, ms of session time */
  readonly tuneFromMs: number;
  readonly validationFromMs: number;
}

/**
 * Session time is cut in three, in order: training, tuning (the next `tuneShare`) and
 * validation (the last `validationShare`). A sample belongs to a period only if its horizon
 * ends inside it too, so no label looks across a cut.
 */
export function splitByTime(tsMs: Float64Array, durationMs: number, validationShare: number, tuneShare: number, horizonMs: number): TimeSplit {
  const validationFromMs = durationMs * (1 - validationShare);
  const tuneFromMs = durationMs * (1 - validationShare - tuneShare);
  const train: number[] = [];
  const tune: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < tsMs.length; i++) {
    const t = tsMs[i];
    if (t >= validationFromMs) validation.push(i);
    else if (t >= tuneFromMs) {
      if (t + horizonMs < validationFromMs) tune.push(i);
    } else if (t + horizonMs < tuneFromMs) train.push(i);
  }
  return { train: Uint32Array.from(train), tune: Uint32Array.from(tune), validation: Uint32Array.from(validation), tuneFromMs, validationFromMs };
}

export interface Scores {
  /** rows: true class, columns: predicted, in SIGNAL_CLASSES order */
  readonly confusion: number[][];
  readonly accuracy: number;
  readonly macroF1: number;
  readonly f1: number[];
  readonly count: number;
}

export function score(truth: ArrayLike<number>, predicted: ArrayLike<number>): Scores {
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < truth.length; i++) confusion[truth[i]][predicted[i]]++;
  let correct = 0;
  const f1: number[] = [];
  for (let k = 0; k < K; k++) {
    correct += confusion[k][k];
    const predictedK = confusion.reduce((s, row) => s + row[k], 0);
    const actualK = confusion[k].reduce((s, v) => s + v, 0);
    const precision = predictedK ? confusion[k][k] / predictedK : 0;
    const recall = actualK ? confusion[k][k] / actualK : 0;
    f1.push(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0);
  }
  return {
    confusion,
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: f1.reduce((s, v) => s + v, 0) / K,
    f1,
    count: truth.length,
  };
}

export interface ImbalanceRule {
  /** index of the imbalance feature used */
  readonly feature: number;
  /** |imbalance| up to this is flat */
  readonly band: number;
}

export function imbalanceSign(value: number, band: number): number {
  return value > band ? UP : value < -band ? DOWN : FLAT;
}

const BANDS = Array.from({ length: 20 }, (_, i) => i * 0.05);

/**
 * The "sign of imbalance" baseline, given its best chance: the imbalance depth and flat band
 * with the highest macro-F1 on the training rows (its sign is fixed: more bid than ask → up).
 */
export function fitImbalanceRule(
  features: Float32Array,
  width: number,
  candidates: readonly number[],
  labels: Uint8Array,
  rows: Uint32Array,
): ImbalanceRule {
  let best: ImbalanceRule = { feature: candidates[0], band: 0 };
  let bestF1 = -1;
  const pred = new Uint8Array(rows.length);
  const truth = Uint8Array.from(rows, (r) => labels[r]);
  for (const feature of candidates) {
    for (const band of BANDS) {
      for (let i = 0; i < rows.length; i++) pred[i] = imbalanceSign(features[rows[i] * width + feature], band);
      const f1 = score(truth, pred).macroF1;
      if (f1 > bestF1 + 1e-12) {
        bestF1 = f1;
        best = { feature, band };
      }
    }
  }
  return best;
}

/**
 * From a simulated session to an ONNX file and its report: samples → time split → labels →
 * normalisation → MLP (early-stopped on a tuning period) → scores next to the baselines on the
 * validation period and on a fresh session → ONNX bytes with metadata.
 */
import { SIGNAL_CLASSES } from '../../../shared/signals';
import { FEATURE_COUNT, FEATURE_MIRROR, FEATURE_NAMES } from '../features';
import { META } from '../model-contract';
import { encodeSignalModel } from '../onnx/signal-model';
import { Rng } from '../../venues/simulator/rng';
import { argmaxRows, forward, normalise, type SignalModel } from './mlp';
import { simulateSession, type Samples } from './session';
import { DEFAULT_FIT, fit, type FitOptions } from './trainer';
import {
  DOWN,
  FLAT,
  UP,
  balancedThreshold,
  fitImbalanceRule,
  imbalanceSign,
  labelOf,
  score,
  splitByTime,
  type ImbalanceRule,
  type Scores,
} from './evaluate';

export interface TrainConfig {
  readonly minutes: number;
  readonly seed: number;
  readonly horizonMs: number;
  /** 'auto': a third of the training moves are flat (see balancedThreshold) */
  readonly thresholdBps: number | 'auto';
  readonly venues: readonly string[];
  readonly updatesPerSecond: number;
  readonly sampleEveryMs: number;
  /** the last share of the session, by time, held out for validation */
  readonly validationShare: number;
  /** the share before it, held out to choose the epoch */
  readonly tuneShare: number;
  /** minutes of a second session, simulated from another seed, scored like validation; 0 skips it */
  readonly freshMinutes: number;
  /** add each training and tuning sample's mirror image (see FEATURE_MIRROR) */
  readonly mirror: boolean;
  readonly fit: Omit<FitOptions, 'classes' | 'seed'>;
  /** the command line that made the model, for the report */
  readonly command?: string;
}

export const DEFAULT_TRAIN: TrainConfig = {
  minutes: 30,
  seed: 7,
  horizonMs: 5_000,
  thresholdBps: 'auto',
  venues: ['sim-a', 'sim-b', 'sim-c'],
  updatesPerSecond: 200,
  sampleEveryMs: 100,
  validationShare: 0.2,
  tuneShare: 0.1,
  freshMinutes: 10,
  mirror: true,
  fit: DEFAULT_FIT,
};

/** The fresh session's seed: another fundamental path, so its drift is independent of training's. */
export function freshSeedOf(seed: number): number {
  return seed + 1_000;
}

export interface ScoreSummary {
  accuracy: number;
  macroF1: number;
  /** per class, SIGNAL_CLASSES order */
  f1: number[];
  /** rows true, columns predicted, SIGNAL_CLASSES order */
  confusion: number[][];
  /** of the samples called up or down that did move up or down, the share called the right way (0.5 is a coin) */
  directionHitRate: number;
}

export interface EvaluationSet {
  samples: number;
  /** class shares, SIGNAL_CLASSES order */
  classShare: number[];
  model: ScoreSummary & { logLoss: number };
  alwaysFlat: ScoreSummary;
  imbalanceSign: ScoreSummary;
  /** log loss of always answering the training class shares: what a model with no information scores */
  priorLogLoss: number;
  /** beats both baselines on accuracy and on macro-F1, and the prior on log loss */
  beats: { accuracy: boolean; macroF1: boolean; logLoss: boolean };
  /** how much the model's log loss rises when one feature's column is shuffled, largest first */
  importance: Array<{ feature: string; logLossIncrease: number }>;
}

/** What the metadata's pulse.metrics holds and the markdown report shows. */
export interface TrainingReport {
  data: {
    source: 'simulator';
    venues: string[];
    books: string[];
    minutes: number;
    seed: number;
    updatesPerSecond: number;
    sampleEveryMs: number;
    updates: number;
    trades: number;
    /** before mirroring */
    samples: { train: number; tune: number };
    mirrored: boolean;
    /** where the tuning and the validation periods start */
    tuneFromMinute: number;
    validationFromMinute: number;
    classShare: { train: number[]; tune: number[] };
  };
  target: { horizonMs: number; thresholdBps: number; thresholdRule: string };
  model: {
    architecture: string;
    parameters: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    weightDecay: number;
    patience: number;
    /** epoch whose weights were kept (lowest tuning loss) */
    bestEpoch: number;
    trainLossByEpoch: number[];
    tuneLossByEpoch: number[];
  };
  /** the imbalance baseline as fitted on the training period */
  imbalanceRule: { feature: string; band: number };
  train: { model: ScoreSummary & { logLoss: number } };
  validation: EvaluationSet;
  fresh: (EvaluationSet & { seed: number; minutes: number }) | null;
  /** true only when the model beats the baselines everywhere it was tested */
  beatsBaselines: boolean;
  verdict: string;
  command: string;
}

export interface TrainResult {
  model: SignalModel;
  onnx: Uint8Array;
  metadata: Record<string, string>;
  report: TrainingReport;
}

export function trainSignalModel(cfg: TrainConfig, log: (line: string) => void = () => {}, trainedAt = new Date()): TrainResult {
  const t0 = performance.now();
  log(`simulating ${cfg.minutes} min on ${cfg.venues.join(', ')} at ${cfg.updatesPerSecond} updates/s per venue (seed ${cfg.seed})…`);
  const samples = simulate(cfg, cfg.minutes, cfg.seed);
  const fresh = cfg.freshMinutes > 0 ? simulate(cfg, cfg.freshMinutes, freshSeedOf(cfg.seed)) : null;
  const t1 = performance.now();
  const split = splitByTime(samples.tsMs, samples.durationMs, cfg.validationShare, cfg.tuneShare, cfg.horizonMs);
  if (split.train.length < 100 || split.tune.length < 30 || split.validation.length < 30) {
    throw new RangeError(
      `too little data: ${split.train.length} training, ${split.tune.length} tuning and ${split.validation.length} validation samples; simulate more minutes`,
    );
  }
  log(
    `${samples.updates} updates, ${samples.trades} trades → ${split.train.length} training, ${split.tune.length} tuning (from ${min(split.tuneFromMs)}) ` +
      `and ${split.validation.length} validation samples (from ${min(split.validationFromMs)})`,
  );

  const thresholdBps = cfg.thresholdBps === 'auto' ? balancedThreshold(samples.futureBps, split.train) : cfg.thresholdBps;
  const labels = Uint8Array.from(samples.futureBps, (m) => labelOf(m, thresholdBps));
  const train = labelled(samples, labels, split.train);
  const tune = labelled(samples, labels, split.tune);
  const fitTrain = cfg.mirror ? withMirror(train) : train;
  const fitTune = cfg.mirror ? withMirror(tune) : tune;
  // over the mirrored set the sign-flipping features have mean 0, so normalising commutes with mirroring
  const { mean, std } = meanStd(fitTrain);
  const trainNorm = new Float32Array(fitTrain.x.length);
  normalise({ mean, std }, fitTrain.x, fitTrain.n, trainNorm);
  const tuneNorm = new Float32Array(fitTune.x.length);
  normalise({ mean, std }, fitTune.x, fitTune.n, tuneNorm);

  log(`threshold ${thresholdBps} bps; training ${[FEATURE_COUNT, ...cfg.fit.hidden, SIGNAL_CLASSES.length].join('→')} for up to ${cfg.fit.epochs} epochs…`);
  const fitted = fit(
    trainNorm,
    fitTrain.y,
    fitTrain.n,
    FEATURE_COUNT,
    { ...cfg.fit, classes: SIGNAL_CLASSES.length, seed: cfg.seed },
    { x: tuneNorm, y: fitTune.y, n: fitTune.n },
    (e, loss, tuneLoss) => log(`  epoch ${e + 1}: train loss ${loss.toFixed(4)}, tuning loss ${tuneLoss.toFixed(4)}`),
  );
  log(`kept the weights of epoch ${fitted.bestEpoch} (lowest tuning loss); simulation took ${sec(t1 - t0)}, training ${sec(performance.now() - t1)}`);
  const model: SignalModel = { mean, std, layers: fitted.layers };

  const imbalanceFeatures = ['imbalance_l1', 'imbalance_l5', 'imbalance_l10'].map((n) => FEATURE_NAMES.indexOf(n));
  const rule = fitImbalanceRule(samples.features, FEATURE_COUNT, imbalanceFeatures, labels, split.train);
  const prior = shares(fitTrain.y);
  const validation = evaluateSet(model, rule, prior, labelled(samples, labels, split.validation), cfg.seed);
  logSet(log, 'validation', validation);
  let freshSet: TrainingReport['fresh'] = null;
  if (fresh) {
    const freshLabels = Uint8Array.from(fresh.futureBps, (m) => labelOf(m, thresholdBps));
    const all = Uint32Array.from({ length: fresh.count }, (_, i) => i);
    freshSet = { ...evaluateSet(model, rule, prior, labelled(fresh, freshLabels, all), cfg.seed), seed: freshSeedOf(cfg.seed), minutes: cfg.freshMinutes };
    logSet(log, `fresh session (seed ${freshSet.seed}, ${cfg.freshMinutes} min)`, freshSet);
  }
  const sets = freshSet ? [validation, freshSet] : [validation];
  const beatsBaselines = sets.every((s) => s.beats.accuracy && s.beats.macroF1 && s.beats.logLoss);
  const verdict = verdictOf(validation, freshSet, beatsBaselines);
  log(verdict);

  const report: TrainingReport = {
    data: {
      source: 'simulator',
      venues: [...cfg.venues],
      books: [...samples.books],
      minutes: cfg.minutes,
      seed: cfg.seed,
      updatesPerSecond: cfg.updatesPerSecond,
      sampleEveryMs: cfg.sampleEveryMs,
      updates: samples.updates,
      trades: samples.trades,
      samples: { train: train.n, tune: tune.n },
      mirrored: cfg.mirror,
      tuneFromMinute: split.tuneFromMs / 60_000,
      validationFromMinute: split.validationFromMs / 60_000,
      classShare: { train: shares(train.y).map((v) => round(v, 4)), tune: shares(tune.y).map((v) => round(v, 4)) },
    },
    target: {
      horizonMs: cfg.horizonMs,
      thresholdBps,
      thresholdRule:
        cfg.thresholdBps === 'auto'
          ? '1/3 quantile of |mid move| over the training period, rounded to 0.01 bps (about a third flat, the rest up or down by sign)'
          : 'given on the command line',
    },
    model: {
      architecture: [FEATURE_COUNT, ...cfg.fit.hidden, SIGNAL_CLASSES.length].join('-'),
      parameters: model.layers.reduce((s, l) => s + l.weight.length + l.bias.length, 0),
      epochs: cfg.fit.epochs,
      batchSize: cfg.fit.batchSize,
      learningRate: cfg.fit.learningRate,
      weightDecay: cfg.fit.weightDecay,
      patience: cfg.fit.patience,
      bestEpoch: fitted.bestEpoch,
      trainLossByEpoch: fitted.epochLoss.map((l) => round(l, 5)),
      tuneLossByEpoch: fitted.tuneLoss.map((l) => round(l, 5)),
    },
    imbalanceRule: { feature: FEATURE_NAMES[rule.feature], band: round(rule.band, 4) },
    train: { model: modelScores(model, train) },
    validation,
    fresh: freshSet,
    beatsBaselines,
    verdict,
    command: cfg.command ?? '',
  };

  const metadata: Record<string, string> = {
    [META.featureNames]: JSON.stringify(FEATURE_NAMES),
    [META.normalization]: JSON.stringify({ mean: Array.from(mean), std: Array.from(std) }),
    [META.horizonMs]: String(cfg.horizonMs),
    [META.thresholdBps]: String(thresholdBps),
    [META.classes]: JSON.stringify(SIGNAL_CLASSES),
    [META.metrics]: JSON.stringify(report),
    [META.trainedAt]: trainedAt.toISOString(),
  };
  const onnx = encodeSignalModel(model, {
    metadata,
    docString: `Pulse signal: direction of the mid over ${cfg.horizonMs} ms (down/flat/up, ±${thresholdBps} bps). Made by: ${cfg.command || 'trainSignalModel'}`,
  });
  return { model, onnx, metadata, report };
}

function simulate(cfg: TrainConfig, minutes: number, seed: number): Samples {
  return simulateSession({
    minutes,
    seed,
    venues: cfg.venues,
    updatesPerSecond: cfg.updatesPerSecond,
    horizonMs: cfg.horizonMs,
    sampleEveryMs: cfg.sampleEveryMs,
  });
}

export interface Labelled {
  /** raw features, n × FEATURE_COUNT */
  x: Float32Array;
  y: Uint8Array;
  n: number;
}

function labelled(samples: Samples, labels: Uint8Array, rows: Uint32Array): Labelled {
  const x = new Float32Array(rows.length * FEATURE_COUNT);
  rows.forEach((r, k) => x.set(samples.features.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT), k * FEATURE_COUNT));
  return { x, y: Uint8Array.from(rows, (r) => labels[r]), n: rows.length };
}

/** The set followed by its mirror image: sign-flipping features negated, up and down swapped. */
export function withMirror(set: Labelled): Labelled {
  const n = set.n * 2;
  const x = new Float32Array(n * FEATURE_COUNT);
  const y = new Uint8Array(n);
  x.set(set.x);
  y.set(set.y);
  for (let r = 0; r < set.n; r++) {
    const o = (set.n + r) * FEATURE_COUNT;
    for (let i = 0; i < FEATURE_COUNT; i++) x[o + i] = FEATURE_MIRROR[i] * set.x[r * FEATURE_COUNT + i];
    y[set.n + r] = set.y[r] === UP ? DOWN : set.y[r] === DOWN ? UP : FLAT;
  }
  return { x, y, n };
}

function meanStd(set: Labelled): { mean: Float32Array; std: Float32Array } {
  const sum = new Float64Array(FEATURE_COUNT);
  const sq = new Float64Array(FEATURE_COUNT);
  for (let r = 0; r < set.n; r++) {
    for (let i = 0; i < FEATURE_COUNT; i++) sum[i] += set.x[r * FEATURE_COUNT + i];
  }
  const mean = Float32Array.from(sum, (s) => s / set.n);
  for (let r = 0; r < set.n; r++) {
    for (let i = 0; i < FEATURE_COUNT; i++) sq[i] += (set.x[r * FEATURE_COUNT + i] - mean[i]) ** 2;
  }
  // a constant feature is left as it is (std 1) rather than divided by zero
  const std = Float32Array.from(sq, (s) => {
    const sd = Math.sqrt(s / set.n);
    return sd > 1e-6 ? sd : 1;
  });
  return { mean, std };
}

function modelScores(model: SignalModel, set: Labelled): ScoreSummary & { logLoss: number } {
  const c = SIGNAL_CLASSES.length;
  const p = forward(model, set.x, set.n);
  const pred = new Uint8Array(set.n);
  argmaxRows(p, set.n, c, pred);
  return { ...summary(score(set.y, pred)), logLoss: round(logLoss(p, set.y), 5) };
}

function logLoss(p: Float32Array, y: Uint8Array): number {
  const c = SIGNAL_CLASSES.length;
  let loss = 0;
  for (let i = 0; i < y.length; i++) loss -= Math.log(Math.max(p[i * c + y[i]], 1e-12));
  return loss / y.length;
}

/** Permutation importance: the rise in log loss when one feature's values are shuffled across the set. */
export function permutationImportance(model: SignalModel, set: Labelled, seed: number): Array<{ feature: string; logLossIncrease: number }> {
  const base = logLoss(forward(model, set.x, set.n), set.y);
  const rng = new Rng(seed);
  const out = FEATURE_NAMES.map((feature, f) => {
    const x = set.x.slice();
    for (let i = set.n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = x[i * FEATURE_COUNT + f];
      x[i * FEATURE_COUNT + f] = x[j * FEATURE_COUNT + f];
      x[j * FEATURE_COUNT + f] = t;
    }
    return { feature, logLossIncrease: round(logLoss(forward(model, x, set.n), set.y) - base, 5) };
  });
  return out.sort((a, b) => b.logLossIncrease - a.logLossIncrease);
}

function evaluateSet(model: SignalModel, rule: ImbalanceRule, prior: number[], set: Labelled, seed: number): EvaluationSet {
  const m = modelScores(model, set);
  const alwaysFlat = summary(score(set.y, new Uint8Array(set.n).fill(FLAT)));
  const imbPred = new Uint8Array(set.n);
  for (let i = 0; i < set.n; i++) imbPred[i] = imbalanceSign(set.x[i * FEATURE_COUNT + rule.feature], rule.band);
  const imbalance = summary(score(set.y, imbPred));
  let priorLoss = 0;
  for (const y of set.y) priorLoss -= Math.log(prior[y]);
  const priorLogLoss = round(priorLoss / set.n, 5);
  return {
    samples: set.n,
    classShare: shares(set.y).map((v) => round(v, 4)),
    model: m,
    alwaysFlat,
    imbalanceSign: imbalance,
    priorLogLoss,
    beats: {
      accuracy: m.accuracy > Math.max(alwaysFlat.accuracy, imbalance.accuracy),
      macroF1: m.macroF1 > Math.max(alwaysFlat.macroF1, imbalance.macroF1),
      logLoss: m.logLoss < priorLogLoss,
    },
    importance: permutationImportance(model, set, seed),
  };
}

function logSet(log: (line: string) => void, name: string, s: EvaluationSet): void {
  log(
    `${name}: model accuracy ${pct(s.model.accuracy)}, macro-F1 ${s.model.macroF1.toFixed(3)}, log loss ${s.model.logLoss.toFixed(4)} ` +
      `(prior ${s.priorLogLoss.toFixed(4)}); always flat ${pct(s.alwaysFlat.accuracy)} / ${s.alwaysFlat.macroF1.toFixed(3)}; ` +
      `imbalance sign ${pct(s.imbalanceSign.accuracy)} / ${s.imbalanceSign.macroF1.toFixed(3)}`,
  );
}

function summary(s: Scores): ScoreSummary {
  const c = s.confusion;
  const called = c[UP][UP] + c[UP][DOWN] + c[DOWN][UP] + c[DOWN][DOWN];
  return {
    accuracy: round(s.accuracy, 5),
    macroF1: round(s.macroF1, 5),
    f1: s.f1.map((v) => round(v, 5)),
    confusion: c,
    directionHitRate: called ? round((c[UP][UP] + c[DOWN][DOWN]) / called, 5) : NaN,
  };
}

function shares(y: Uint8Array): number[] {
  const counts = new Array<number>(SIGNAL_CLASSES.length).fill(0);
  for (const v of y) counts[v]++;
  return counts.map((c) => c / Math.max(1, y.length));
}

function describe(s: EvaluationSet): string {
  const acc = Math.max(s.alwaysFlat.accuracy, s.imbalanceSign.accuracy);
  const f1 = Math.max(s.alwaysFlat.macroF1, s.imbalanceSign.macroF1);
  return (
    `accuracy ${pct(s.model.accuracy)} vs best baseline ${pct(acc)}, macro-F1 ${s.model.macroF1.toFixed(3)} vs ${f1.toFixed(3)}, ` +
    `log loss ${s.model.logLoss.toFixed(4)} vs prior ${s.priorLogLoss.toFixed(4)}`
  );
}

function verdictOf(validation: EvaluationSet, fresh: EvaluationSet | null, beats: boolean): string {
  const sets = fresh ? [validation, fresh] : [validation];
  const where = `validation: ${describe(validation)}${fresh ? `; fresh session: ${describe(fresh)}` : ''}`;
  const head = beats
    ? `The model beats both baselines and the prior on every held-out set (${where}).`
    : `The model does NOT reliably beat the baselines: it fails at least one of accuracy, macro-F1 or log loss on a held-out set (${where}).`;
  const hits = sets.map((s) => s.model.directionHitRate).filter((h) => !Number.isNaN(h));
  const coin = hits.length > 0 && hits.every((h) => h < 0.53);
  const top = validation.importance.slice(0, 3).map((i) => i.feature).join(', ');
  const direction = coin
    ? ` It has no directional edge: when it calls up or down and the mid does move, it has the sign right ${hits.map(pct).join(' and ')} of the time, a coin flip.`
    : hits.length > 0
      ? ` When it calls up or down and the mid does move, it has the sign right ${hits.map(pct).join(' and ')} of the time.`
      : ' It never calls up or down.';
  const learned = validation.model.logLoss < validation.priorLogLoss ? ` What information it has comes mostly from ${top} (the features whose shuffling costs the most log loss).` : '';
  return head + direction + learned;
}

function sec(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function min(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)} %`;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

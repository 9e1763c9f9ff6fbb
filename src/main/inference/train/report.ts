/** The training report as markdown, written next to the model. */
import { SIGNAL_CLASSES } from '../../../shared/signals';
import { FEATURE_NAMES } from '../features';
import type { EvaluationSet, ScoreSummary, TrainingReport } from './train';

export function reportMarkdown(r: TrainingReport, modelFile: string, trainedAt: string, bytes: number): string {
  const d = r.data;
  const lines: string[] = [
    `# Pulse signal model: training report`,
    '',
    `\`${modelFile}\` (${bytes} bytes), trained ${trainedAt}.`,
    '',
    `Made by: \`${r.command || '(trainSignalModel, no command line)'}\``,
    '',
    '## Verdict',
    '',
    r.verdict,
    '',
    '## Data',
    '',
    `- Source: the built-in simulator, ${d.minutes} simulated minutes, seed ${d.seed}, venues ${d.venues.join(', ')} at ${d.updatesPerSecond} updates/s each; books: ${d.books.join(', ')}.`,
    `- ${d.updates} book updates and ${d.trades} trades, applied to an \`L2Book\` and fed to \`FeatureState\` as the engine does; each book sampled at most every ${d.sampleEveryMs} ms once 30 s of history exist.`,
    `- Split by time: training before minute ${fmt(d.tuneFromMinute, 1)}, tuning (early stopping) until minute ${fmt(d.validationFromMinute, 1)}, validation after. A sample whose horizon crosses a cut is dropped, so no label looks into the next period.`,
    `- Samples: ${d.samples.train} training, ${d.samples.tune} tuning${d.mirrored ? ' (each doubled by its mirror image for fitting, see docs/model.md)' : ''}, ${r.validation.samples} validation${r.fresh ? `, ${r.fresh.samples} in a fresh session (seed ${r.fresh.seed}, ${r.fresh.minutes} min: other price paths, never seen in training)` : ''}.`,
    '',
    '## Target',
    '',
    `Direction of the book's mid over the next ${r.target.horizonMs} ms: up if it rises by at least ${r.target.thresholdBps} bps, down if it falls by at least that, flat otherwise. Threshold: ${r.target.thresholdRule}.`,
    '',
    `| class shares | ${SIGNAL_CLASSES.join(' | ')} |`,
    '|---|---|---|---|',
    `| training | ${pcts(d.classShare.train)} |`,
    `| tuning | ${pcts(d.classShare.tune)} |`,
    `| validation | ${pcts(r.validation.classShare)} |`,
    ...(r.fresh ? [`| fresh session | ${pcts(r.fresh.classShare)} |`] : []),
    '',
    '## Model',
    '',
    `MLP ${r.model.architecture} (${r.model.parameters} parameters), ReLU, softmax; inputs normalised in the graph with the training mean and std. Adam, batch ${r.model.batchSize}, learning rate ${r.model.learningRate} (cosine decay to a tenth), L2 ${r.model.weightDecay}, up to ${r.model.epochs} epochs with patience ${r.model.patience}; kept epoch ${r.model.bestEpoch} (lowest tuning loss).`,
    '',
    `Features (${FEATURE_NAMES.length}): ${FEATURE_NAMES.map((n) => `\`${n}\``).join(', ')}.`,
    '',
    '| epoch | ' + r.model.trainLossByEpoch.map((_, i) => String(i + 1)).join(' | ') + ' |',
    '|---|' + r.model.trainLossByEpoch.map(() => '---').join('|') + '|',
    '| training loss | ' + r.model.trainLossByEpoch.map((v) => fmt(v, 4)).join(' | ') + ' |',
    '| tuning loss | ' + r.model.tuneLossByEpoch.map((v) => fmt(v, 4)).join(' | ') + ' |',
    '',
    `Training period, model: accuracy ${pct(r.train.model.accuracy)}, macro-F1 ${fmt(r.train.model.macroF1, 3)}, log loss ${fmt(r.train.model.logLoss, 4)}.`,
    '',
    ...evaluationSection('Validation (last part of the session)', r.validation, r),
    ...(r.fresh ? evaluationSection(`Fresh session (seed ${r.fresh.seed})`, r.fresh, r) : []),
    '## Reading the numbers',
    '',
    '- Log loss of a forecast that knows nothing but the class shares is about ln 3 ≈ 1.0986. A model below it has information; how much below is how much.',
    '- With up and down near a tie, the most likely class is decided by a hair, so a model without a directional edge may call only one of them (a column of zeros in the confusion matrix); its probabilities, which is what the terminal shows, still say "about even".',
    '- "Direction hit rate": of the samples the rule called up or down that did move up or down, the share called the right way. 50 % is a coin.',
    '- The baselines: "always flat", and "sign of imbalance" (up when the imbalance is above the band, down below minus the band, flat between), whose depth and band were chosen on the training period for their best macro-F1; the sign is fixed (more bid than ask → up).',
    '',
  ];
  return lines.join('\n');
}

function evaluationSection(title: string, s: EvaluationSet, r: TrainingReport): string[] {
  const row = (name: string, v: ScoreSummary, logLoss: string): string =>
    `| ${name} | ${pct(v.accuracy)} | ${fmt(v.macroF1, 3)} | ${v.f1.map((x) => fmt(x, 3)).join(' / ')} | ${Number.isNaN(v.directionHitRate) ? '–' : pct(v.directionHitRate)} | ${logLoss} |`;
  return [
    `## ${title}`,
    '',
    `${s.samples} samples.`,
    '',
    `| | accuracy | macro-F1 | F1 ${SIGNAL_CLASSES.join(' / ')} | direction hit rate | log loss |`,
    '|---|---|---|---|---|---|',
    row('model', s.model, fmt(s.model.logLoss, 4)),
    row('always flat', s.alwaysFlat, '–'),
    row(`sign of ${r.imbalanceRule.feature}, band ±${r.imbalanceRule.band}`, s.imbalanceSign, '–'),
    `| prior (class shares the model was fitted on${r.data.mirrored ? ', mirrored' : ''}) | | | | | ${fmt(s.priorLogLoss, 4)} |`,
    '',
    `Beats the baselines on accuracy: ${yes(s.beats.accuracy)}; on macro-F1: ${yes(s.beats.macroF1)}; the prior on log loss: ${yes(s.beats.logLoss)}.`,
    '',
    'Model confusion matrix (rows: what happened, columns: what the model said):',
    '',
    `| | ${SIGNAL_CLASSES.map((c) => `said ${c}`).join(' | ')} |`,
    '|---|---|---|---|',
    ...s.model.confusion.map((cells, i) => `| ${SIGNAL_CLASSES[i]} | ${cells.join(' | ')} |`),
    '',
    'Permutation importance (rise in the model\'s log loss when the feature is shuffled across these samples):',
    '',
    '| feature | log loss + |',
    '|---|---|',
    ...s.importance.map((i) => `| \`${i.feature}\` | ${fmt(i.logLossIncrease, 4)} |`),
    '',
  ];
}

function yes(b: boolean): string {
  return b ? 'yes' : 'no';
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)} %`;
}

function pcts(v: number[]): string {
  return v.map(pct).join(' | ');
}

function fmt(v: number, digits: number): string {
  // no "-0.0000" for a value that rounds to zero
  return (Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v).toFixed(digits);
}

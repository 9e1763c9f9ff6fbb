/**
 * `pulse model train [options]` and `pulse model info [FILE]`: train the signal model on a
 * simulated session and write the ONNX file and its report; print a model's graph and metadata.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config';
import { DEFAULT_MODEL_FILE, META } from '../model-contract';
import { readOnnxModel } from '../onnx/signal-model';
import { reportMarkdown } from './report';
import { DEFAULT_TRAIN, trainSignalModel, type TrainConfig } from './train';

export const MODEL_USAGE = `usage: pulse model train [--minutes N] [--seed N] [--out FILE] [--report FILE] [--horizon-ms N]
                         [--threshold-bps auto|BPS] [--epochs N] [--updates-per-second N]
                         [--fresh-minutes N] [--no-mirror] [--recordings DIR]
       pulse model info [FILE]
defaults: --minutes ${DEFAULT_TRAIN.minutes} --seed ${DEFAULT_TRAIN.seed} --out ${DEFAULT_MODEL_FILE} --horizon-ms ${DEFAULT_TRAIN.horizonMs} --threshold-bps auto
          --epochs ${DEFAULT_TRAIN.fit.epochs} --updates-per-second ${DEFAULT_TRAIN.updatesPerSecond} --fresh-minutes ${DEFAULT_TRAIN.freshMinutes}; the report goes beside the model (.report.md)`;

export async function modelCommand(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === 'train') return train(rest);
  if (verb === 'info') return info(rest);
  throw new ConfigError(MODEL_USAGE);
}

function train(args: string[]): void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        minutes: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        report: { type: 'string' },
        'horizon-ms': { type: 'string' },
        'threshold-bps': { type: 'string' },
        epochs: { type: 'string' },
        'updates-per-second': { type: 'string' },
        'fresh-minutes': { type: 'string' },
        'no-mirror': { type: 'boolean' },
        recordings: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n${MODEL_USAGE}`);
  }
  if (values.recordings !== undefined) {
    throw new ConfigError(
      `--recordings is not supported yet: Pulse does not record sessions in a readable format yet (recordings are a later issue). ` +
        `Train on the simulator instead (drop --recordings).`,
    );
  }
  const num = (name: string, fallback: number, check: (v: number) => boolean, what: string): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw new ConfigError(`--${name} must be ${what}, got "${String(raw)}"\n${MODEL_USAGE}`);
    return v;
  };
  const rawThreshold = values['threshold-bps'];
  const cfg: TrainConfig = {
    ...DEFAULT_TRAIN,
    minutes: num('minutes', DEFAULT_TRAIN.minutes, (v) => v >= 2 && v <= 24 * 60, 'a number of minutes from 2 to 1440'),
    seed: num('seed', DEFAULT_TRAIN.seed, (v) => Number.isSafeInteger(v), 'an integer'),
    horizonMs: num('horizon-ms', DEFAULT_TRAIN.horizonMs, (v) => Number.isInteger(v) && v >= 100 && v <= 600_000, 'whole ms from 100 to 600000'),
    thresholdBps:
      rawThreshold === undefined || rawThreshold === 'auto'
        ? 'auto'
        : num('threshold-bps', 0, (v) => v > 0, "'auto' or a positive number of bps"),
    updatesPerSecond: num('updates-per-second', DEFAULT_TRAIN.updatesPerSecond, (v) => v >= 1 && v <= 100_000, 'a rate from 1 to 100000'),
    freshMinutes: num('fresh-minutes', DEFAULT_TRAIN.freshMinutes, (v) => v === 0 || (v >= 1 && v <= 24 * 60), '0 (none) or minutes from 1 to 1440'),
    mirror: values['no-mirror'] !== true,
    fit: { ...DEFAULT_TRAIN.fit, epochs: num('epochs', DEFAULT_TRAIN.fit.epochs, (v) => Number.isInteger(v) && v >= 1 && v <= 1000, 'an integer from 1 to 1000') },
    command: ['pulse model train', ...args].join(' '),
  };
  const out = typeof values.out === 'string' ? values.out : DEFAULT_MODEL_FILE;
  const reportFile = typeof values.report === 'string' ? values.report : out.replace(/\.onnx$/i, '') + '.report.md';

  const trainedAt = new Date();
  const result = trainSignalModel(cfg, (line) => console.log(line), trainedAt);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, result.onnx);
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, reportMarkdown(result.report, out, trainedAt.toISOString(), result.onnx.length));
  console.log(`wrote ${out} (${result.onnx.length} bytes) and ${reportFile}`);
}

function info(args: string[]): void {
  if (args.length > 1) throw new ConfigError(MODEL_USAGE);
  const file = args[0] ?? DEFAULT_MODEL_FILE;
  const m = readOnnxModel(readFileSync(file));
  console.log(`${file}: IR ${m.irVersion}, opsets ${m.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}, producer ${m.producerName || '?'}`);
  console.log(`inputs ${m.inputs.join(', ')} → outputs ${m.outputs.join(', ')}`);
  console.log(`graph: ${m.nodes.map((n) => n.opType).join(' → ')}`);
  for (const [key, value] of Object.entries(m.metadata)) {
    if (key === META.metrics) {
      try {
        const metrics = JSON.parse(value) as { verdict?: string };
        console.log(`${key}: ${value.length} chars of JSON; verdict: ${metrics.verdict ?? '?'}`);
      } catch {
        console.log(`${key}: (not JSON) ${value.slice(0, 200)}`);
      }
    } else {
      console.log(`${key}: ${value.length > 300 ? `${value.slice(0, 300)}…` : value}`);
    }
  }
}

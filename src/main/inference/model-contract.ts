/**
 * What a Pulse signal model is, for the code that trains it and the code that runs it:
 * one float32 input `features` [batch, F] in FEATURE_NAMES order (raw, un-normalised: the
 * graph normalises with the constants it carries), one output `probabilities` [batch, 3] in
 * SIGNAL_CLASSES order. Metadata (ONNX metadata_props) under these keys, JSON-encoded where
 * noted; the engine refuses a model whose feature list differs from its own.
 */
export const MODEL_INPUT = 'features';
export const MODEL_OUTPUT = 'probabilities';

export const META = {
  featureNames: 'pulse.feature_names', // JSON string[]
  normalization: 'pulse.normalization', // JSON { mean: number[], std: number[] }
  horizonMs: 'pulse.horizon_ms', // number
  thresholdBps: 'pulse.threshold_bps', // number: |mid move| under this is "flat"
  classes: 'pulse.classes', // JSON string[]
  metrics: 'pulse.metrics', // JSON training report
  trainedAt: 'pulse.trained_at', // ISO time
} as const;

export const DEFAULT_MODEL_FILE = 'resources/models/pulse-signal.onnx';

import { describe, expect, it } from 'vitest';
import type { InferenceStatus } from '../../shared/signals';
import { describeInference, fmtAge, fmtHorizon } from './signal-status';

const status = (over: Partial<InferenceStatus> = {}): InferenceStatus => ({
  enabled: true,
  provider: 'cpu',
  requested: 'auto',
  skipped: [],
  model: { path: 'resources/models/mid-direction.onnx', featureNames: ['imbalance', 'spread'], horizonMs: 1000, classes: ['down', 'flat', 'up'], trainedAt: '2025-01-02' },
  error: null,
  runs: 1200,
  batches: 300,
  latencyP50Us: 412,
  latencyP99Us: 1375,
  ...over,
});

describe('describeInference', () => {
  it('shows the provider, horizon and latencies in ms with two decimals', () => {
    const v = describeInference(status(), 'open');
    expect(v).toMatchObject({ state: 'running', badge: 'CPU', fellBack: false, notice: '', horizon: '1 s', p50: '0.41', p99: '1.38', runs: '1200' });
    expect(v.tooltip).toContain('features (2): imbalance, spread');
  });

  it('is amber when a GPU provider was asked for by name and another one runs, with the reason', () => {
    const v = describeInference(status({ requested: 'cuda', skipped: [{ provider: 'cuda', reason: 'libcudart.so.12: cannot open shared object file' }] }), 'open');
    expect(v.fellBack).toBe(true);
    expect(v.tooltip).toContain('skipped cuda: libcudart.so.12');
    expect(v.notice).toContain('Asked for CUDA, running on CPU: libcudart.so.12');
  });

  it('lists providers skipped by auto without calling it a fallback', () => {
    const v = describeInference(status({ skipped: [{ provider: 'coreml', reason: 'not macOS' }] }), 'open');
    expect(v.fellBack).toBe(false);
    expect(v.skippedAny).toBe(true);
    expect(v.tooltip).toContain('skipped coreml: not macOS');
    expect(describeInference(status({ requested: 'cpu' }), 'open').fellBack).toBe(false);
    expect(describeInference(status({ requested: 'cuda', provider: 'cuda' }), 'open').fellBack).toBe(false);
  });

  it('says plainly when inference is off, errored, starting, unknown or the link is down', () => {
    expect(describeInference(status({ enabled: false, provider: null }), 'open')).toMatchObject({ state: 'off', badge: 'OFF', notice: 'Inference is off: no signals.' });
    expect(describeInference(status({ enabled: false, provider: null, error: 'model file missing' }), 'open').notice).toBe('Inference is off: no signals. model file missing');
    expect(describeInference(status({ error: 'session failed: bad input shape' }), 'open')).toMatchObject({ state: 'error', badge: 'CPU', notice: 'Inference error: session failed: bad input shape' });
    expect(describeInference(status({ provider: null, error: 'no session' }), 'open')).toMatchObject({ state: 'error', badge: 'ERROR' });
    expect(describeInference(status({ provider: null, runs: 0 }), 'open')).toMatchObject({ state: 'starting', badge: '…', p50: '–' });
    expect(describeInference(null, 'open')).toMatchObject({ state: 'waiting', notice: 'No inference status from the engine yet.' });
    expect(describeInference(null, 'closed').state).toBe('link-down');
    expect(describeInference(status(), 'connecting').state).toBe('link-down');
  });

  it('warns when the model classes are not in the contract order', () => {
    const m = status().model!;
    expect(describeInference(status({ model: { ...m, classes: ['up', 'flat', 'down'] } }), 'open').notice).toContain('may be mislabelled');
  });
});

describe('formats', () => {
  it('horizon and age', () => {
    expect(fmtHorizon(250)).toBe('250 ms');
    expect(fmtHorizon(1500)).toBe('1.5 s');
    expect(fmtHorizon(300_000)).toBe('5 min');
    expect(fmtAge(Number.NaN)).toBe('–');
    expect(fmtAge(420)).toBe('0.4s');
    expect(fmtAge(42_000)).toBe('42s');
    expect(fmtAge(600_000)).toBe('10m');
  });
});

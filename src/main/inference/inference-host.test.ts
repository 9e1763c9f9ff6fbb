import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InferenceHost } from './inference-host';
import { tinySoftmaxModel } from './tiny-model';

const modelFile = (input = 'features', output = 'probabilities') => {
  const p = join(mkdtempSync(join(tmpdir(), 'pulse-onnx-')), 'm.onnx');
  writeFileSync(p, tinySoftmaxModel(input, output));
  return p;
};

describe('inference worker lifecycle', () => {
  it('starts on CPU here, runs a burst, and stops while busy without a crash or a leaked worker', async () => {
    const host = new InferenceHost(modelFile(), 'auto', false);
    await host.ready;
    expect(host.provider).toBe('cpu');
    expect(host.skipped.map((s) => s.provider)).toContain(process.platform === 'darwin' ? 'coreml' : 'cuda');

    const burst = Array.from({ length: 200 }, (_, i) => host.run(Float32Array.from([i % 3, 0, 1, 2, 2, 2]), 2, 3));
    const results = await Promise.all(burst);
    for (const r of results) {
      expect(r.probs).toHaveLength(6);
      expect(r.probs[3]! + r.probs[4]! + r.probs[5]!).toBeCloseTo(1, 6);
      expect(r.probs[3]).toBeCloseTo(1 / 3, 6);
    }

    // Stop while 100 runs are queued: each either completes or is refused; the worker exits cleanly.
    const queued = Array.from({ length: 100 }, () => host.run(new Float32Array([1, 2, 3]), 1, 3).then(() => 'done', (e: Error) => e.message));
    const code = await host.stop();
    const outcomes = await Promise.all(queued);
    expect(code).toBe(0);
    expect(outcomes.every((o) => o === 'done' || o === 'stopping')).toBe(true);
  });

  it('refuses a model without the contract input and output, with a message that names them', async () => {
    const host = new InferenceHost(modelFile('x', 'y'), 'cpu', false);
    await expect(host.ready).rejects.toThrow('the model must have input "features" and output "probabilities" (it has x → y)');
    expect(await host.stop()).toBe(0);
  });

  it('says clearly when the model file is missing', async () => {
    const host = new InferenceHost('/no/such/model.onnx', 'cpu', false);
    await expect(host.ready).rejects.toThrow(/ENOENT.*\/no\/such\/model\.onnx/);
    expect(await host.stop()).toBe(0);
  });
});

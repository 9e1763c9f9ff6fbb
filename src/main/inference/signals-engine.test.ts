import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { until } from '../testing/book-client';
import { startHarness, type Harness } from '../testing/engine-harness';
import { DEFAULT_MODEL_FILE } from './model-contract';
import { readOnnxModel } from './onnx/signal-model';
import { readFileSync } from 'node:fs';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ enabled: ['sim-a'], simulator: { updatesPerSecond: 600 }, inference: { enabled: true, model: join(process.cwd(), DEFAULT_MODEL_FILE), minIntervalMs: 50 } });
}, 60_000);
afterAll(() => h.stop());

describe('signals from the shipped model', () => {
  it('runs on CPU here, says why the GPU provider was skipped, and streams probabilities to clients', async () => {
    const status = (await (await fetch(`${h.base}/api/v1/inference`)).json()) as any;
    expect(status).toMatchObject({ enabled: true, provider: 'cpu', requested: 'auto', error: null });
    expect(status.skipped[0]).toMatchObject({ provider: process.platform === 'darwin' ? 'coreml' : 'cuda' });
    expect(status.model.featureNames).toHaveLength(12);

    const ws = new WebSocket(h.wsUrl);
    const signals: Array<{ symbol: string; probs: number[]; provider: string; latencyUs: number }> = [];
    ws.on('message', (d, bin) => {
      if (bin) return;
      const m = JSON.parse(d.toString());
      if (m.type === 'signal') signals.push(m);
    });
    // features need ~30 s of history before the first signal
    await until(() => new Set(signals.map((s) => s.symbol)).size === 3, 60_000, 'signals for all three symbols');
    for (const s of signals) {
      expect(s.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(s.provider).toBe('cpu');
      expect(s.latencyUs).toBeGreaterThan(0);
    }
    expect(h.pulse.engine.desk.orders.size).toBe(0); // advice only: no order was ever placed
    ws.close();
  }, 90_000);
});

describe('a model with the wrong feature list', () => {
  it('is refused with a message naming the mismatch, and the engine runs on without signals', async () => {
    // the shipped model with one feature renamed in its metadata
    const bytes = readFileSync(join(process.cwd(), DEFAULT_MODEL_FILE));
    const text = Buffer.from(bytes).toString('latin1').replace('imbalance_l10', 'imbalance_l99');
    const bad = join(mkdtempSync(join(tmpdir(), 'pulse-model-')), 'bad.onnx');
    writeFileSync(bad, Buffer.from(text, 'latin1'));
    expect(readOnnxModel(Buffer.from(text, 'latin1')).metadata['pulse.feature_names']).toContain('imbalance_l99');
    const other = await startHarness({ enabled: ['sim-a'], inference: { enabled: true, model: bad } });
    try {
      const status = (await (await fetch(`${other.base}/api/v1/inference`)).json()) as any;
      expect(status.enabled).toBe(false);
      expect(status.error).toMatch(/the model's feature list does not match the engine's \(missing imbalance_l10; unknown imbalance_l99\)/);
      expect((await fetch(`${other.base}/ready`)).status).toBeLessThan(600);
    } finally {
      await other.stop();
    }
  });
});

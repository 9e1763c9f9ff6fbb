/**
 * Signal inference on CPU: onnxruntime latency at batch 1 and at batch = number of symbols,
 * feature computation cost per book update, the engine's book update → signal latency with the
 * simulator at 100 updates/s per symbol, and the engine's event-loop lag with signals on vs off
 * (measured in one run, alternating, since this machine is noisy).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import WebSocket from 'ws';
import { parseConfig } from '../src/main/config';
import { FEATURE_NAMES, FeatureState, WARMUP_MS } from '../src/main/inference/features';
import { MODEL_INPUT, MODEL_OUTPUT, DEFAULT_MODEL_FILE } from '../src/main/inference/model-contract';
import { L2Book } from '../src/main/market/l2-book';
import { runServe } from '../src/main/serve/run-serve';
import type { PriceTicks, Qty } from '../src/shared/units';
import { fmt, isEntry, percentiles, sleep } from './support';

const F = FEATURE_NAMES.length;

async function sessionLatency(): Promise<void> {
  const session = await ort.InferenceSession.create(DEFAULT_MODEL_FILE, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  for (const batch of [1, 9]) {
    const input = new Float32Array(batch * F).map(() => Math.random());
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      await session.run({ [MODEL_INPUT]: new ort.Tensor('float32', input, [batch, F]) });
      if (i >= 300) times.push((performance.now() - t0) * 1000);
    }
    const [p50, p99] = percentiles(times, [50, 99]);
    console.log(`onnxruntime CPU session.run, batch ${batch}: p50 ${fmt(p50!, 1)} µs, p99 ${fmt(p99!, 1)} µs (${MODEL_OUTPUT} [${batch}, 3])`);
  }
  await session.release();
}

function featureCost(): void {
  const book = new L2Book(512);
  for (let i = 0; i < 400; i++) {
    book.apply(0, (100000 - i) as PriceTicks, (100 + (i % 7)) as Qty);
    book.apply(1, (100001 + i) as PriceTicks, (100 + (i % 5)) as Qty);
  }
  const fs = new FeatureState();
  const out = new Float32Array(F);
  const n = 200_000;
  let t = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    t += 10;
    book.apply((i & 1) as 0 | 1, ((i & 1 ? 100001 : 100000) + (i % 5)) as PriceTicks, (50 + (i % 13)) as Qty);
    fs.onBook(book, t);
    if (i % 3 === 0) fs.onTrade(100000, 5, (i & 1) as 0 | 1, t);
  }
  const perUpdate = ((performance.now() - t0) * 1000) / n;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) fs.compute(out, t + i);
  const perCompute = ((performance.now() - t1) * 1000) / n;
  console.log(`features: onBook ${fmt(perUpdate, 3)} µs per update (400-level book), compute ${fmt(perCompute, 3)} µs per vector of ${F}`);
}

async function engineRun(signals: boolean, seconds: number) {
  const pulse = await runServe(parseConfig({
    port: 0, dataDir: mkdtempSync(join(tmpdir(), 'pulse-bench-')), enabled: ['sim-a', 'sim-b', 'sim-c'],
    // 3 symbols per venue at 300 updates/s per venue = 100 updates/s per symbol
    simulator: { updatesPerSecond: 300 }, inference: { enabled: signals, minIntervalMs: 10 },
  }), () => {});
  const latencies: number[] = [];
  const ws = new WebSocket(`${pulse.shell.url.replace('http', 'ws')}ws`);
  ws.on('message', (d, bin) => {
    if (bin) return;
    const m = JSON.parse(d.toString()) as { type: string; latencyUs?: number };
    if (m.type === 'signal') latencies.push(m.latencyUs!);
  });
  await sleep(WARMUP_MS + 2000); // features need 30 s of history before the first signal
  const lag = monitorEventLoopDelay({ resolution: 1 });
  latencies.length = 0;
  lag.enable();
  await sleep(seconds * 1000);
  lag.disable();
  ws.close();
  const status = pulse.engine.inferenceStatus();
  await pulse.stop();
  return { latencies, lagP50: lag.percentile(50) / 1e6, lagP99: lag.percentile(99) / 1e6, status };
}

export async function main(): Promise<void> {
  await sessionLatency();
  featureCost();
  const on = await engineRun(true, 10);
  const off = await engineRun(false, 10);
  if (on.latencies.length) {
    const [p50, p99] = percentiles(on.latencies, [50, 99]).map((us) => us / 1000);
    console.log(`engine book update → signal (features, queue, inference, ${on.status.provider}): p50 ${fmt(p50!)} ms, p99 ${fmt(p99!)} ms over ${on.latencies.length} signals in 10 s (9 symbols at 100 updates/s each, minIntervalMs 10)`);
  } else {
    console.log(`no signals came: ${on.status.error ?? 'unknown reason'}`);
  }
  console.log(`engine event-loop lag with signals on: p50 ${fmt(on.lagP50)} ms, p99 ${fmt(on.lagP99)} ms; off: p50 ${fmt(off.lagP50)} ms, p99 ${fmt(off.lagP99)} ms`);
}

if (isEntry(import.meta.url)) await main();

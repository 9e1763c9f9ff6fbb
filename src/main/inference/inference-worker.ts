/**
 * The inference worker: owns the onnxruntime session, because session.run blocks the thread
 * it runs on. Stopped by message (the session is released, then the worker exits by itself);
 * never terminate()d mid-run, which can abort the whole process.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { MODEL_INPUT, MODEL_OUTPUT } from './model-contract';
import { selectProvider, type ProviderChoice } from './providers';
import type { FromInference, ToInference } from './inference-messages';

const port = parentPort!;
const init = workerData as { modelPath: string; requested: ProviderChoice; force: boolean; threads: number };
let session: ort.InferenceSession | null = null;
let running: Promise<void> = Promise.resolve();
let stopping = false;

const post = (m: FromInference, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function start(): Promise<void> {
  try {
    const bytes = readFileSync(init.modelPath);
    const options = (providers: string[]): ort.InferenceSession.SessionOptions => ({
      executionProviders: providers, intraOpNumThreads: init.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
    });
    const selected = await selectProvider((p) => ort.InferenceSession.create(bytes, options(p)), init.requested, init.force);
    session = selected.session;
    if (!session.inputNames.includes(MODEL_INPUT) || !session.outputNames.includes(MODEL_OUTPUT)) {
      throw new Error(`the model must have input "${MODEL_INPUT}" and output "${MODEL_OUTPUT}" (it has ${session.inputNames.join(', ')} → ${session.outputNames.join(', ')})`);
    }
    post({ type: 'ready', provider: selected.provider, skipped: selected.skipped });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
}

async function run(id: number, batch: number, width: number, features: Float32Array): Promise<void> {
  if (!session) return post({ type: 'result', id, error: 'no session' });
  const t0 = performance.now();
  try {
    const out = await session.run({ [MODEL_INPUT]: new ort.Tensor('float32', features, [batch, width]) });
    const probs = Float32Array.from(out[MODEL_OUTPUT]!.data as Float32Array);
    post({ type: 'result', id, probs, inferUs: (performance.now() - t0) * 1000 }, [probs.buffer as ArrayBuffer]);
  } catch (err) {
    post({ type: 'result', id, error: (err as Error).message });
  }
}

port.on('message', (m: ToInference) => {
  if (m.type === 'run') {
    if (stopping) return post({ type: 'result', id: m.id, error: 'stopping' });
    running = running.then(() => run(m.id, m.batch, m.width, m.features));
  } else if (m.type === 'stop') {
    stopping = true;
    // finish the run in progress, then release the session and let the thread end by itself
    void running.then(async () => {
      await session?.release();
      session = null;
      post({ type: 'stopped' });
      port.close();
    });
  }
});

void start();

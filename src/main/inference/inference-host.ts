/** The engine's handle on the inference worker: start, run a batch, stop (by message). */
import type { Worker } from 'node:worker_threads';
import { spawnWorker, workerEntry } from '../workers/spawn';
import type { FromInference, ToInference } from './inference-messages';
import type { ProviderChoice, Skipped } from './providers';

export interface InferenceResult {
  probs: Float32Array;
  inferUs: number;
}

export class InferenceHost {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: InferenceResult) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<number>;
  provider: string | null = null;
  skipped: Skipped[] = [];
  readonly ready: Promise<void>;

  constructor(modelPath: string, requested: ProviderChoice, force: boolean, threads = 1) {
    this.worker = spawnWorker(workerEntry(import.meta.url, 'inference-worker'), { workerData: { modelPath, requested, force, threads }, name: 'inference' });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: FromInference) => {
        if (m.type === 'ready') {
          this.provider = m.provider;
          this.skipped = m.skipped;
          resolve();
        } else if (m.type === 'error') {
          reject(new Error(m.message));
        } else if (m.type === 'result') {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if (!p) return;
          if (m.error || !m.probs) p.reject(new Error(m.error ?? 'no result'));
          else p.resolve({ probs: m.probs, inferUs: m.inferUs ?? 0 });
        }
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', (err) => {
        reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
    });
  }

  get busy(): number {
    return this.pending.size;
  }

  /** Runs `batch` rows of `width` features; the array is transferred (do not reuse it). */
  run(features: Float32Array, batch: number, width: number): Promise<InferenceResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const msg: ToInference = { type: 'run', id, batch, width, features };
      this.worker.postMessage(msg, [features.buffer as ArrayBuffer]);
    });
  }

  /** Asks the worker to finish its current run, release the session and exit; resolves with its exit code. */
  async stop(): Promise<number> {
    this.worker.postMessage({ type: 'stop' } satisfies ToInference);
    return this.exited;
  }
}

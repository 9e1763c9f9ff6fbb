import type { Skipped } from './providers';

export type ToInference =
  | { type: 'run'; id: number; batch: number; width: number; features: Float32Array }
  | { type: 'stop' };

export type FromInference =
  | { type: 'ready'; provider: string; skipped: Skipped[] }
  | { type: 'error'; message: string }
  | { type: 'result'; id: number; probs?: Float32Array; inferUs?: number; error?: string }
  | { type: 'stopped' };

/**
 * Model signals as the renderer sees them: advice, never orders. One JSON control message per
 * inference result (a handful per second per symbol), and the runtime's status.
 */
export const SIGNAL_CLASSES = ['down', 'flat', 'up'] as const;
export type SignalClass = (typeof SIGNAL_CLASSES)[number];

export interface SignalMessage {
  type: 'signal';
  venue: string;
  symbol: string;
  /** engine time of the book state the features were computed from, ms since epoch */
  ts: number;
  /** probabilities in SIGNAL_CLASSES order; they sum to 1 */
  probs: [number, number, number];
  /** execution provider that ran it: 'cpu', 'cuda', 'coreml', … */
  provider: string;
  /** book update → result, µs (features, queueing, inference) */
  latencyUs: number;
}

export interface InferenceStatus {
  enabled: boolean;
  /** the provider actually in use */
  provider: string | null;
  /** what the config asked for ('auto' or a forced provider) */
  requested: string;
  /** providers tried before the one in use, and why each was not used */
  skipped: Array<{ provider: string; reason: string }>;
  model: { path: string; featureNames: string[]; horizonMs: number; classes: string[]; trainedAt: string | null } | null;
  error: string | null;
  runs: number;
  batches: number;
  latencyP50Us: number;
  latencyP99Us: number;
}

export interface InferenceStatusMessage {
  type: 'inference';
  status: InferenceStatus;
}

import type { VenueInfo } from '../../shared/protocol';

export type ExecutionMode = 'paper' | 'live' | 'unknown';

/**
 * How the engine executes a venue's orders. The contract does not say yet (an `execution` field
 * on VenueInfo is asked for); until it does, simulated and replayed markets can only be paper,
 * and a real exchange may be either.
 */
export function executionMode(v: (VenueInfo & { execution?: unknown }) | undefined): ExecutionMode {
  if (!v) return 'unknown';
  if (v.execution === 'paper' || v.execution === 'live') return v.execution;
  return v.kind === 'simulator' || v.kind === 'replay' ? 'paper' : 'unknown';
}

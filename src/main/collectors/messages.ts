/**
 * Control plane between the engine and a collector worker (postMessage, never the rings).
 * Errors cross as plain data with a code and a message.
 */
import type { InstrumentInfo, ReplayCommand, ReplayStatus } from '../../shared/protocol';
import type { VenueStateName } from '../../shared/frames';
import type { LogLevel } from '../telemetry/log';

export type VenueKind = 'simulator' | 'replay' | 'exchange';

/** What the engine hands a collector worker at start. */
export interface CollectorInit {
  venue: string;
  venueIndex: number;
  kind: VenueKind;
  /** which feed drives it: 'simulator' or a venue id ('kraken', …) */
  feed: string;
  symbols: string[] | undefined;
  bookRing: SharedArrayBuffer;
  tradeRing: SharedArrayBuffer;
  /** venue-specific settings (the simulator's seed and rate, a venue's URLs) */
  settings: Record<string, unknown>;
}

export type ToCollector =
  | { type: 'resync'; symbolId: number }
  | { type: 'set-rate'; updatesPerSecond: number }
  | { type: 'replay'; command: ReplayCommand }
  | { type: 'stop' };

export interface CollectorCounters {
  updates: number;
  trades: number;
  messages: number;
  gaps: number;
  resyncs: number;
  overflows: number;
  reconnects: number;
  checksumFailures: number;
  /** venue messages that could not be understood (malformed, garbage numbers, too large) */
  badMessages: number;
  /** REST calls retried after a failure (snapshots, metadata) */
  restRetries: number;
}

export function emptyCounters(): CollectorCounters {
  return { updates: 0, trades: 0, messages: 0, gaps: 0, resyncs: 0, overflows: 0, reconnects: 0, checksumFailures: 0, badMessages: 0, restRetries: 0 };
}

export interface LogEntry {
  level: LogLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

export type FromCollector =
  | { type: 'instruments'; instruments: InstrumentInfo[] }
  | { type: 'state'; state: VenueStateName; reason?: string }
  /** `version`: the update that could not be delivered; a book already past it has resynced */
  | { type: 'stale'; symbolId: number; reason: string; version: number }
  | { type: 'counters'; counters: CollectorCounters }
  | { type: 'error'; code: string; message: string; retryable: boolean }
  | ({ type: 'log' } & LogEntry)
  | { type: 'replay'; status: ReplayStatus }
  | { type: 'stopped' };

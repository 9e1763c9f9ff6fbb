/**
 * The control plane between engine and renderer: JSON text messages beside the binary frames
 * of frames.ts. Everything the renderer says is validated here before the engine acts on it.
 */
import { z } from 'zod';
import { TradingCommandSchema, type TradingCommand, type TradingEvent } from './trading';
import type { InferenceStatusMessage, SignalMessage } from './signals';
import type { ArbitrageMessage, ConsolidatedMessage } from './arbitrage';
import type { AboutInfo } from './about';

const venueId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'venue id: lower-case letters, digits and -');
const symbol = z.string().regex(/^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/, 'symbol: BASE-QUOTE in capitals');

export const CommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), venue: venueId, symbol }),
  z.object({ type: z.literal('unsubscribe'), venue: venueId, symbol }),
  /** sent by a client that saw a version gap */
  z.object({ type: z.literal('snapshot'), venue: venueId, symbol }),
  z.object({ type: z.literal('ping'), id: z.number().int() }),
  /** asks for the About panel's facts; answered with an `about` message */
  z.object({ type: z.literal('about') }),
]);
export type Command = z.infer<typeof CommandSchema>;

/** Replay controls (`pulse serve --replay DIR`); `venue` names one replay venue, else all of them. */
const replayBase = { type: z.literal('replay'), venue: venueId.optional() };
export const ReplayCommandSchema = z.discriminatedUnion('action', [
  z.object({ ...replayBase, action: z.literal('pause') }).strict(),
  z.object({ ...replayBase, action: z.literal('resume') }).strict(),
  /** to a recorded time, µs since the epoch (clamped to the recording) */
  z.object({ ...replayBase, action: z.literal('seek'), timeUs: z.number().finite().nonnegative() }).strict(),
  z.object({ ...replayBase, action: z.literal('speed'), speed: z.number().finite().min(0.01).max(1000) }).strict(),
]);
export type ReplayCommand = z.infer<typeof ReplayCommandSchema>;

export interface ReplayStatus {
  venue: string;
  /** the recorded venue it plays */
  source: string;
  paused: boolean;
  speed: number;
  /** recorded time reached, µs since the epoch */
  positionUs: number;
  startUs: number;
  endUs: number;
  ended: boolean;
  /** rows played since the start (or the last seek) */
  rows: number;
}

export interface InstrumentInfo {
  symbol: string;
  tickSize: string;
  lotSize: string;
}

export interface VenueInfo {
  id: string;
  kind: 'simulator' | 'replay' | 'exchange';
  /** where orders for this venue go */
  execution?: 'paper' | 'live';
  state: string;
  symbols: string[];
  instruments: InstrumentInfo[];
}

/** A latency distribution in microseconds (0s when nothing was measured). */
export interface LatencyFigures {
  count: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

/** The engine's own figures, once a second, for the renderer's Performance section. */
export interface PerfMessage {
  type: 'perf';
  /** engine time, ms since epoch */
  ts: number;
  /** newest change's engine receive → frame send, per delta frame, all venues, the last second */
  engineToRenderer: LatencyFigures;
  /** event-loop delay beyond the sampling interval, the last second */
  eventLoopLag: LatencyFigures;
  /** desk.place: validation → risk → journal sync → venue send, the last 30–60 s */
  orderPath: LatencyFigures;
  /** journal fdatasync, the last 30–60 s */
  journalSync: LatencyFigures;
  heapUsedBytes: number;
  rssBytes: number;
}

export type ControlMessage =
  | { type: 'hello'; engine: string; frameIntervalMs: number; venues: VenueInfo[]; role?: 'trader' | 'risk' }
  | { type: 'venues'; venues: VenueInfo[] }
  | { type: 'pong'; id: number }
  | { type: 'about'; about: AboutInfo }
  | { type: 'replay'; venues: ReplayStatus[] }
  | { type: 'error'; code: string; message: string; clientOrderId?: string }
  | TradingEvent
  | SignalMessage
  | InferenceStatusMessage
  | PerfMessage
  | ArbitrageMessage
  | ConsolidatedMessage;

const TRADING_TYPES = new Set(['place-order', 'cancel-order', 'replace-order', 'cancel-all', 'flatten', 'kill-switch']);

/** Parses one command (market data or trading); returns a readable error naming the bad field instead of throwing. */
export function parseCommand(text: string): { ok: true; command: Command | TradingCommand | ReplayCommand } | { ok: false; error: string; clientOrderId?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'command is not valid JSON' };
  }
  const isTrading = typeof raw === 'object' && raw !== null && TRADING_TYPES.has((raw as { type?: string }).type ?? '');
  const isReplay = typeof raw === 'object' && raw !== null && (raw as { type?: string }).type === 'replay';
  const result = isTrading ? TradingCommandSchema.safeParse(raw) : isReplay ? ReplayCommandSchema.safeParse(raw) : CommandSchema.safeParse(raw);
  if (result.success) return { ok: true, command: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'command';
  const id = (raw as { order?: { clientOrderId?: unknown }; clientOrderId?: unknown }).order?.clientOrderId ?? (raw as { clientOrderId?: unknown }).clientOrderId;
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}`, ...(typeof id === 'string' ? { clientOrderId: id } : {}) };
}

/**
 * The control plane between engine and renderer: JSON text messages beside the binary frames
 * of frames.ts. Everything the renderer says is validated here before the engine acts on it.
 */
import { z } from 'zod';
import { TradingCommandSchema, type TradingCommand, type TradingEvent } from './trading';
import type { InferenceStatusMessage, SignalMessage } from './signals';

const venueId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'venue id: lower-case letters, digits and -');
const symbol = z.string().regex(/^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/, 'symbol: BASE-QUOTE in capitals');

export const CommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), venue: venueId, symbol }),
  z.object({ type: z.literal('unsubscribe'), venue: venueId, symbol }),
  /** sent by a client that saw a version gap */
  z.object({ type: z.literal('snapshot'), venue: venueId, symbol }),
  z.object({ type: z.literal('ping'), id: z.number().int() }),
]);
export type Command = z.infer<typeof CommandSchema>;

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

export type ControlMessage =
  | { type: 'hello'; engine: string; frameIntervalMs: number; venues: VenueInfo[]; role?: 'trader' | 'risk' }
  | { type: 'venues'; venues: VenueInfo[] }
  | { type: 'pong'; id: number }
  | { type: 'error'; code: string; message: string; clientOrderId?: string }
  | TradingEvent
  | SignalMessage
  | InferenceStatusMessage;

const TRADING_TYPES = new Set(['place-order', 'cancel-order', 'replace-order', 'cancel-all', 'flatten', 'kill-switch']);

/** Parses one command (market data or trading); returns a readable error naming the bad field instead of throwing. */
export function parseCommand(text: string): { ok: true; command: Command | TradingCommand } | { ok: false; error: string; clientOrderId?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'command is not valid JSON' };
  }
  const isTrading = typeof raw === 'object' && raw !== null && TRADING_TYPES.has((raw as { type?: string }).type ?? '');
  const result = isTrading ? TradingCommandSchema.safeParse(raw) : CommandSchema.safeParse(raw);
  if (result.success) return { ok: true, command: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'command';
  const id = (raw as { order?: { clientOrderId?: unknown }; clientOrderId?: unknown }).order?.clientOrderId ?? (raw as { clientOrderId?: unknown }).clientOrderId;
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}`, ...(typeof id === 'string' ? { clientOrderId: id } : {}) };
}

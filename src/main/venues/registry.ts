/**
 * Every venue Pulse knows, as the engine (main thread) sees it: its kind, the feed that drives
 * its collector worker, and the schema of its settings (validated before any worker starts).
 */
import type { z } from 'zod';
import { ConfigError } from '../config';
import type { VenueKind } from '../collectors/messages';
import { BinanceUsSettingsSchema } from './binanceus/settings';
import { CoinbaseSettingsSchema } from './coinbase/settings';
import { KrakenSettingsSchema } from './kraken/settings';
import { OandaSettingsSchema } from './oanda/settings';
import { SimSettingsSchema } from './simulator/settings';
import { ReplaySettingsSchema, isReplayVenueId } from './replay/settings';

export interface VenueDescriptor {
  kind: VenueKind;
  feed: string;
  settings: z.ZodType<Record<string, unknown>>;
}

const exchange = (feed: string, settings: z.ZodType<Record<string, unknown>>): VenueDescriptor => ({ kind: 'exchange', feed, settings });
const simulator: VenueDescriptor = { kind: 'simulator', feed: 'simulator', settings: SimSettingsSchema };

export const VENUES: Readonly<Record<string, VenueDescriptor>> = {
  'sim-a': simulator,
  'sim-b': simulator,
  'sim-c': simulator,
  coinbase: exchange('coinbase', CoinbaseSettingsSchema),
  kraken: exchange('kraken', KrakenSettingsSchema),
  binanceus: exchange('binanceus', BinanceUsSettingsSchema),
  oanda: exchange('oanda', OandaSettingsSchema),
};

export class UnknownVenueError extends Error {
  constructor(venue: string) {
    super(`unknown venue "${venue}"; known venues: ${Object.keys(VENUES).join(', ')}`);
    this.name = 'UnknownVenueError';
  }
}

/** `replay-<venue>`: plays that venue of a recording (`--replay DIR`). */
const replay: VenueDescriptor = { kind: 'replay', feed: 'replay', settings: ReplaySettingsSchema };

export function venueDescriptor(id: string): VenueDescriptor {
  const d = VENUES[id] ?? (isReplayVenueId(id) ? replay : undefined);
  if (!d) throw new UnknownVenueError(id);
  return d;
}

/** Validates one venue's settings; the error names the field as `venues.<id>.<field>`. */
export function parseVenueSettings(id: string, raw: unknown): Record<string, unknown> {
  const result = venueDescriptor(id).settings.safeParse(raw ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  venues.${id}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`);
  throw new ConfigError(`settings of venue ${id} are invalid:\n${lines.join('\n')}`);
}

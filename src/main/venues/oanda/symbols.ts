/**
 * OANDA instrument names ↔ Pulse canonical symbols, with tick and lot sizes from the account's
 * instrument list: GET /v3/accounts/{accountID}/instruments
 * https://developer.oanda.com/rest-live-v20/account-ep/ (Instrument: https://developer.oanda.com/rest-live-v20/primitives-df/)
 * EUR_USD ↔ EUR-USD; tick = 10^-displayPrecision; lot = 10^-tradeUnitsPrecision units.
 */
import { z } from 'zod';
import { precisionOf, type Precision } from '../../../shared/instruments';

export interface OandaInstrument {
  /** OANDA's name, EUR_USD */
  name: string;
  /** canonical, EUR-USD */
  symbol: string;
  tickSize: string;
  lotSize: string;
  precision: Precision;
}

const InstrumentSchema = z.looseObject({
  name: z.string().regex(/^[A-Z0-9]+_[A-Z0-9]+$/),
  displayPrecision: z.number().int().min(0).max(12),
  tradeUnitsPrecision: z.number().int().min(0).max(12),
});
const InstrumentsResponseSchema = z.looseObject({ instruments: z.array(z.unknown()) });

export const toCanonical = (name: string): string => name.replace('_', '-');
export const toVenueName = (symbol: string): string => symbol.replace('-', '_');

/** 10^-decimals as a decimal string: 0 → "1", 5 → "0.00001". */
export function stepOf(decimals: number): string {
  return decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}

export interface InstrumentSelection {
  /** in the order asked for; symbol ids are indexes into this list */
  instruments: OandaInstrument[];
  /** asked for but not listed for the account */
  unknown: string[];
  /** listed entries that could not be read (name or precision missing or malformed) */
  invalid: string[];
}

/** Picks the `wanted` canonical symbols out of an instruments response; throws if its shape is wrong. */
export function selectInstruments(response: unknown, wanted: readonly string[]): InstrumentSelection {
  const parsed = InstrumentsResponseSchema.safeParse(response);
  if (!parsed.success) throw new Error(`instruments response has no "instruments" list: ${parsed.error.issues[0]?.message ?? ''}`);
  const byName = new Map<string, OandaInstrument>();
  const invalid: string[] = [];
  for (const raw of parsed.data.instruments) {
    const r = InstrumentSchema.safeParse(raw);
    if (!r.success) {
      invalid.push(String((raw as { name?: unknown } | null)?.name ?? '?'));
      continue;
    }
    const tickSize = stepOf(r.data.displayPrecision);
    const lotSize = stepOf(r.data.tradeUnitsPrecision);
    byName.set(r.data.name, { name: r.data.name, symbol: toCanonical(r.data.name), tickSize, lotSize, precision: precisionOf({ tickSize, lotSize }) });
  }
  const instruments: OandaInstrument[] = [];
  const unknown: string[] = [];
  for (const symbol of new Set(wanted)) {
    const inst = byName.get(toVenueName(symbol));
    if (inst && inst.symbol === symbol) instruments.push(inst);
    else unknown.push(symbol);
  }
  return { instruments, unknown, invalid };
}

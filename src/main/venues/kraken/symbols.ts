// Kraken REST AssetPairs → canonical instruments: https://docs.kraken.com/api/docs/rest-api/get-tradable-asset-pairs
// v2 symbols (BTC/USD) differ from the legacy names AssetPairs still uses (wsname XBT/USD, XDG/USD).
import { z } from 'zod';
import { parsePrice, unitsToDecimal } from '../../../shared/instruments';

export interface KrakenInstrument {
  /** canonical BASE-QUOTE, e.g. BTC-USD */
  symbol: string;
  /** the WebSocket v2 symbol, e.g. BTC/USD */
  wsSymbol: string;
  /** written with exactly pricePrecision decimals, so the engine's precision equals Kraken's */
  tickSize: string;
  lotSize: string;
  /** Kraken's price_precision (AssetPairs pair_decimals): the checksum formats prices with it */
  pricePrecision: number;
  /** Kraken's qty_precision (AssetPairs lot_decimals) */
  qtyPrecision: number;
  status: string;
}

/** Legacy asset codes that WebSocket v2 (and Pulse) spell otherwise. */
const LEGACY_ASSETS: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' };
const v2Asset = (code: string): string => LEGACY_ASSETS[code] ?? code;

const PairSchema = z.object({
  altname: z.string(),
  wsname: z.string().regex(/^[A-Z0-9.]+\/[A-Z0-9.]+$/),
  pair_decimals: z.number().int().min(0).max(15),
  lot_decimals: z.number().int().min(0).max(15),
  tick_size: z.string().optional(),
  status: z.string().default('online'),
});

export const AssetPairsResponseSchema = z.object({
  error: z.array(z.string()),
  result: z.record(z.string(), z.unknown()).optional(),
});

/** Kraken's REST errors come as HTTP 200 with an `error` list; these are worth asking again. */
export const isRetryableKrakenError = (e: string): boolean => /^(EService|EAPI:Rate limit|EGeneral:Temporary lockout|EGeneral:Internal error)/.test(e);

export interface ParsedPairs {
  instruments: KrakenInstrument[];
  /** pairs left out, with why (not in the v2 shape, delisted, inconsistent tick) */
  skipped: string[];
}

/** Instruments from the `result` object of GET /0/public/AssetPairs. */
export function instrumentsFromAssetPairs(result: Record<string, unknown>): ParsedPairs {
  const instruments: KrakenInstrument[] = [];
  const skipped: string[] = [];
  for (const [key, raw] of Object.entries(result)) {
    const parsed = PairSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      continue;
    }
    const p = parsed.data;
    if (p.status === 'delisted') {
      skipped.push(`${key}: delisted`);
      continue;
    }
    const [base, quote] = p.wsname.split('/').map(v2Asset) as [string, string];
    let tickUnits = 1;
    if (p.tick_size !== undefined) {
      try {
        tickUnits = parsePrice(p.tick_size, { priceDecimals: p.pair_decimals, sizeDecimals: 0, tickUnits: 1, lotUnits: 1 });
      } catch {
        skipped.push(`${key}: tick_size ${p.tick_size} does not fit pair_decimals ${p.pair_decimals}`);
        continue;
      }
      if (tickUnits <= 0) {
        skipped.push(`${key}: tick_size ${p.tick_size} is not positive`);
        continue;
      }
    }
    instruments.push({
      symbol: `${base}-${quote}`,
      wsSymbol: `${base}/${quote}`,
      tickSize: unitsToDecimal(tickUnits, p.pair_decimals),
      lotSize: unitsToDecimal(1, p.lot_decimals),
      pricePrecision: p.pair_decimals,
      qtyPrecision: p.lot_decimals,
      status: p.status,
    });
  }
  return { instruments, skipped };
}

/** The wanted symbols Kraken lists, in the order asked, and those it does not list. */
export function selectInstruments(all: KrakenInstrument[], wanted: string[]): { chosen: KrakenInstrument[]; missing: string[] } {
  const bySymbol = new Map(all.map((i) => [i.symbol, i]));
  const chosen: KrakenInstrument[] = [];
  const missing: string[] = [];
  for (const s of new Set(wanted)) {
    const inst = bySymbol.get(s);
    if (inst) chosen.push(inst);
    else missing.push(s);
  }
  return { chosen, missing };
}

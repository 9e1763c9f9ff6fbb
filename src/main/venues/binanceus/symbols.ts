/**
 * Canonical `BASE-QUOTE` ↔ Binance.US symbol (`BTCUSD`, streams `btcusd@...`), with tick and lot
 * sizes from GET /api/v3/exchangeInfo (PRICE_FILTER.tickSize, LOT_SIZE.stepSize).
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#exchange-information
 *       https://github.com/binance-us/binance-us-api-docs/blob/master/filters.md
 */
import { z } from 'zod';
import { precisionOf, type Precision } from '../../../shared/instruments';

export interface BinanceSymbol {
  /** canonical, `BTC-USD` */
  symbol: string;
  /** Binance's, `BTCUSD` */
  venueSymbol: string;
  status: string;
  tickSize: string;
  lotSize: string;
  precision: Precision;
}

const Filter = z.looseObject({ filterType: z.string() });
const SymbolInfo = z.looseObject({
  symbol: z.string(),
  status: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  filters: z.array(Filter),
});
export const ExchangeInfoSchema = z.looseObject({ symbols: z.array(z.unknown()) });

/** "0.01000000" → "0.01", "1.00000000" → "1"; null when it is not a positive decimal. */
export function trimStep(step: unknown): string | null {
  if (typeof step !== 'string' || !/^\d+(\.\d+)?$/.test(step)) return null;
  const trimmed = step.includes('.') ? step.replace(/0+$/, '').replace(/\.$/, '') : step;
  const normal = trimmed.replace(/^0+(?=\d)/, '');
  return /[1-9]/.test(normal) ? normal : null;
}

const CANONICAL = /^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/;

export interface SymbolMap {
  /** by canonical symbol */
  byCanonical: Map<string, BinanceSymbol>;
  /** entries that could not be mapped, with why */
  skipped: string[];
}

/** Maps every symbol of an exchangeInfo answer; throws only when the answer itself is not one. */
export function mapExchangeInfo(json: unknown): SymbolMap {
  const info = ExchangeInfoSchema.parse(json);
  const byCanonical = new Map<string, BinanceSymbol>();
  const skipped: string[] = [];
  for (const raw of info.symbols) {
    const r = SymbolInfo.safeParse(raw);
    if (!r.success) {
      skipped.push(`${JSON.stringify(raw).slice(0, 60)}: not a symbol entry`);
      continue;
    }
    const s = r.data;
    const filter = (type: string) => s.filters.find((f) => f.filterType === type);
    const tickSize = trimStep(filter('PRICE_FILTER')?.tickSize);
    const lotSize = trimStep(filter('LOT_SIZE')?.stepSize);
    const symbol = `${s.baseAsset}-${s.quoteAsset}`;
    if (!tickSize || !lotSize) {
      skipped.push(`${s.symbol}: no usable PRICE_FILTER.tickSize / LOT_SIZE.stepSize`);
      continue;
    }
    if (!CANONICAL.test(symbol)) {
      skipped.push(`${s.symbol}: assets ${s.baseAsset}/${s.quoteAsset} make no BASE-QUOTE symbol`);
      continue;
    }
    byCanonical.set(symbol, { symbol, venueSymbol: s.symbol, status: s.status, tickSize, lotSize, precision: precisionOf({ tickSize, lotSize }) });
  }
  return { byCanonical, skipped };
}

/** The requested symbols the venue lists and trades, and a reason for each one it does not. */
export function selectSymbols(map: SymbolMap, requested: string[]): { selected: BinanceSymbol[]; refused: string[] } {
  const selected: BinanceSymbol[] = [];
  const refused: string[] = [];
  for (const symbol of new Set(requested)) {
    const s = map.byCanonical.get(symbol);
    if (!s) refused.push(`${symbol}: not listed by Binance.US`);
    else if (s.status !== 'TRADING') refused.push(`${symbol}: status ${s.status}, not TRADING`);
    else selected.push(s);
  }
  return { selected, refused };
}

export const streamsOf = (s: BinanceSymbol): string[] => {
  const lower = s.venueSymbol.toLowerCase();
  return [`${lower}@depth@100ms`, `${lower}@trade`];
};

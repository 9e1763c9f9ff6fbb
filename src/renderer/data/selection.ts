import type { VenueInfo } from '../../shared/protocol';

export interface Selection {
  venue: string;
  symbol: string;
}

export const DEFAULT_SYMBOL = 'BTC-USD';

function symbolsOf(v: VenueInfo): string[] {
  return v.symbols.length > 0 ? v.symbols : v.instruments.map((i) => i.symbol);
}

/** Keeps the current selection when it still exists; else the first venue, BTC-USD if it has it. */
export function pickSelection(venues: readonly VenueInfo[], current: Selection | null): Selection | null {
  if (current) {
    const v = venues.find((x) => x.id === current.venue);
    if (v && symbolsOf(v).includes(current.symbol)) return current;
    if (v) return pickSymbol(v, current.symbol);
  }
  for (const v of venues) {
    const s = pickSymbol(v, DEFAULT_SYMBOL);
    if (s) return s;
  }
  return null;
}

/** `preferred` when the venue lists it, else BTC-USD, else its first symbol. */
export function pickSymbol(v: VenueInfo, preferred: string): Selection | null {
  const symbols = symbolsOf(v);
  if (symbols.includes(preferred)) return { venue: v.id, symbol: preferred };
  if (symbols.includes(DEFAULT_SYMBOL)) return { venue: v.id, symbol: DEFAULT_SYMBOL };
  return symbols.length > 0 ? { venue: v.id, symbol: symbols[0] } : null;
}

export function venueSymbols(venues: readonly VenueInfo[], venue: string): string[] {
  const v = venues.find((x) => x.id === venue);
  return v ? symbolsOf(v) : [];
}

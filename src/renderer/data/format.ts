import type { BookPrecision } from '../../shared/frames';
import { formatPrice, formatQty, precisionOf } from '../../shared/instruments';
import type { VenueInfo } from '../../shared/protocol';
import type { PriceTicks, Qty } from '../../shared/units';

/** Price ticks as an exact decimal string; '' for NaN. */
export function fmtPrice(ticks: number, p: BookPrecision): string {
  return Number.isFinite(ticks) ? formatPrice(ticks as PriceTicks, p) : '';
}

/** Lots as an exact decimal string; '' for NaN. */
export function fmtQty(lots: number, p: BookPrecision): string {
  return Number.isFinite(lots) ? formatQty(lots as Qty, p) : '';
}

/** Precision of an instrument from the hello venue list (before any snapshot says it). */
export function instrumentPrecision(venues: readonly VenueInfo[], venue: string, symbol: string): BookPrecision | null {
  const inst = venues.find((v) => v.id === venue)?.instruments.find((i) => i.symbol === symbol);
  return inst ? precisionOf(inst) : null;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** µs since epoch → "HH:MM:SS.mmm" UTC. */
export function fmtTimeMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const dayMs = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
  const h = Math.floor(dayMs / 3_600_000);
  const m = Math.floor(dayMs / 60_000) % 60;
  const s = Math.floor(dayMs / 1000) % 60;
  const milli = dayMs % 1000;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}

/** Compact counts: 1234 → "1,234", 1.2e6 → "1.20M". */
export function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds with sensible precision; '–' when unknown. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return Math.round(ms).toString();
}

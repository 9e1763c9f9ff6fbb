/** Small helpers every live adapter uses on its LiveAdapterContext: settings, resilience, logging, units. */
import type { Precision } from '../../../shared/instruments';
import { DEFAULT_RESILIENCE, type ResilienceSettings } from '../../collectors/connection';
import type { LiveAdapterContext } from '../live';

export type LiveLogLevel = 'info' | 'warn' | 'error';
export type LiveLog = (level: LiveLogLevel, msg: string, fields?: Record<string, unknown>) => void;

/** A non-empty string setting, or undefined. */
export function setting(ctx: LiveAdapterContext, name: string): string | undefined {
  const v = ctx.settings[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The defaults, then the venue's own (`base`), then what the settings say. */
export function resilienceOf(ctx: LiveAdapterContext, base: Partial<ResilienceSettings> = {}): ResilienceSettings {
  return { ...DEFAULT_RESILIENCE, ...base, ...(ctx.settings.resilience as Partial<ResilienceSettings> | undefined) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Like sleep, but over at once when `signal` aborts. */
export function sleepUnless(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/** A venue size off the lot grid, rounded onto it (the venue's grid is the instrument's); `invalid` when not a number. */
export function roundLots(size: string | number, p: Precision, invalid = 0): number {
  const n = Number(size);
  return Number.isFinite(n) ? Math.round((n * 10 ** p.sizeDecimals) / p.lotUnits) : invalid;
}

/** A venue price off the tick grid, rounded onto it. */
export function roundTicks(price: string | number, p: Precision): number {
  return Math.round((Number(price) * 10 ** p.priceDecimals) / p.tickUnits);
}

/** What every live adapter's options share (each venue adds its own). */
export interface LiveExecutionOptions {
  /** per REST request */
  timeoutMs: number;
  /** attempts of an idempotent request (queries, cancels) */
  readAttempts: number;
  /** sends of one order in all (the same client order id each time) */
  placeAttempts: number;
  /** wait before asking the venue about a placement that got no clear answer */
  lookupDelayMs: number;
  /** "no such order" answers needed before the order is sent again */
  lookupConfirmations: number;
  /** REST reconciliation while the private stream is down */
  pollIntervalMs: number;
  /** REST reconciliation while it is up (a safety net) */
  safetyPollMs: number;
}

/** Re-reads when the venue's fills lag the order's filled size, or a cancel is still queued. */
export interface SettleOptions {
  settleRetryMs: number;
  settleRetries: number;
}

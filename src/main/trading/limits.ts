/**
 * Pre-trade risk limits, from the `risk` section of the config. Quantities are in base units
 * (BTC for BTC-USD), notionals, exposure and losses in the quote currency.
 */
import { z } from 'zod';

const positive = z.number().positive();

export const SymbolLimitsSchema = z
  .object({
    maxOrderQty: positive.optional(),
    maxOrderNotional: positive.optional(),
    /** a limit price further than this from the mid is a fat finger */
    priceBandBps: positive.optional(),
    maxPosition: positive.optional(),
  })
  .strict();
export type SymbolLimits = z.infer<typeof SymbolLimitsSchema>;

export const RiskLimitsSchema = z
  .object({
    defaults: SymbolLimitsSchema.default({ maxOrderNotional: 250_000, priceBandBps: 500 }),
    symbols: z.record(z.string(), SymbolLimitsSchema).default({
      'BTC-USD': { maxOrderQty: 5, maxPosition: 10 },
      'ETH-USD': { maxOrderQty: 100, maxPosition: 200 },
      'SOL-USD': { maxOrderQty: 2000, maxPosition: 4000 },
    }),
    maxGrossExposure: positive.default(1_000_000),
    maxOpenOrders: z.number().int().positive().default(50),
    maxOrdersPerSecond: z.number().int().positive().default(20),
    /** realised + unrealised loss of the day that stops new risk */
    dailyLossLimit: positive.default(50_000),
  })
  .strict();
export type RiskLimits = z.infer<typeof RiskLimitsSchema>;

export function limitsFor(limits: RiskLimits, symbol: string): SymbolLimits {
  return { ...limits.defaults, ...limits.symbols[symbol] };
}

/**
 * Binance.US public market data settings.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 *       https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md
 */
import { z } from 'zod';
import { httpUrl, resilienceSchema, wsUrl } from '../common-settings';

/** limits GET /api/v3/depth accepts (rest-api.md, "Order book") */
export const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000, 5000] as const;

/**
 * Binance has no application heartbeat and a quiet market sends nothing, so the client pings: every
 * 3 s keeps the watchdog fed well inside the default 10 s timeout, and stays far below the
 * 5 incoming messages per second a connection may send (ping frames count).
 */
const binanceResilience = resilienceSchema.extend({ pingIntervalMs: z.number().int().min(0).default(3000) });

export const BinanceUsSettingsSchema = z
  .object({
    wsUrl: wsUrl.default('wss://stream.binance.us:9443'),
    restUrl: httpUrl.default('https://api.binance.us'),
    /** REST snapshot depth (one of the limits Binance accepts) */
    snapshotDepth: z
      .number()
      .int()
      .min(5)
      .max(5000)
      .refine((n) => (DEPTH_LIMITS as readonly number[]).includes(n), `must be one of ${DEPTH_LIMITS.join(', ')}`)
      .default(1000),
    symbols: z.array(z.string()).default(['BTC-USD', 'ETH-USD', 'SOL-USD']),
    /** a symbol with no diff event this long after subscribing gets its snapshot anyway (quiet market) */
    snapshotWaitMs: z.number().int().min(0).default(1000),
    /** attempts per REST call (the first included), each behind the breaker */
    restMaxAttempts: z.number().int().min(1).max(20).default(8),
    /** pause of every REST call after a 429 that outlasted the retries, or a 418 with no ban time in its body */
    rateLimitCooldownMs: z.number().int().min(1).default(60_000),
    resilience: binanceResilience.default(binanceResilience.parse({})),
  })
  .strict();
export type BinanceUsSettings = z.infer<typeof BinanceUsSettingsSchema>;

// Kraken Spot WebSocket v2 (public market data): https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book
import { z } from 'zod';
import { httpUrl, resilienceSchema, wsUrl } from '../common-settings';

export const KrakenSettingsSchema = z
  .object({
    wsUrl: wsUrl.default('wss://ws.kraken.com/v2'),
    restUrl: httpUrl.default('https://api.kraken.com'),
    /** private WebSocket (executions); by default derived from wsUrl (ws.kraken.com → ws-auth.kraken.com) */
    authWsUrl: wsUrl.optional(),
    /** book depth subscribed (Kraken allows 10, 25, 100, 500, 1000) */
    depth: z.union([z.literal(10), z.literal(25), z.literal(100), z.literal(500), z.literal(1000)]).default(100),
    symbols: z.array(z.string()).default(['BTC-USD', 'ETH-USD', 'SOL-USD']),
    /** a resubscribed book that brings no snapshot within this long restarts the connection */
    resyncTimeoutMs: z.number().int().min(100).default(10_000),
    resilience: resilienceSchema.default(resilienceSchema.parse({})),
  })
  .strict();
export type KrakenSettings = z.infer<typeof KrakenSettingsSchema>;
